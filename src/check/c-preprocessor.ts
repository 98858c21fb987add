// The `#` lines of a script's definitions region, as a C preprocessor would take them, without one:
// `#if/#ifdef/#ifndef/#elif/#else/#endif` choose which definitions count (BPFTRACE_HAVE_BTF is
// defined when the kernel has BTF, as bpftrace defines it), `#define`/`#undef` build the macro table
// in order, `#include` is checked (kernel and C library headers are satisfied from BTF: the types
// they would declare are looked up there when named), and other lines (`#pragma`, `#error` …) are
// reported. `#if` conditions are C constant expressions, read with the script's own expression
// grammar after `defined X` is replaced (see c-constants.ts).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { DiagnosticCollector } from '../diagnostics/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { Definition, IncludeDefinition, PreprocessorDirective } from '../parser/ast.js';
import { parse } from '../parser/parse.js';
import type { ProviderSyntaxTable } from '../model/provider-syntax.js';
import { conditionValue, type CMacro } from './c-constants.js';
import { headerMacros } from './header-macros.js';

export interface PreprocessorEnvironment {
  readonly haveBtf: boolean;
  /** How the script's grammar reads attach points (an included file is parsed with it). */
  readonly syntax: ProviderSyntaxTable;
  /** `-I DIR`: looked in after the including file's directory (and for <file> tsbpf does not know). */
  readonly includeDirs: readonly string[];
}

/** A definition that counts, with the macros defined where it stands (C expands them in it). */
export interface ScopedDefinition {
  readonly definition: Definition;
  readonly macros: ReadonlyMap<string, CMacro>;
}

export interface Preprocessed {
  /** The struct, union and enum definitions that count, in order (included files' spliced in). */
  readonly definitions: readonly ScopedDefinition[];
  /** The macros defined at the end of the region. */
  readonly macros: ReadonlyMap<string, CMacro>;
}

/** Headers of the kernel and the C library: their types come from the kernel's BTF or from tsbpf. */
const systemHeaderPrefixes = ['linux/', 'asm/', 'asm-generic/', 'uapi/', 'net/', 'sys/', 'bits/', 'vmlinux'];
const libraryHeaders: ReadonlySet<string> = new Set([
  'stdint.h', 'stddef.h', 'stdbool.h', 'stdarg.h', 'limits.h', 'inttypes.h', 'errno.h', 'signal.h', 'unistd.h',
  'fcntl.h', 'time.h', 'string.h', 'stdio.h', 'stdlib.h', 'sched.h',
]);

const maximumIncludeDepth = 16;

interface Branch {
  /** This branch's lines count. */
  active: boolean;
  /** Some branch of this #if already counted: later #elif/#else do not. */
  taken: boolean;
  /** The enclosing region counts. */
  readonly outer: boolean;
  readonly span: SourceSpan;
  readonly directive: string;
  seenElse: boolean;
}

export function preprocess(definitions: readonly Definition[], environment: PreprocessorEnvironment, diagnostics: DiagnosticCollector): Preprocessed {
  const macros = new Map<string, CMacro>();
  // Predefined, as a compiler would: the first says kernel types are available without headers.
  if (environment.haveBtf) macros.set('BPFTRACE_HAVE_BTF', { name: 'BPFTRACE_HAVE_BTF', body: '1' });
  macros.set('__linux__', { name: '__linux__', body: '1' });
  if (process.arch === 'x64') macros.set('__x86_64__', { name: '__x86_64__', body: '1' });
  if (process.arch === 'arm64') macros.set('__aarch64__', { name: '__aarch64__', body: '1' });
  const kept: ScopedDefinition[] = [];
  run(definitions, environment, diagnostics, macros, kept, new Set(), 0);
  return { definitions: kept, macros };
}

function run(
  definitions: readonly Definition[], environment: PreprocessorEnvironment, diagnostics: DiagnosticCollector,
  macros: Map<string, CMacro>, kept: ScopedDefinition[], including: Set<string>, depth: number,
): void {
  const branches: Branch[] = [];
  // Definitions in a row with no # line between them share one copy of the macro table.
  let snapshot: ReadonlyMap<string, CMacro> | undefined;
  const active = () => branches.length === 0 || branches[branches.length - 1]!.active;
  for (const definition of definitions) {
    if (definition.kind === 'preprocessor' && conditional(definition, branches, macros, environment.syntax, diagnostics, active())) continue;
    if (!active()) continue;
    if (definition.kind === 'define' || definition.kind === 'include' || definition.kind === 'preprocessor') snapshot = undefined;
    switch (definition.kind) {
      case 'define':
        if (definition.body !== '' || definition.parameters !== undefined || !macros.has(definition.name)) {
          macros.set(definition.name, { name: definition.name, body: withoutComments(definition.body), span: definition.span, ...(definition.parameters ? { parameters: definition.parameters } : {}) });
        }
        break;
      case 'include':
        include(definition, environment, diagnostics, macros, kept, including, depth);
        break;
      case 'preprocessor':
        directive(definition, macros, diagnostics);
        break;
      default:
        kept.push({ definition, macros: (snapshot ??= new Map(macros)) });
    }
  }
  for (const branch of branches) diagnostics.error(branch.span, `unterminated conditional: no #endif for this #${branch.directive}`);
}

/** Handles #if/#ifdef/#ifndef/#elif/#else/#endif; false for any other directive. */
function conditional(
  line: PreprocessorDirective, branches: Branch[], macros: ReadonlyMap<string, CMacro>, syntax: ProviderSyntaxTable,
  diagnostics: DiagnosticCollector, outer: boolean,
): boolean {
  const evaluate = (text: string): boolean => {
    const value = conditionValue(text, macros, syntax);
    if (typeof value === 'string') {
      diagnostics.error(line.span, `#${line.directive}: ${value}`);
      return false;
    }
    return value !== 0n;
  };
  const name = (): string => {
    const word = /^([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(withoutComments(line.text));
    if (!word) diagnostics.error(line.span, `#${line.directive} needs one macro name`);
    return word?.[1] ?? '';
  };
  const top = branches[branches.length - 1];
  switch (line.directive) {
    case 'if': case 'ifdef': case 'ifndef': {
      let value = false;
      if (outer) value = line.directive === 'if' ? evaluate(line.text) : macros.has(name()) === (line.directive === 'ifdef');
      branches.push({ active: outer && value, taken: value, outer, span: line.span, directive: line.directive, seenElse: false });
      return true;
    }
    case 'elif': case 'else': {
      if (!top) {
        diagnostics.error(line.span, `#${line.directive} without #if`);
        return true;
      }
      if (top.seenElse) diagnostics.error(line.span, `#${line.directive} after #else`);
      const value = !top.taken && top.outer && (line.directive === 'else' || evaluate(line.text));
      top.active = value;
      top.taken ||= value;
      top.seenElse ||= line.directive === 'else';
      return true;
    }
    case 'endif':
      if (!branches.pop()) diagnostics.error(line.span, '#endif without #if');
      return true;
    default:
      return false;
  }
}

function directive(line: PreprocessorDirective, macros: Map<string, CMacro>, diagnostics: DiagnosticCollector): void {
  switch (line.directive) {
    case 'undef':
      macros.delete(withoutComments(line.text));
      return;
    case 'error':
      diagnostics.error(line.span, `#error ${line.text}`);
      return;
    case 'warning':
      diagnostics.warning(line.span, `#warning ${line.text}`);
      return;
    case 'pragma': case '':
      return;
    default:
      diagnostics.error(line.span, `unknown preprocessor directive '#${line.directive}'`);
  }
}

/**
 * `<linux/…>` and the C library's headers declare nothing tsbpf needs to read: their types come from
 * the kernel's BTF when the script names them. `"file"` is read (next to the including file first)
 * and its definitions and macros count as if written here.
 */
function include(
  line: IncludeDefinition, environment: PreprocessorEnvironment, diagnostics: DiagnosticCollector, macros: Map<string, CMacro>,
  kept: ScopedDefinition[], including: Set<string>, depth: number,
): void {
  const shown = line.system ? `<${line.path}>` : `"${line.path}"`;
  if (line.system && (systemHeaderPrefixes.some((prefix) => line.path.startsWith(prefix)) || libraryHeaders.has(line.path))) {
    if (!environment.haveBtf && line.path.startsWith('linux/')) {
      diagnostics.error(line.span, `cannot include ${shown}: tsbpf takes kernel types from the kernel's BTF, and this kernel has none`, 'define the structs the script needs in the script itself');
    }
    // Its constants (AF_INET, EPERM, SIGKILL, O_RDONLY), where tsbpf knows them; a script's own
    // #define of the same name, earlier or later, wins.
    for (const [name, body] of headerMacros(line.path)) if (!macros.has(name)) macros.set(name, { name, body });
    return;
  }
  const path = includedFile(line, environment.includeDirs);
  if (path === undefined) {
    diagnostics.error(line.span, `cannot find include file ${shown}`, line.system
      ? 'only kernel headers (<linux/…>, <asm/…>) and the C library\'s are known (their types come from the kernel\'s BTF); others are looked for in -I directories'
      : 'a "file" is looked for next to the script, in the working directory, then in -I directories');
    return;
  }
  if (including.has(path) || depth >= maximumIncludeDepth) {
    diagnostics.error(line.span, `${shown} includes itself`);
    return;
  }
  const parsed = parse(readFileSync(path, 'latin1'), path, { providers: environment.syntax });
  for (const diagnostic of parsed.diagnostics) diagnostics.add(diagnostic);
  if (!parsed.program) return;
  if (parsed.program.probes.length > 0 || parsed.program.configs.length > 0 || parsed.program.mapDeclarations.length > 0) {
    diagnostics.error(line.span, `${shown} holds more than C definitions (probes, config or map declarations)`);
    return;
  }
  including.add(path);
  run(parsed.program.definitions, environment, diagnostics, macros, kept, including, depth + 1);
  including.delete(path);
}

function includedFile(line: IncludeDefinition, includeDirs: readonly string[]): string | undefined {
  if (isAbsolute(line.path)) return existsSync(line.path) ? line.path : undefined;
  const file = line.span.file;
  const besides = line.system ? [] : [...(file !== 'stdin' && file !== '' && existsSync(file) ? [resolve(dirname(file), line.path)] : []), resolve(line.path)];
  const candidates = [...besides, ...includeDirs.map((directory) => resolve(directory, line.path))];
  return candidates.find((candidate) => existsSync(candidate));
}

/** A `#` line's text without its line and block comments (outside string literals), trimmed. */
function withoutComments(text: string): string {
  return text.replace(/("(?:[^"\\]|\\.)*")|\/\/.*$|\/\*[\s\S]*?\*\//g, (_, literal: string | undefined) => literal ?? ' ').trim();
}
