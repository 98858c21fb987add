// Per-script and per-program state shared by the lowering modules: map names, the action registry,
// the context register, and the exits of a probe.
import { R1, R9, R10, ja, mov64, R0, exit, stx, type Register } from '../bpf/index.js';
import type { BlockStatement, CallExpression, Expression, UpdateExpression, VariableExpression } from '../parser/ast.js';
import type { CheckedProbe, CheckedProgram, CompileConfig } from '../check/checked.js';
import type { TracepointField } from '../loader/tracefs.js';
import { builtinVariables } from '../check/builtins.js';
import { namedArguments } from '../providers/index.js';
import type { ActionDescription, MapDescription } from './artifact.js';
import { Builtins } from './builtins.js';
import { Calls } from './calls.js';
import { Emitter } from './emitter.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import type { StatementLowering } from './lower-statement.js';
import { MapAccess } from './map-access.js';
import { Strings } from './strings.js';

/** A dispatch case to compile as its own program, placed in `arrayMap` at `indices`. */
export interface TailProgramRequest {
  readonly name: string;
  readonly body: BlockStatement;
  readonly arrayMap: string;
  readonly indices: readonly number[];
}

export class ScriptContext {
  /** Program arrays of dispatch statements. */
  readonly programArrays: MapDescription[] = [];
  /** Set by generate(): compiles a dispatch case into a program of the same probe. */
  lowerTailProgram: (probe: CheckedProbe, request: TailProgramRequest) => void = () => {
    throw new Error('internal error: no tail-program lowering');
  };

  readonly actions: ActionDescription[] = [];
  readonly ringBufferMap = 'tsbpf_events';
  readonly lostEventsMap = 'tsbpf_lost';
  readonly globalsMap = 'tsbpf_globals';
  globalsUsed = false;

  constructor(readonly checked: CheckedProgram, private readonly mapNames: ReadonlyMap<string, string>) {}

  mapName(scriptName: string): string {
    const name = this.mapNames.get(scriptName);
    if (!name) throw new Error(`internal error: no kernel map for @${scriptName}`);
    return name;
  }

  addAction(make: (id: number) => ActionDescription): number {
    const id = this.actions.length;
    this.actions.push(make(id));
    return id;
  }

  /** Stack-trace maps in use, by address space. */
  readonly stackMaps = new Map<'kernel' | 'user', string>();

  useStackMap(space: 'kernel' | 'user'): string {
    let name = this.stackMaps.get(space);
    if (!name) {
      name = space === 'kernel' ? 'tsbpf_kstacks' : 'tsbpf_ustacks';
      this.stackMaps.set(space, name);
    }
    return name;
  }

  useGlobals(): string {
    this.globalsUsed = true;
    return this.globalsMap;
  }
}

export class ProgramContext {
  readonly builtins = new Builtins();
  readonly strings = new Strings();
  readonly maps = new MapAccess();
  readonly calls = new Calls();
  readonly epilogue: string;
  statements!: StatementLowering;
  /** Callback functions (for-map bodies, len) of this program, nested ones included, in order. */
  readonly callbacks: { readonly entry: string; readonly e: Emitter }[];
  private contextSaved = false;
  private left = false;
  /** Stack slot holding bpf_get_current_pid_tgid(), when the program reads pid/tid more than once. */
  pidTgidSlot: number | undefined;

  constructor(
    readonly script: ScriptContext, readonly probe: CheckedProbe, readonly e: Emitter, usesContext: boolean,
    private readonly makeLowerings?: (context: ProgramContext) => void, callbacks?: { entry: string; e: Emitter }[],
  ) {
    this.callbacks = callbacks ?? [];
    this.epilogue = e.newLabel('epilogue');
    if (usesContext) {
      // Helper calls clobber r1, so the context pointer lives in r9 for the whole program.
      e.pool.reserve(9);
      e.emit(mov64(R9, R1));
      this.contextSaved = true;
    }
  }

  /**
   * Programs that read `pid`/`tid` more than once call bpf_get_current_pid_tgid once, at entry (which
   * dominates every use), and load the value from the stack afterwards.
   */
  cachePidTgid(source: unknown): void {
    if (countIdentifiers(source, ['pid', 'tid']) < 2) return;
    const offset = this.e.allocate(8);
    const value = this.e.callHelper('get_current_pid_tgid', [])!;
    this.e.emit(stx('dw', R10, offset, this.e.pool.read(value)));
    this.e.pool.release(value);
    this.pidTgidSlot = offset;
  }

  /**
   * A new function of this program: its own emitter (frame, registers) and lowerings, placed after
   * the program by generate(). The caller emits its body; `entry` is its label for BPF_PSEUDO_FUNC.
   */
  createCallback(hint: string): ProgramContext & { readonly entry: string } {
    const emitter = new Emitter(`${this.e.labelPrefix}${hint}${this.callbacks.length}_`);
    const entry = emitter.newLabel('entry');
    emitter.place(entry);
    this.callbacks.push({ entry, e: emitter });
    const child = new ProgramContext(this.script, this.probe, emitter, false, this.makeLowerings, this.callbacks as { entry: string; e: Emitter }[]);
    this.makeLowerings?.(child);
    return Object.assign(child, { entry });
  }

  get config(): CompileConfig {
    return this.script.checked.config;
  }

  contextRegister(): Register {
    if (!this.contextSaved) throw new Error('internal error: the context register was not saved');
    return R9;
  }

  field(name: string): TracepointField {
    const context = this.probe.context;
    const field = namedArguments(context)?.fields.find((candidate) => candidate.name === name);
    if (!field) throw new Error(`internal error: no tracepoint field ${name}`);
    return field;
  }

  isBuiltinCall(call: CallExpression): boolean {
    return call.arguments.length === 0 && builtinVariables[call.name] !== undefined;
  }

  /** exit() and return: jump to the epilogue; the rest of the block is not emitted. */
  leaveProbe(): void {
    this.e.emit(ja(this.epilogue));
    this.left = true;
  }

  /** Whether the last statement left the probe (and resets the flag). */
  takeLeft(): boolean {
    const left = this.left;
    this.left = false;
    return left;
  }

  emitEpilogue(): void {
    this.e.place(this.epilogue);
    this.e.emit(mov64(R0, 0));
    this.e.emit(exit());
  }

  readonly variables = {
    read: (_lowering: ExpressionLowering, variable: VariableExpression): Lowered => this.statements.read(variable),
  };

  readonly updates = {
    lower: (lowering: ExpressionLowering, expression: UpdateExpression): Lowered => {
      if (expression.operand.kind === 'variable') {
        return this.statements.update(expression.operand, expression.operator === '++', expression.prefix);
      }
      return this.maps.update(lowering, expression);
    },
  };
}

/** How many identifiers (or no-argument calls) in `node` have one of `names`. */
function countIdentifiers(node: unknown, names: readonly string[]): number {
  if (node === null || typeof node !== 'object') return 0;
  if (Array.isArray(node)) return node.reduce((sum: number, child) => sum + countIdentifiers(child, names), 0);
  const record = node as { kind?: string; name?: unknown; arguments?: unknown[] };
  let count = 0;
  if ((record.kind === 'identifier' || (record.kind === 'call' && record.arguments?.length === 0)) && typeof record.name === 'string' && names.includes(record.name)) count++;
  for (const [key, value] of Object.entries(node)) if (key !== 'span' && typeof value === 'object') count += countIdentifiers(value, names);
  return count;
}

/** Whether a probe body reads its context (tracepoint fields, raw arguments). */
export function usesContext(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(usesContext);
  const record = node as Record<string, unknown> & { kind?: string; name?: string };
  // A dispatch passes the context to bpf_tail_call; these builtins read it.
  if (record.kind === 'dispatch') return true;
  if ((record.kind === 'identifier' || record.kind === 'call') && typeof record.name === 'string'
    && (['args', 'retval', 'kstack', 'ustack'].includes(record.name) || /^arg[0-9]$/.test(record.name))) return true;
  for (const [key, value] of Object.entries(record)) {
    if (key === 'span') continue;
    if (typeof value === 'object' && usesContext(value)) return true;
  }
  return false;
}

export type { Expression };
