// One probe's typing state, shared by the statement, expression and call passes: the side tables
// they fill (types, bindings), the scopes of $variables, and how deep the walk is inside loops,
// for-map callbacks and dispatch cases. The whole-script state (map types, variable widths across
// the quiet passes) is the ScriptTyping this holds, implemented by checker.ts.
import type { DiagnosticCollector } from '../diagnostics/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { Expression, MapExpression, VariableExpression } from '../parser/ast.js';
import type { MapValueKind } from '../model/artifact.js';
import type { CompileConfig } from '../model/config.js';
import type { Host } from '../model/host.js';
import type { ProviderRecord } from '../model/provider.js';
import type { ProbeContext } from '../model/probe.js';
import type { Type } from '../model/types.js';
import type { Binding, MapInfo } from './checked.js';
import type { CheckedFunctions } from './call-rule.js';
import type { ScriptDefinitions } from './script-types.js';
import type { CTypes } from './c-types.js';

/** What the passes over one probe ask of the whole script. */
export interface ScriptTyping {
  readonly diagnostics: DiagnosticCollector;
  readonly config: CompileConfig;
  readonly environment: { readonly host: Host; readonly functions: CheckedFunctions };
  readonly maps: ReadonlyMap<string, MapInfo>;
  /** The script's C definitions (structs, enums, macros): type resolution consults them before BTF. */
  readonly definitions: ScriptDefinitions;
  /** C types by name: the script's definitions, then the kernel's BTF. */
  readonly cTypes: CTypes;
  nextBindingId(): number;
  /** The widest type any pass gave the variable first assigned at `site`. */
  widenedVariable(site: VariableExpression, type: Type): Type;
  recordMap(target: MapExpression, keyType: Type | undefined, value: MapValueKind, diagnostics: DiagnosticCollector, valueSpan: SourceSpan): void;
  checkKey(info: MapInfo, target: MapExpression, keyType: Type | undefined, diagnostics: DiagnosticCollector): Type | undefined;
}

interface Scope {
  readonly variables: Map<string, Binding>;
  readonly parent?: Scope;
  /** A dispatch case: it runs as a separate program (a tail call), without the enclosing variables. */
  readonly programBoundary?: boolean;
}

export class ProbeTyping {
  readonly types = new Map<Expression, Type>();
  readonly bindings = new Map<VariableExpression, Binding>();
  /** sizeof(), offsetof() and kaddr() values measured while typing. */
  readonly constants = new Map<Expression, bigint>();
  /** Where each variable without a declared type was first assigned: later assignments widen it there. */
  readonly declarationSites = new Map<Binding, VariableExpression>();
  private scope: Scope = { variables: new Map() };
  loopDepth = 0;
  /** Inside the body of a for loop over a map (a BPF callback: no tail calls from there). */
  callbackDepth = 0;
  /** Nesting of dispatch cases: each level is one more tail call in the chain. */
  dispatchDepth = 0;

  constructor(
    readonly script: ScriptTyping,
    readonly context: ProbeContext,
    /** The attach point this program serves when it serves one (`probe`, `func` are constants then). */
    readonly attachmentName: string,
    /** What this probe's provider says argN, retval, func and args are. */
    readonly provider: ProviderRecord,
  ) {}

  get diagnostics(): DiagnosticCollector {
    return this.script.diagnostics;
  }

  get config(): CompileConfig {
    return this.script.config;
  }

  get host(): Host {
    return this.script.environment.host;
  }

  /** Runs `body` in a new scope (a dispatch case's is a program boundary). */
  inScope(body: () => void, programBoundary = false): void {
    this.scope = { variables: new Map(), parent: this.scope, ...(programBoundary ? { programBoundary } : {}) };
    body();
    this.scope = this.scope.parent!;
  }

  declare(variable: VariableExpression, type: Type): void {
    const binding: Binding = { id: this.script.nextBindingId(), name: variable.name, type };
    this.scope.variables.set(variable.name, binding);
    this.bindings.set(variable, binding);
  }

  /** Declares a variable whose type later assignments may widen (no declared type). */
  declareWidening(variable: VariableExpression, type: Type): void {
    this.declare(variable, this.script.widenedVariable(variable, type));
    this.declarationSites.set(this.bindings.get(variable)!, variable);
  }

  /** The variable's binding; with `span`, using one from outside a dispatch case is reported there. */
  lookup(name: string, span?: SourceSpan): Binding | undefined {
    let crossed = false;
    for (let scope: Scope | undefined = this.scope; scope; scope = scope.parent) {
      const found = scope.variables.get(name);
      if (found) {
        if (crossed && span) {
          this.diagnostics.error(span, `$${name} is declared outside this dispatch case`, 'the case runs as a separate program (a tail call): pass values through a map');
        }
        return found;
      }
      if (scope.programBoundary) crossed = true;
    }
    return undefined;
  }

  undefinedMap(map: MapExpression): void {
    this.diagnostics.error(map.span, `undefined map: @${map.name}`, 'a map must be assigned somewhere in the script');
  }
}
