// Per-script and per-program state shared by the lowering modules: map names, the action registry,
// the context register, and the exits of a probe.
import { R0, R1, R7, R8, R9, R10, exit, ja, jmp, ldx, mov64, st, stx, type Register } from '../bpf/index.js';
import type { BlockStatement, CallExpression, Expression, UpdateExpression, VariableExpression } from '../parser/ast.js';
import type { CheckedProbe, CheckedProgram } from '../check/checked.js';
import type { CompileConfig } from '../model/config.js';
import type { TracepointField } from '../model/probe.js';
import { builtinVariables } from '../check/builtins.js';
import type { ActionDescription, CompiledProgram, MapDescription, UserCodeFile } from '../model/artifact.js';
import type { LoweredFunctions } from './calls.js';
import { Emitter, type CallArgument } from './emitter.js';
import type { ExpressionLowering, Lowered } from './lower-expression.js';
import type { StatementLowering } from './lower-statement.js';
import { OUTER_FRAME_BIAS, type StackMark } from './frame.js';
import type { SourceSpan } from '../diagnostics/span.js';
import { updateMap } from './map-access.js';
import { storeNamespacePidTgid } from './process-ids.js';

/** A dispatch case to compile as its own program, placed in `arrayMap` at `indices`. */
export interface TailProgramRequest {
  readonly name: string;
  readonly body: BlockStatement;
  readonly arrayMap: string;
  readonly indices: readonly number[];
}

/** A program lowered for the script: a probe's, or a dispatch case's; with its scratch map if it needed one. */
export interface LoweredProgram {
  readonly program: CompiledProgram;
  readonly scratch?: MapDescription;
}

/** How much of a script context's lists existed at a point, so that a failed attempt can be forgotten. */
export interface ScriptSnapshot {
  readonly actions: number;
  readonly programArrays: number;
  readonly tailPrograms: number;
}

export class ScriptContext {
  /** Program arrays of dispatch statements. */
  readonly programArrays: MapDescription[] = [];
  /** Dispatch case programs, in the order they were lowered (inner cases before their outer ones). */
  readonly tailPrograms: LoweredProgram[] = [];
  /** Arrays of values fixed at compile time (the names `func` chooses from in a uprobe_multi program). */
  readonly constantMaps: MapDescription[] = [];

  constructor(
    readonly checked: CheckedProgram, private readonly mapNames: ReadonlyMap<string, string>,
    /** Compiles a dispatch case into a program of the same probe (generate.ts). */
    private readonly lowerTail: (script: ScriptContext, probe: CheckedProbe, request: TailProgramRequest) => LoweredProgram,
    /** The function records whose lowering calls use. */
    readonly functions: LoweredFunctions,
  ) {}

  lowerTailProgram(probe: CheckedProbe, request: TailProgramRequest): void {
    this.tailPrograms.push(this.lowerTail(this, probe, request));
  }

  snapshot(): ScriptSnapshot {
    return { actions: this.actions.length, programArrays: this.programArrays.length, tailPrograms: this.tailPrograms.length };
  }

  /** Forgets what was registered since `snapshot` (records, program arrays, dispatch case programs). */
  restore(snapshot: ScriptSnapshot): void {
    this.actions.length = snapshot.actions;
    this.programArrays.length = snapshot.programArrays;
    this.tailPrograms.length = snapshot.tailPrograms;
  }

  /** The dispatch case programs lowered since the last call. */
  takeTailPrograms(): LoweredProgram[] {
    return this.tailPrograms.splice(0);
  }

  readonly actions: ActionDescription[] = [];
  readonly ringBufferMap = 'tsbpf_events';
  readonly lostEventsMap = 'tsbpf_lost';
  readonly globalsMap = 'tsbpf_globals';
  globalsUsed = false;

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

  /** Binaries that name the stacks of exited processes (CompiledScript.userCodeFiles). */
  readonly userCodeFiles: UserCodeFile[] = [];

  /**
   * What ustack and usym values of `probe` carry to name their frames once the process is gone: 1 +
   * the index of its binary in userCodeFiles, or 0 when the probe has not exactly one user-space target.
   */
  userCodeNumber(probe: CheckedProbe): number {
    const [attachment, ...others] = probe.attachments;
    const file = attachment && others.length === 0 ? probe.provider.userCode?.(attachment.target) : undefined;
    if (!file) return 0;
    const index = this.userCodeFiles.findIndex((known) => known.path === file.path && known.entryOffset === file.entryOffset);
    return (index >= 0 ? index : this.userCodeFiles.push(file) - 1) + 1;
  }

  useGlobals(): string {
    this.globalsUsed = true;
    return this.globalsMap;
  }
}

/** A callback function of a program, placed after it by generate(). */
export interface CallbackFunction {
  readonly entry: string;
  readonly e: Emitter;
  /** The callback whose body creates this one (undefined: the probe's own code does). */
  readonly caller: CallbackFunction | undefined;
  /** The statement that runs it, for a stack overflow of the call chain. */
  readonly span: SourceSpan | undefined;
}

/**
 * Probe-frame slots callbacks need, filled at program entry: the context pointer and the scratch
 * area's address (a callback gets neither from the kernel), and the flag a callback sets when its
 * body leaves the probe (exit(), return).
 */
interface SharedSlots {
  readonly context: number | undefined;
  readonly scratch: number | undefined;
  readonly left: number | undefined;
}

export class ProgramContext {
  readonly epilogue: string;
  statements!: StatementLowering;
  /** Callback functions (loop and for-map bodies, len) of this program, nested ones included, in order. */
  readonly callbacks: CallbackFunction[];
  /** The probe's own program; `this` unless this is a callback. */
  readonly root: ProgramContext;
  /** The callback this context lowers (undefined for the probe's own code). */
  callback: CallbackFunction | undefined;
  /** The context whose code calls this callback. */
  readonly parent: ProgramContext | undefined;
  private shared: SharedSlots | undefined;
  private contextSaved = false;
  private left = false;
  /** Stack slot holding tgid << 32 | tid (codegen/process-ids.ts), when the program reads pid/tid more than once. */
  pidTgidSlot: number | undefined;

  constructor(
    readonly script: ScriptContext, readonly probe: CheckedProbe, readonly e: Emitter, usesContext: boolean,
    private readonly makeLowerings?: (context: ProgramContext) => void, callbacks?: CallbackFunction[],
    parent?: ProgramContext,
  ) {
    this.callbacks = callbacks ?? [];
    this.parent = parent;
    this.root = parent?.root ?? this;
    this.epilogue = e.newLabel('epilogue');
    if (usesContext) {
      // Helper calls clobber r1, so the context pointer lives in r9 for the whole program.
      e.pool.reserve(9);
      e.emit(mov64(R9, R1));
      this.contextSaved = true;
    }
  }

  /**
   * Programs that read `pid`/`tid` more than once ask for the ids once, at entry (which
   * dominates every use), and load the value from the stack afterwards.
   */
  cachePidTgid(): void {
    const namespace = this.script.checked.host.pidNamespace();
    if (namespace) {
      // The namespace helper writes the ids to the stack already, in the same layout.
      this.pidTgidSlot = storeNamespacePidTgid(this.e, namespace);
      return;
    }
    const offset = this.e.allocate(8);
    const value = this.e.callHelper('get_current_pid_tgid', [])!;
    this.e.emit(stx('dw', R10, offset, this.e.pool.read(value)));
    this.e.pool.release(value);
    this.pidTgidSlot = offset;
  }

  /**
   * Called at the probe's entry when its body may create callbacks that see the probe's variables:
   * saves what they cannot get otherwise into probe-frame slots.
   */
  prepareCallbacks(leaving: boolean): void {
    const e = this.e;
    const context = this.contextSaved ? e.allocate(8) : undefined;
    if (context !== undefined) e.emit(stx('dw', R10, context, R9));
    const scratch = e.scratchBase ? e.allocate(8, 8) : undefined;
    if (scratch !== undefined) e.emit(stx('dw', R10, scratch, e.scratchBase!));
    const left = leaving ? e.allocate(8) : undefined;
    if (left !== undefined) e.emit(st('dw', R10, left, 0));
    this.shared = { context, scratch, left };
  }

  /**
   * A new function of this program: its own emitter (frame, registers) and lowerings, placed after
   * the program by generate(). The caller emits its body; `entry` is its label for BPF_PSEUDO_FUNC.
   * With `frameArgument` (the register in which the kernel passes the callback's context, which the
   * caller sets to `frameRegister()`), the body reaches the probe's variables, context and scratch area.
   */
  createCallback(hint: string, frameArgument?: Register): ProgramContext & { readonly entry: string } {
    const emitter = new Emitter(`${this.e.labelPrefix}${hint}${this.callbacks.length}_`);
    const entry = emitter.newLabel('entry');
    emitter.place(entry);
    const callback: CallbackFunction = { entry, e: emitter, caller: this.callback, span: this.e.currentSpan };
    this.callbacks.push(callback);
    const child = new ProgramContext(this.script, this.probe, emitter, false, this.makeLowerings, this.callbacks, this);
    child.callback = callback;
    if (frameArgument) child.enterCallback(frameArgument);
    this.makeLowerings?.(child);
    return Object.assign(child, { entry });
  }

  private enterCallback(frameArgument: Register): void {
    const shared = this.root.shared;
    if (!shared) throw new Error('internal error: callbacks were not prepared at the probe entry');
    const e = this.e;
    e.pool.reserve(8);
    e.emit(mov64(R8, frameArgument));
    e.outerFrameBase = R8;
    if (shared.scratch !== undefined) {
      // The body's large values, its own temporaries as well as the probe's variables, are in the
      // probe's scratch area (a body can hold more than a callback's stack, as a 9999-byte $kv does).
      e.pool.reserve(7);
      e.emit(ldx('dw', R7, R10, this.view(shared.scratch)));
      e.scratchBase = R7;
      e.frame.shareScratch(this.root.e.frame);
    }
  }

  /** How this program's code addresses a probe-frame offset (see OUTER_FRAME_BIAS). */
  view(probeOffset: number): number {
    return this.root === this || probeOffset >= 0 ? probeOffset : probeOffset - OUTER_FRAME_BIAS;
  }

  /** The register holding the probe's frame pointer: what a callback created here receives. */
  frameRegister(): Register {
    return this.root === this ? R10 : R8;
  }

  /** Bytes in the probe's frame (variables live there, so that callbacks reach them); a probe offset. */
  allocateInProbeFrame(size: number): number {
    return this.root.e.allocate(size);
  }

  markFrames(): [StackMark, StackMark] {
    return [this.e.frame.mark(), this.root.e.frame.mark()];
  }

  releaseFrames([own, probe]: [StackMark, StackMark]): void {
    this.e.frame.release(own);
    this.root.e.frame.release(probe);
  }

  private leftFlag(): number {
    const left = this.root.shared?.left;
    if (left === undefined) throw new Error('internal error: a callback leaves the probe, but no flag was prepared for it');
    return left;
  }

  /** After calling a callback whose body can leave the probe: leave too when it did. */
  leaveIfCallbackLeft(): void {
    const e = this.e;
    const flag = e.pool.scratchRegister();
    e.emit(ldx('dw', flag, R10, this.view(this.leftFlag())));
    if (this.root === this) {
      e.emit(jmp('ne', flag, 0, this.epilogue));
      return;
    }
    const stay = e.newLabel('stay');
    e.emit(jmp('eq', flag, 0, stay));
    e.emit(mov64(R0, 1));
    e.emit(exit());
    e.place(stay);
  }

  get config(): CompileConfig {
    return this.script.checked.config;
  }

  /** The probe's context pointer, in r9 for the whole program; only the probe's own code has it there. */
  contextRegister(): Register {
    if (!this.contextSaved) throw new Error('internal error: the context register was not saved');
    return R9;
  }

  /**
   * The context pointer for a few instructions without allocations in between: r9 in the probe's own
   * code; in a callback, `scratch` loaded from the probe's frame (a callback keeps no register for
   * it: its callee-saved registers are few, r8 already holds the frame pointer).
   */
  contextPointer(scratch: Register): Register {
    if (this.root === this) return this.contextRegister();
    this.e.emit(ldx('dw', scratch, R10, this.view(this.contextSlot())));
    return scratch;
  }

  /** target ← the `size` bytes at `offset` in the probe's context. */
  loadFromContext(size: 'dw' | 'w' | 'h' | 'b', target: Register, offset: number): void {
    this.e.emit(ldx(size, target, this.contextPointer(target), offset));
  }

  /** The context pointer as a helper argument. */
  contextArgument(): CallArgument {
    if (this.root === this) return { kind: 'register', reg: this.contextRegister() };
    return { kind: 'load', offset: this.view(this.contextSlot()) };
  }

  private contextSlot(): number {
    const slot = this.root.shared?.context;
    if (slot === undefined) throw new Error('internal error: a callback reads the context, but the probe did not save it');
    return slot;
  }

  field(name: string): TracepointField {
    const context = this.probe.context;
    const field = this.probe.provider.namedArguments(context)?.fields.find((candidate) => candidate.name === name);
    if (!field) throw new Error(`internal error: no tracepoint field ${name}`);
    return field;
  }

  isBuiltinCall(call: CallExpression): boolean {
    return call.arguments.length === 0 && builtinVariables[call.name] !== undefined;
  }

  /**
   * exit() and return: jump to the epilogue; the rest of the block is not emitted. A callback sets
   * the probe's flag and stops its loop; its caller then leaves in turn (leaveIfCallbackLeft).
   */
  leaveProbe(): void {
    if (this.root === this) {
      this.e.emit(ja(this.epilogue));
    } else {
      this.e.emit(st('dw', R10, this.view(this.leftFlag()), 1));
      this.e.emit(mov64(R0, 1));
      this.e.emit(exit());
    }
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
      return updateMap(lowering, expression);
    },
  };
}

export type { Expression };
