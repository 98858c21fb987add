// A script's C definitions, read once per program before its probes are typed: the `#` lines
// (c-preprocessor.ts), the struct/union/enum definitions that count (c-types.ts), and the probe
// bodies with `#define`d names expanded (c-constants.ts). What comes out is what type resolution
// consults before the kernel's BTF: `struct X`/`union X`/`enum X` defined by the script win over the
// kernel's of the same name; enumerators name constants; everything else is looked up in BTF.
import { DiagnosticCollector, type Diagnostic } from '../diagnostics/index.js';
import type { Definition, Expression, Program, TypeExpression } from '../parser/ast.js';
import type { Host } from '../model/host.js';
import type { ProviderSyntaxTable } from '../model/provider-syntax.js';
import type { Type } from '../model/types.js';
import { MacroExpander, rewriteExpressions, type CMacro } from './c-constants.js';
import { preprocess } from './c-preprocessor.js';
import { CTypeBuilder, type Enumerator } from './script-c-types.js';
import { btfCTypes, type KernelCTypes, type MeasuredType } from './kernel-c-types.js';

export type { CMacro } from './c-constants.js';
export type { Enumerator } from './script-c-types.js';
export type { KernelCTypes, MeasuredType } from './kernel-c-types.js';

export interface ScriptDefinitions {
  /** `struct X` / `union X` defined by the script (nested ones too), laid out by C's rules. */
  readonly records: ReadonlyMap<string, Type>;
  /** `enum X` defined by the script: an enum-typed integer of gcc's size (its `enum` lists the values). */
  readonly enums: ReadonlyMap<string, Type>;
  /** The script's enumerators by name: a 64-bit integer typed by their enum, and the value. */
  readonly enumerators: ReadonlyMap<string, Enumerator>;
  /** The macros defined when the definitions end (BPFTRACE_HAVE_BTF among them when the kernel has BTF). */
  readonly macros: ReadonlyMap<string, CMacro>;
  /** The program with every `#define`d identifier (and function-like macro call) in its probes expanded. */
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
  /** An enumerator's type and value: the script's first, then the kernel's (from BTF). */
  enumerator(name: string): Enumerator | undefined;
  /**
   * A C type as a definition would name it (`struct foo`, `unsigned int`, `u32`, `struct foo *`,
   * `char[16]`): the script's records and enums first, then the kernel's BTF. Reports into
   * `diagnostics` and returns undefined when there is no such type.
   */
  measure(type: TypeExpression, diagnostics: DiagnosticCollector): MeasuredType | undefined;
}

export interface ScriptDefinitionsEnvironment {
  readonly host: Host;
  /** The grammar's provider syntax: macro values and included files are parsed with it. */
  readonly syntax: ProviderSyntaxTable;
  /** Kernel types for definitions that name them (and whether there are any: BPFTRACE_HAVE_BTF); default: read from the host's BTF by kernel-c-types.ts. */
  readonly kernel?: KernelCTypes;
  /** `--include FILE` and `-I DIR` (see CompileConfig). */
  readonly includeFiles?: readonly string[];
  readonly includeDirs?: readonly string[];
}

export function scriptDefinitions(program: Program, environment: ScriptDefinitionsEnvironment): ScriptDefinitions {
  const diagnostics = new DiagnosticCollector();
  const kernel = environment.kernel ?? lazyKernelTypes(environment.host);
  const definitions = [...commandLineIncludes(environment.includeFiles ?? []), ...program.definitions];
  // Reading the kernel's BTF costs more than compiling a small script: only definitions ask whether there is one.
  const preprocessed = definitions.length === 0
    ? { definitions: [], macros: new Map<string, CMacro>() }
    : preprocess(definitions, { haveBtf: kernel.available(), syntax: environment.syntax, includeDirs: environment.includeDirs ?? [] }, diagnostics);
  const expander = new MacroExpander(preprocessed.macros, environment.syntax);
  // Each definition expands the macros defined where it stands, as C does.
  const expanders = new Map<ReadonlyMap<string, CMacro>, MacroExpander>();
  const items = preprocessed.definitions.flatMap(({ definition, macros }) => {
    if (definition.kind !== 'record' && definition.kind !== 'enum') return [];
    let scoped = expanders.get(macros);
    if (!scoped) expanders.set(macros, (scoped = new MacroExpander(macros, environment.syntax)));
    return [{ definition, expander: scoped }];
  });
  const builder = new CTypeBuilder(diagnostics, expander, kernel);
  builder.build(items);
  const records = new Map<string, Type>();
  for (const [name, entry] of builder.records) if (!name.includes('(anonymous')) records.set(name, entry.type);
  const enums = new Map<string, Type>();
  for (const [name, entry] of builder.enums) enums.set(name, builder.enumType(entry));
  return {
    records,
    enums,
    enumerators: builder.enumerators,
    macros: preprocessed.macros,
    program: expandProbes(program, expander, diagnostics),
    diagnostics: diagnostics.sorted(),
    enumerator: (name) => builder.enumerator(name),
    // Later questions (casts, sizeof in probes) are reported where they are asked.
    measure: (type, into) => builder.reportingTo(into, () => builder.measure(type)),
  };
}

/** Kernel types from the host's BTF, read when first asked for; none when it has no BTF (or cannot be read). */
function lazyKernelTypes(host: Host): KernelCTypes {
  let kernel: KernelCTypes | undefined | null = null;
  const open = (): KernelCTypes | undefined => {
    if (kernel !== null) return kernel;
    try {
      const btf = host.kernelBtf();
      kernel = btf ? btfCTypes(btf) : undefined;
    } catch {
      kernel = undefined;
    }
    return kernel;
  };
  return {
    available: () => open() !== undefined,
    named: (name) => open()?.named(name),
    enumerator: (name) => open()?.enumerator(name),
  };
}

/** Expands macros in probe predicates and bodies; a failed expansion is reported at the use. */
function expandProbes(program: Program, expander: MacroExpander, diagnostics: DiagnosticCollector): Program {
  const replace = (node: Expression): Expression | undefined => {
    if (!expander.replaces(node)) return undefined;
    const expansion = expander.expand(node, node.span);
    if ('error' in expansion) {
      diagnostics.error(node.span, expansion.error);
      // A stand-in, so the checker does not report the name a second time as unknown.
      return { kind: 'integer', span: node.span, value: 0n, text: '0' };
    }
    return expansion.expression;
  };
  let changed = false;
  const probes = program.probes.map((probe) => {
    const body = rewriteExpressions(probe.body, replace);
    const predicate = probe.predicate === undefined ? undefined : rewriteExpressions(probe.predicate, replace);
    if (body === probe.body && predicate === probe.predicate) return probe;
    changed = true;
    return { ...probe, body, ...(predicate === undefined ? {} : { predicate }) };
  });
  return changed ? { ...program, probes } : program;
}

/** `--include FILE` as the `#include` lines it stands for, located on the command line. */
function commandLineIncludes(files: readonly string[]): Definition[] {
  return files.map((path) => ({ kind: 'include', path, system: !path.startsWith('.') && !path.startsWith('/'), span: { file: 'command line', line: 1, column: 1, offset: 0, length: 0 } }));
}
