// Checked program → CompiledScript: one BPF program per checked probe, the maps they share, and the
// record descriptions userspace decodes. Compile-time limits (stack, registers) become diagnostics.
import { AssemblyError, isLabel, MapType, R0, R1, R2, R8, R10, alu64, assemble, call, jmp, ldMapFd, mov64, st, stx } from '../bpf/index.js';
import type { CheckedProgram, CheckedProbe } from '../check/checked.js';
import type { BlockStatement } from '../parser/ast.js';
import { errorAt, type Diagnostic } from '../diagnostics/index.js';
import { GlobalsLayout, type CompiledProgram, type CompiledScript, type MapDescription } from '../model/artifact.js';
import { Emitter, StackOverflowError } from './emitter.js';
import { ExpressionLowering } from './lower-expression.js';
import { removeUnreachable } from './dead-code.js';
import { StatementLowering } from './lower-statement.js';
import { describeMap, kernelMapNames } from './map-layout.js';
import { ProgramContext, ScriptContext, type CallbackFunction, type LoweredProgram, type TailProgramRequest } from './program-context.js';
import { RegisterExhaustedError } from './registers.js';
import { CPU_INDEXED_SCRATCH_LIMIT, PER_CPU_SCRATCH_LIMIT, STACK_LIMIT } from './frame.js';
import { routeSyscalls } from './syscall-routing.js';
import { loadPidTgid } from './process-ids.js';
import { DEFAULT_STACK_LIMIT } from '../model/types.js';
import type { LoweredFunctions } from './calls.js';

export interface GenerateResult {
  readonly script?: CompiledScript;
  readonly diagnostics: readonly Diagnostic[];
}

/** Ring buffer size in bytes: a power-of-two multiple of the page size. */
const RING_BUFFER_BYTES = 1 << 20;

/** `functions`: the records whose lowering calls use (src/functions/index.ts). */
export function generate(checked: CheckedProgram, functions: LoweredFunctions): GenerateResult {
  const diagnostics: Diagnostic[] = [];
  const mapNames = kernelMapNames([...checked.maps.keys()]);
  const script = new ScriptContext(checked, mapNames, lowerTailProgram, functions);
  const programs: CompiledProgram[] = [];
  const scratchMaps: MapDescription[] = [];
  const keep = (lowered: LoweredProgram) => {
    programs.push(lowered.program);
    if (lowered.scratch) scratchMaps.push(lowered.scratch);
  };
  const routedMaps: MapDescription[] = [];
  let blockStart = 0;
  let blockIndex = 0;
  // Programs of one probe block are adjacent; once a block ends, route its syscall tracepoints.
  const finishBlock = () => {
    const routed = routeSyscalls(programs.splice(blockStart), blockIndex++, checked.config.syscallRouting);
    programs.push(...routed.programs);
    routedMaps.push(...routed.maps);
    blockStart = programs.length;
  };
  checked.probes.forEach((probe, index) => {
    if (index > 0 && checked.probes[index - 1]!.block !== probe.block) finishBlock();
    // Most probes fit in the 512-byte stack; one that does not is lowered again with its large
    // objects (strings, records, tuples) in a scratch area (see scratchAreas).
    const before = script.snapshot();
    let lowered: LoweredProgram | 'stack-overflow' | undefined;
    for (const scratch of scratchAreas(`tsbpf_scr${index}`)) {
      lowered = lowerProbe(script, probe, index, diagnostics, scratch);
      if (lowered !== 'stack-overflow') break;
      // Forget what the attempt registered (records, dispatch case programs) before the retry.
      script.restore(before);
    }
    // A probe's dispatch case programs come before its own program.
    script.takeTailPrograms().forEach(keep);
    if (lowered && lowered !== 'stack-overflow') keep(lowered);
  });
  if (checked.probes.length) finishBlock();
  if (diagnostics.length) return { diagnostics };
  const maps: MapDescription[] = [...checked.maps.values()].map((info) => describeMap(info, mapNames.get(info.name)!, checked.config.maxMapKeys, checked.deletedMaps.has(info.name)));
  maps.push(
    { name: script.ringBufferMap, role: 'ring-buffer', mapType: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: RING_BUFFER_BYTES, flags: 0, perCpu: false },
    { name: script.lostEventsMap, role: 'lost-events', mapType: MapType.PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, perCpu: true },
  );
  maps.push(...scratchMaps, ...script.programArrays, ...routedMaps, ...script.constantMaps);
  for (const [space, name] of script.stackMaps) {
    maps.push({ name, role: 'stack-traces', mapType: MapType.STACK_TRACE, keySize: 4, valueSize: 8 * DEFAULT_STACK_LIMIT, maxEntries: 4096, flags: 0, perCpu: false, stackSpace: space });
  }
  if (script.globalsUsed) {
    maps.push({ name: script.globalsMap, role: 'globals', mapType: MapType.ARRAY, keySize: 4, valueSize: GlobalsLayout.size, maxEntries: 1, flags: 0, perCpu: false });
  }
  return {
    script: {
      programs,
      maps,
      actions: script.actions,
      ringBufferMap: script.ringBufferMap,
      license: checked.config.license,
      stringTrailer: checked.config.stringTrailer,
      lostEventsMap: script.lostEventsMap,
      ...(script.globalsUsed ? { globalsMap: script.globalsMap } : {}),
      ...(script.userCodeFiles.length ? { userCodeFiles: script.userCodeFiles } : {}),
    },
    diagnostics,
  };
}

/**
 * Where a program's large objects live, tried in turn: the stack alone; a per-CPU array's value (up
 * to 32 KiB, the most a per-CPU value holds); one CPU's value of a plain array with a value per CPU
 * (bigger, and its lookup asks for the CPU's number first).
 */
type ScratchArea = { readonly map: string; readonly cpuIndexed: boolean } | undefined;

function scratchAreas(map: string): readonly ScratchArea[] {
  return [undefined, { map, cpuIndexed: false }, { map, cpuIndexed: true }];
}

function lowerProbe(
  script: ScriptContext, probe: CheckedProbe, index: number, diagnostics: Diagnostic[], scratch: ScratchArea,
): LoweredProgram | 'stack-overflow' | undefined {
  const block = probe.block;
  try {
    return lowerProgram(script, probe, `p${index}_`, programName(probe.attachments[0]!.name), probe.attachments, block.body, scratch, (context, lowering) => {
      const targetPid = script.checked.config.targetPid;
      if (targetPid !== undefined && probe.provider.filtersTargetPid) leaveUnlessProcess(context, targetPid);
      if (block.predicate) lowering.branchIfFalse(block.predicate, context.epilogue);
      context.statements.block(block.body);
    });
  } catch (error) {
    if (error instanceof StackOverflowError) {
      if (!scratch?.cpuIndexed) return 'stack-overflow';
      diagnostics.push(errorAt(error.span ?? block.span, `this needs ${error.requested} more bytes of BPF stack, past the ${STACK_LIMIT}-byte stack and the scratch area of a probe`, 'use fewer or shorter strings and tuples in one probe'));
      return undefined;
    }
    if (error instanceof RegisterExhaustedError) {
      diagnostics.push(errorAt(error.span ?? block.span, error.message, 'split the expression with a $variable'));
      return undefined;
    }
    if (error instanceof AssemblyError) {
      diagnostics.push(errorAt(error.span ?? block.span, `internal compiler error: ${error.message}`));
      return undefined;
    }
    throw error;
  }
}

/**
 * One BPF program: a probe's body, or a dispatch case's (then `attachments` is empty and the program
 * is reached by a tail call). `body` emits the statements; the rest is the same for both.
 */
function lowerProgram(
  script: ScriptContext, probe: CheckedProbe, prefix: string, name: string, attachments: CompiledProgram['attachments'],
  programBody: BlockStatement, scratch: ScratchArea, body: (context: ProgramContext, lowering: ExpressionLowering) => void,
  tailCall?: CompiledProgram['tailCall'],
): LoweredProgram {
  const e = new Emitter(prefix);
  const makeLowerings = (program: ProgramContext) => {
    program.statements = new StatementLowering(program, new ExpressionLowering(program.e, program));
  };
  const facts = probe.facts.programs.get(programBody);
  if (!facts) throw new Error('internal error: no facts for a program body');
  const context = new ProgramContext(script, probe, e, facts.readsContext, makeLowerings);
  const lowering = new ExpressionLowering(e, context);
  context.statements = new StatementLowering(context, lowering);
  if (scratch) enterScratchMode(e, scratch, context.epilogue);
  if (facts.frameCallbacks.any) context.prepareCallbacks(facts.frameCallbacks.leaving);
  if (facts.readsPidTgidTwice) context.cachePidTgid();
  body(context, lowering);
  context.emitEpilogue();
  checkCallChainStack(e, context.callbacks);
  for (const callback of context.callbacks) e.items.push(...callback.e.items);
  const items = removeUnreachable(e.items);
  const assembled = assemble(items);
  const scratchMap = scratch ? scratchMapOf(scratch, e.frame.scratchBytes) : undefined;
  const program: CompiledProgram = {
    name,
    ...probe.provider.programLoad(probe.context),
    attachments,
    items,
    assembled,
    stackBytes: e.frame.maxDepth,
    // A callback whose only caller was unreachable code went with it: BTF must not list it.
    functions: context.callbacks
      .filter((callback) => items.some((item) => !isLabel(item) && item.target === callback.entry))
      .map((callback) => ({ name: callback.entry, slot: assembled.labels.get(callback.entry)! })),
    ...(tailCall ? { tailCall } : {}),
  };
  return scratchMap ? { program, scratch: scratchMap } : { program };
}

/**
 * The verifier limits the stack of a whole call chain (the program and the callbacks it is inside)
 * to 512 bytes, each frame rounded up to 32. Past it, the probe is lowered again in scratch mode.
 */
function checkCallChainStack(e: Emitter, callbacks: readonly CallbackFunction[]): void {
  const frame = (depth: number) => Math.ceil(Math.max(depth, 1) / 32) * 32;
  for (const callback of callbacks) {
    let total = frame(e.frame.maxDepth);
    for (let link: CallbackFunction | undefined = callback; link; link = link.caller) total += frame(link.e.frame.maxDepth);
    if (total > STACK_LIMIT) throw new StackOverflowError(callback.span, total - STACK_LIMIT);
  }
}

/** Lowers a dispatch case into its own program (retrying in scratch mode when it outgrows the stack). */
function lowerTailProgram(script: ScriptContext, probe: CheckedProbe, request: TailProgramRequest): LoweredProgram {
  const attempt = (scratch: ScratchArea) => lowerProgram(
    script, probe, `${request.name}_`, request.name, [], request.body, scratch,
    (context) => { context.statements.block(request.body); },
    { arrayMap: request.arrayMap, indices: request.indices },
  );
  const before = script.snapshot();
  const areas = scratchAreas(`${request.name}_s`.slice(0, 15));
  for (const scratch of areas) {
    try {
      return attempt(scratch);
    } catch (error) {
      if (!(error instanceof StackOverflowError) || scratch === areas[areas.length - 1]) throw error;
      script.restore(before);
    }
  }
  throw new Error('internal error: no scratch area was tried');
}

function scratchMapOf(scratch: NonNullable<ScratchArea>, bytes: number): MapDescription {
  const valueSize = Math.max(8, Math.ceil(bytes / 8) * 8);
  if (!scratch.cpuIndexed) {
    return { name: scratch.map, role: 'scratch', mapType: MapType.PERCPU_ARRAY, keySize: 4, valueSize, maxEntries: 1, flags: 0, perCpu: true };
  }
  return { name: scratch.map, role: 'scratch', mapType: MapType.ARRAY, keySize: 4, valueSize, maxEntries: 1, entryPerCpu: true, flags: 0, perCpu: false };
}

/**
 * Scratch mode: r8 holds this program's scratch area for the whole run, looked up once at entry: the
 * one value of a per-CPU array, or this CPU's value of a CPU-indexed one (neither lookup can fail,
 * but the verifier wants the check).
 */
function enterScratchMode(e: Emitter, scratch: NonNullable<ScratchArea>, epilogue: string): void {
  e.frame.enableScratch(scratch.cpuIndexed ? CPU_INDEXED_SCRATCH_LIMIT : PER_CPU_SCRATCH_LIMIT);
  e.pool.reserve(8);
  // The key is only read by the lookup: its slot goes back to the probe's own values.
  const mark = e.frame.mark();
  const key = e.allocate(4, 4);
  if (scratch.cpuIndexed) {
    const cpu = e.callHelper('get_smp_processor_id', [])!;
    e.emit(stx('w', R10, key, e.pool.read(cpu)));
    e.pool.release(cpu);
  } else e.emit(st('w', R10, key, 0));
  e.emit(ldMapFd(R1, scratch.map));
  e.emit(mov64(R2, R10));
  e.emit(alu64('add', R2, key));
  e.emit(call('map_lookup_elem'));
  e.frame.release(mark);
  e.emit(jmp('eq', R0, 0, epilogue));
  e.emit(mov64(R8, R0));
  e.scratchBase = R8;
}

/** -p: the program leaves unless the current process (thread group) is `pid`. */
function leaveUnlessProcess(context: ProgramContext, pid: number): void {
  const e = context.e;
  // -p names the process as tsbpf sees it.
  const value = loadPidTgid(e, context.script.checked.host, 'tsbpf');
  const register = e.pool.writable(value);
  e.emit(alu64('rsh', register, 32));
  e.emit(jmp('ne', register, pid, context.epilogue));
  e.pool.release(value);
}

/** Kernel program names: 15 characters from [A-Za-z0-9_]. */
function programName(probeName: string): string {
  const name = probeName.replace(/^tracepoint:[^:]*:/, '').replace(/^rawtracepoint:/, 'rt_').replace(/[^A-Za-z0-9_]/g, '_');
  return name.slice(0, 15);
}
