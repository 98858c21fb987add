// Names and types. Attach points are resolved first, once (resolve.ts); then quiet passes over the
// program learn every map's type (maps may be read before the probe that writes them; strings and
// integers widen to fit every use), and the last reports. Every mistake is a diagnostic at its span; nothing is thrown for user errors.
import { DiagnosticCollector, type Diagnostic } from '../diagnostics/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { MapExpression, ProbeBlock, Program, VariableExpression } from '../parser/ast.js';
import type { MapValueKind } from '../model/artifact.js';
import { defaultConfig, type CompileConfig } from '../model/config.js';
import { type CheckedProbe, type CheckedProgram, type MapInfo } from './checked.js';
import type { Host } from '../model/host.js';
import type { ProviderTable } from '../model/provider.js';
import { resolveProbes, type ProbeResolution, type ResolvedProgram } from './resolve.js';
import { ProbeTyping, type ScriptTyping } from './probe-typing.js';
import { checkProbeBody } from './statements.js';
import { mapsDeletedInProgram, probeFacts, readsArguments } from './facts.js';
import type { CheckedFunctions } from './call-rule.js';
import { unify } from '../model/type-rules.js';
import { sameType, typeName, type Type } from '../model/types.js';
import { someNode } from '../parser/ast-search.js';
import { scriptDefinitions, type ScriptDefinitions } from './script-types.js';
import { CTypes } from './c-types.js';

class Checker implements ScriptTyping {
  diagnostics = new DiagnosticCollector();
  readonly maps = new Map<string, MapInfo>();
  private readonly variableWidths = new Map<string, Type>();
  private bindingCount = 0;
  /** The script's C definitions and macros, read once before the probes. */
  definitions!: ScriptDefinitions;
  /** C types by name: the script's definitions, then the kernel's BTF (made with the definitions). */
  cTypes!: CTypes;

  constructor(readonly config: CompileConfig, readonly environment: CheckEnvironment) {}

  nextBindingId(): number {
    return this.bindingCount++;
  }

  /** Variables keep the widest string any pass assigned at their first assignment site. */
  widenedVariable(site: VariableExpression, type: Type): Type {
    const key = `${site.span.offset}`;
    const known = this.variableWidths.get(key);
    // When the two cannot unify, the later pass knows more (a map typed since), so its type wins; a
    // real mismatch is still reported where the second assignment is.
    const widened = known ? unify(known, type) ?? type : type;
    this.variableWidths.set(key, widened);
    return widened;
  }

  recordMap(target: MapExpression, keyType: Type | undefined, value: MapValueKind, diagnostics: DiagnosticCollector, valueSpan: SourceSpan): void {
    const existing = this.maps.get(target.name);
    if (!existing) {
      this.maps.set(target.name, { name: target.name, keyType, value, span: target.span });
      return;
    }
    const key = this.checkKey(existing, target, keyType, diagnostics);
    const merged = mergeValue(existing.value, value);
    if (!merged) {
      diagnostics.error(valueSpan, `type mismatch for @${target.name}: it holds ${describeValue(existing.value)}, this is ${describeValue(value)}`);
      return;
    }
    this.maps.set(target.name, { ...existing, keyType: key, value: merged });
  }

  checkKey(info: MapInfo, target: MapExpression, keyType: Type | undefined, diagnostics: DiagnosticCollector): Type | undefined {
    if ((info.keyType === undefined) !== (keyType === undefined)) {
      diagnostics.error(target.span, info.keyType ? `@${info.name} needs a key of type ${typeName(info.keyType)}` : `@${info.name} is used without a key elsewhere`);
      return info.keyType;
    }
    if (!info.keyType || !keyType) return info.keyType;
    const merged = unify(info.keyType, keyType);
    if (!merged) {
      diagnostics.error(target.span, `key type mismatch for @${info.name}: it has ${typeName(info.keyType)} keys, this is ${typeName(keyType)}`);
      return info.keyType;
    }
    if (!sameType(merged, info.keyType)) this.maps.set(info.name, { ...info, keyType: merged });
    return merged;
  }

  check(written: Program): CheckedProgram {
    this.definitions = scriptDefinitions(written, { host: this.environment.host, syntax: this.environment.providers.syntax, includeFiles: this.config.includeFiles, includeDirs: this.config.includeDirs });
    this.cTypes = new CTypes(this.environment.host, this.definitions);
    // Probes as checked and generated: `#define`d names expanded.
    const program = this.definitions.program;
    // Quiet passes learn map and variable types (a map may be read before the probe that writes it;
    // a variable copied from one that widens later widens too) until nothing changes; the last pass
    // reports against them.
    const resolved = resolveProbes(program, this.environment.providers, this.environment.host, this.config);
    for (let pass = 0; pass < 8; pass++) {
      const before = this.typeSnapshot();
      this.diagnostics = new DiagnosticCollector();
      this.checkProbes(program, resolved, false);
      if (this.typeSnapshot() === before) break;
    }
    this.diagnostics = new DiagnosticCollector();
    this.diagnostics.addAll(resolved.diagnostics);
    this.diagnostics.addAll(this.definitions.diagnostics);
    const probes = this.checkProbes(program, resolved, true);
    return {
      program, probes, maps: this.maps, deletedMaps: mapsDeletedInProgram(program), config: this.config, host: this.environment.host,
      diagnostics: withoutRepeats(this.diagnostics.sorted()),
    };
  }

  private typeSnapshot(): string {
    // Types by name: a kernel record's graph is large (and has cycles through its pointers).
    const maps = [...this.maps.values()].map((info) => `${info.name}:${info.keyType ? typeName(info.keyType) : ''}:${JSON.stringify(info.value, (key, v: unknown) => (typeof v === 'bigint' ? `${v}` : key === 'type' ? typeName(v as Type) : v))}`);
    const variables = [...this.variableWidths.entries()].map(([site, type]) => `${site}:${typeName(type)}`);
    return [...maps, ...variables].join('|');
  }

  /** Types every probe; `report`: the last pass, whose probes (with their facts) are kept. */
  private checkProbes(program: Program, resolution: ResolvedProgram, report: boolean): CheckedProbe[] {
    const probes: CheckedProbe[] = [];
    program.probes.forEach((block, index) => {
      const resolved = resolution.blocks[index]!;
      if (resolved.length === 0) return;
      const groups = needsOwnProgram(resolved, block) ? resolved.map((one) => [one]) : [resolved];
      for (const group of groups) {
        const { context, provider, attachment } = group[0]!;
        const typing = new ProbeTyping(this, context, attachment.name, provider);
        checkProbeBody(typing, block.body, block.predicate);
        if (!report) continue;
        probes.push({
          block, attachments: group.map((one) => one.attachment), context, provider, types: typing.types, bindings: typing.bindings,
          facts: probeFacts(block, typing.constants, provider.functionByCookie?.(context) !== undefined),
        });
      }
    });
    return probes;
  }
}

/** A block checked once per attach point reports each of its mistakes once. */
function withoutRepeats(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((diagnostic) => {
    const key = `${diagnostic.severity}:${diagnostic.span.file}:${diagnostic.span.offset}:${diagnostic.span.length}:${diagnostic.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `probe` and `func` are constants of one attach point (a uprobe_multi attachment's `func` is chosen
 * from its own list of functions, by index); otherwise the first attachment's provider
 * says whether the others' contexts can share its program (same program type, and the same argument
 * layout when the body reads arguments).
 */
function needsOwnProgram(resolved: readonly ProbeResolution[], block: ProbeBlock): boolean {
  if (resolved.length < 2) return false;
  if (mentionsIdentifier(block, ['probe', 'func'])) return true;
  const first = resolved[0]!;
  const argumentsRead = readsArguments(block);
  return resolved.some((one) => !first.provider.canShareProgram(first.context, one.context, argumentsRead));
}

function mergeValue(existing: MapValueKind, incoming: MapValueKind): MapValueKind | undefined {
  if (existing.kind !== incoming.kind) return undefined;
  if (existing.kind === 'scalar' && incoming.kind === 'scalar') {
    const type = unify(existing.type, incoming.type);
    return type ? { kind: 'scalar', type } : undefined;
  }
  if (existing.kind === 'hist' && incoming.kind === 'hist') return existing.bits === incoming.bits ? existing : undefined;
  if (existing.kind === 'lhist' && incoming.kind === 'lhist') {
    return existing.min === incoming.min && existing.max === incoming.max && existing.step === incoming.step ? existing : undefined;
  }
  if ('signed' in existing && 'signed' in incoming) return { ...existing, signed: existing.signed || incoming.signed } as MapValueKind;
  return existing;
}

function describeValue(value: MapValueKind): string {
  if (value.kind === 'hist') return `hist() values with precision ${value.bits}`;
  if (value.kind === 'lhist') return `lhist() values with min ${value.min}, max ${value.max} and step ${value.step}`;
  return value.kind === 'scalar' ? typeName(value.type) : `${value.kind}() values`;
}

/** What checking reads besides the program: the machine it compiles for, the providers and the functions. */
export interface CheckEnvironment {
  readonly host: Host;
  readonly providers: ProviderTable;
  readonly functions: CheckedFunctions;
}

export function check(program: Program, config: Partial<CompileConfig>, environment: CheckEnvironment): CheckedProgram {
  return new Checker({ ...defaultConfig, ...config }, environment).check(program);
}

/** Whether any identifier (or call) in the block has one of these names. */
function mentionsIdentifier(node: unknown, names: readonly string[]): boolean {
  return someNode(node, (found) => (found.kind === 'identifier' || found.kind === 'call') && typeof found.name === 'string' && names.includes(found.name));
}
