// A compiled script, running: maps created, programs loaded and attached, BEGIN run, the ring buffer
// consumed from the event loop, and at the end END run, the maps printed and everything closed.
//
// Stopping (exit(), stop(), a signal through installSignalHandlers(), or a failure) always runs the
// same sequence: stop polling; handle what is already in the ring buffer (records after an exit()
// record are dropped, as bpftrace drops them); run END programs; handle their records; report lost
// events; print the maps; and only then detach and close, because closing perf-event tracepoints is
// slow (tens of ms each) and must not delay the output.
import { GlobalsLayout, type CompiledScript, type MapDescription, type CompiledProgram } from '../model/artifact.js';
import { possibleCpuCount } from '../loader/cpus.js';
import { perCpuValueStride, type BpfMap } from '../loader/maps.js';
import { native, type PollHandle, SyscallError } from '../loader/native.js';
import type { BpfProgram } from '../loader/programs.js';
import { RingBufferReader } from '../loader/ringbuf.js';
import { EventStream } from './event-stream.js';
import { ResourceStack } from './lifecycle.js';
import { UserMaps, fullMapMessage } from './user-maps.js';
import { OutputSink, type SessionOutput } from './output-sink.js';
import {
  actionOutputs, createRecordHandler, RecordError, valueTextOf, type MapAccess, type RecordHandler, type RuntimeFunctions, type SessionEvent,
} from './records.js';
import type { Symbolizer } from '../symbols/index.js';
import { createSessionSymbolizer } from './symbol-resolver.js';
import { attachLoadedPrograms, createSessionMaps, loadSessionPrograms, specialPrograms, type LoadedProgram } from './setup.js';
import type { SymbolResolver } from '../model/symbol-resolver.js';
import type { Host } from '../model/host.js';
import { AttachError, type ProviderTable } from '../model/provider.js';
import { liveHost } from '../host/live.js';
import type { MapDump } from './output/values.js';

export interface SessionOptions {
  /** Where output goes (default: text on process.stdout/stderr); `null` writes nothing. */
  readonly output?: SessionOutput | null;
  /** Announce the attached probes (text: `Attached N probes` on stderr). Default true. */
  readonly banner?: boolean;
  /** Print every user map when the session stops, as bpftrace does. Default true. */
  readonly printMapsAtExit?: boolean;
  /** Ring buffer size; default 256 KiB per possible CPU, rounded up to a power of two. */
  readonly ringBufferBytes?: number;
  /**
   * Names for stack and ksym/usym values; default: a Symbolizer (kernel names from /proc/kallsyms,
   * user names from each process's ELF files).
   */
  readonly resolver?: SymbolResolver;
  /**
   * Traced processes (-p PID, the -c command once it runs) whose memory maps the default resolver
   * reads at start, so their user stacks and usym() values still resolve after they exit.
   */
  readonly tracedProcesses?: readonly number[];
  /** The machine to attach on; default: a fresh liveHost(). */
  readonly host?: Host;
}

/** What starting a session needs besides its options: the providers that attach its targets. */
export interface SessionStart extends SessionOptions {
  readonly providers: ProviderTable;
}

export interface Session extends AsyncIterable<SessionEvent> {
  /** Probes attached, BEGIN and END included (what bpftrace's banner counts). */
  readonly attachedProbes: number;
  /** Resolves with the exit code once the session has stopped and released everything. */
  readonly done: Promise<number>;
  /** Why the session stopped, when it was not exit() or stop(): a failed poll or record. */
  readonly failure: Error | undefined;
  /** Stops the session (idempotent); resolves like `done`. */
  stop(): Promise<number>;
  /** Events from now on, ending when the session stops (throwing `failure` if there is one). */
  events(): AsyncIterableIterator<SessionEvent>;
  /** Makes SIGINT, SIGTERM and SIGHUP stop the session; removed when it stops, or by the returned function. */
  installSignalHandlers(): () => void;
  /** The current contents of user map `@name` (or `@`); throws for a map the script does not have or once stopped. */
  readMap(name: string): MapDump;
  /**
   * Reads a traced process's memory map now (the -c command once it has exec'd), so that its user
   * stacks and usym() values still resolve after it exits. Does nothing with a custom resolver.
   */
  traceProcess(pid: number): void;
}

const signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Records handled per poll wakeup before yielding to the event loop. */
const recordsPerWakeup = 4096;
/**
 * And time: one record can be slow (`print(@m)` reads and formats the whole map), and a wakeup that
 * runs for seconds leaves Ctrl-C and timers waiting. Checked every few records, not each one.
 */
const wakeupBudgetMs = 50;
/** At the end, records already in the ring buffer are handled for this long; the rest are counted as lost. */
const stopBudgetMs = 2000;
const recordsPerClockCheck = 16;
const budgetSpent = new Error('record budget spent');

/**
 * Creates the maps, loads and attaches the programs, runs BEGIN and starts consuming the ring buffer.
 * On any failure everything created so far is closed and the error (a VerifierError, SyscallError,
 * TracefsError, …) is rethrown as is. `functions`: the function records (src/functions/index.ts) that
 * decode and print the script's output records.
 */
export function startSession(compiled: CompiledScript, functions: RuntimeFunctions, start: SessionStart): Session {
  const options = { ...start, host: start.host ?? liveHost() };
  checkAttachable(compiled.programs, options.providers, options.host);
  const resources = new ResourceStack();
  try {
    const maps = createSessionMaps(compiled, resources, options.ringBufferBytes);
    const programs = loadSessionPrograms(compiled, maps, resources);
    const session = new RunningSession(compiled, functions, maps, programs, resources, options);
    session.start();
    return session;
  } catch (error) {
    resources.closeAll();
    throw error;
  }
}

type Phase = 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Refuses, before any kernel object exists, a script with a probe kind this host cannot attach
 * (compile() says so at the attach point; this covers scripts compiled elsewhere or by hand).
 */
function checkAttachable(programs: readonly CompiledProgram[], providers: ProviderTable, host: Host): void {
  for (const { attachments } of programs) {
    for (const { name, target } of attachments) {
      const reason = providers.forTarget(target.kind).unattachable(target, host);
      if (reason) throw new AttachError(`${name}: ${reason}`);
    }
  }
}

class RunningSession implements Session {
  attachedProbes = 0;
  failure: Error | undefined;
  readonly done: Promise<number>;
  private resolveDone!: (code: number) => void;
  private phase: Phase = 'starting';
  private readonly sink: OutputSink;
  private readonly stream = new EventStream<SessionEvent>();
  private readonly handleRecord: RecordHandler;
  private readonly resolver: SymbolResolver;
  private readonly userMaps: UserMaps;
  /** The default resolver, when no other was given. */
  private readonly symbolizer: Symbolizer | undefined;
  private readonly reader: RingBufferReader;
  private readonly lostEventsMap: BpfMap | undefined;
  private lostEventsReported = 0n;
  private endPrograms: readonly BpfProgram[] = [];
  private pollHandle: PollHandle | undefined;
  private exitCode: number | undefined;
  /** Set after an exit() record or a failure: the rest of the ring buffer is dropped. */
  private droppingRecords = false;
  private draining = false;
  private recordBudget = 0;
  private drainDeadline = Infinity;
  /** The last drain stopped at its deadline, with records still to handle. */
  private deadlinePassed = false;
  /** Records left unhandled at the end because handling them took too long (reported as lost). */
  private unhandledAtStop = 0;
  private countingUnhandled = false;
  private stopAfterDrain = false;
  /** END has started: exit() no longer sets the code or drops records. */
  private endStarted = false;
  private removeSignalHandlers: (() => void) | undefined;

  constructor(
    private readonly compiled: CompiledScript,
    functions: RuntimeFunctions,
    private readonly maps: ReadonlyMap<string, BpfMap>,
    private readonly programs: readonly LoadedProgram[],
    private readonly resources: ResourceStack,
    private readonly options: SessionStart & { readonly host: Host },
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.sink = new OutputSink(options.output, actionOutputs(functions));
    const descriptions = new Map(compiled.maps.map((description) => [description.name, description]));
    const stackMaps = compiled.maps
      .filter((description) => description.role === 'stack-traces')
      .map((description) => ({ map: requireMap(maps, description.name), description }));
    this.symbolizer = options.resolver ? undefined : createSessionSymbolizer(stackMaps, {
      processes: options.tracedProcesses ?? [], ...(compiled.userCodeFiles ? { userCodeFiles: compiled.userCodeFiles } : {}),
    });
    this.resolver = options.resolver ?? this.symbolizer!;
    // A full map is noticed whenever a map is read (print(), the dump at exit) and reported once.
    const stringTrailer = compiled.stringTrailer ?? '..';
    this.userMaps = new UserMaps({ resolver: this.resolver, valueText: valueTextOf(functions), stringTrailer }, (description, maxEntries) => {
      this.sink.runtimeWarning(fullMapMessage(description, maxEntries), description.span ? [description.span] : []);
    });
    this.handleRecord = createRecordHandler(compiled.actions, functions, mapAccess(maps, descriptions, this.userMaps), { resolver: this.resolver, stringTrailer });
    this.lostEventsMap = maps.get(compiled.lostEventsMap);
    const ringBuffer = requireMap(maps, compiled.ringBufferMap);
    // Polling is ours, not the reader's: after each drain we also check for lost events and flush output.
    this.reader = resources.own('ring buffer reader', new RingBufferReader(ringBuffer, (view, offset, length) => this.onRecord(view, offset, length), { poll: false }));
  }

  /**
   * Globals, BEGIN, attach, banner, then polling. BEGIN runs before any other probe can fire (as in
   * bpftrace), so the probes see what it set up. Throws (the caller cleans up) on any failure.
   */
  start(): void {
    this.writeGlobals();
    const special = specialPrograms(this.programs);
    this.endPrograms = special.endPrograms;
    for (const program of special.beginPrograms) program.testRun();
    this.attachedProbes = attachLoadedPrograms(this.programs, this.resources, this.options.providers, this.options.host);
    if (this.options.banner ?? true) this.sink.attachedProbes(this.attachedProbes);
    this.sink.flush();
    const handle = native().pollStart(this.reader.map.fd, (status) => this.onReadable(status));
    if (typeof handle === 'number') throw new SyscallError(`poll ring buffer ${this.reader.map.name}`, Math.abs(handle));
    this.pollHandle = handle;
    this.resources.own('ring buffer poll', { close: () => this.stopPolling() });
    this.phase = 'running';
  }

  stop(): Promise<number> {
    this.finish();
    return this.done;
  }

  events(): AsyncIterableIterator<SessionEvent> {
    return this.stream.iterator();
  }

  [Symbol.asyncIterator](): AsyncIterator<SessionEvent> {
    return this.stream.iterator();
  }

  installSignalHandlers(): () => void {
    if (this.phase === 'stopped') return () => {};
    this.removeSignalHandlers?.();
    const onSignal = () => void this.stop();
    for (const signal of signals) process.on(signal, onSignal);
    const remove = () => {
      for (const signal of signals) process.off(signal, onSignal);
      if (this.removeSignalHandlers === remove) this.removeSignalHandlers = undefined;
    };
    this.removeSignalHandlers = remove;
    return remove;
  }

  traceProcess(pid: number): void {
    this.symbolizer?.process(pid);
  }

  readMap(name: string): MapDump {
    if (this.phase === 'stopped') throw new Error(`the session has stopped: its maps are closed`);
    const scriptName = name.startsWith('@') ? name.slice(1) : name;
    const description = this.compiled.maps.find((candidate) => candidate.role === 'user' && (candidate.scriptName ?? '').replace(/^@/, '') === scriptName);
    if (!description) throw new RecordError(`the script has no map @${scriptName}`);
    return this.userMaps.read(requireMap(this.maps, description.name), description);
  }

  private onReadable(status: number): void {
    if (this.phase !== 'running') return;
    if (status < 0) this.fail(new SyscallError(`poll ring buffer ${this.reader.map.name}`, -status));
    else this.guarded(() => this.drain(recordsPerWakeup, performance.now() + wakeupBudgetMs));
    this.guarded(() => this.reportLostEvents());
    this.guarded(() => this.sink.flush());
    if (this.exitCode !== undefined || this.failure || this.stopAfterDrain) this.finish();
  }

  /**
   * Handles at most `budget` records, until `deadline` (performance.now()). Producers may outpace us
   * forever (a busy tracepoint), and a drain that never returns would starve the event loop
   * (signals, timers, the consumer of events); what is left makes the level-triggered poll fire
   * again on the next turn.
   */
  private drain(budget: number, deadline = Infinity): void {
    this.draining = true;
    this.recordBudget = budget;
    this.drainDeadline = deadline;
    this.deadlinePassed = false;
    try {
      this.reader.drain();
    } catch (error) {
      if (error !== budgetSpent) throw error;
    } finally {
      this.draining = false;
    }
  }

  /** Enough to cover what is in the ring buffer now (the smallest record is 16 bytes), not what keeps coming. */
  private pendingRecordsBound(): number {
    return Math.ceil(this.reader.pendingBytes() / 16) + 1;
  }

  /**
   * What the ring buffer holds now, handled until `deadline`; records still left after that (each
   * `print(@big_map)` can take milliseconds) are consumed and counted, so that a stop never hangs
   * and nothing vanishes without a word.
   */
  private drainPending(deadline: number): void {
    this.drain(this.pendingRecordsBound(), deadline);
    // Records that arrived after the stop, beyond the bound, are not ours to show: only those the
    // deadline cut off are counted.
    if (!this.deadlinePassed || this.reader.pendingBytes() === 0) return;
    const dropping = this.droppingRecords;
    this.droppingRecords = true;
    this.countingUnhandled = !dropping;
    try {
      this.drain(this.pendingRecordsBound());
    } finally {
      this.droppingRecords = dropping;
      this.countingUnhandled = false;
    }
  }

  private onRecord(view: DataView, offset: number, length: number): void {
    if (!this.droppingRecords) this.handle(view, offset, length);
    else if (this.countingUnhandled) this.unhandledAtStop++;
    // Only once the record is handled: the reader releases it even when this throws.
    if (--this.recordBudget <= 0) throw budgetSpent;
    if (this.recordBudget % recordsPerClockCheck === 0 && performance.now() >= this.drainDeadline) {
      this.deadlinePassed = true;
      throw budgetSpent;
    }
  }

  private handle(view: DataView, offset: number, length: number): void {
    let event: SessionEvent;
    try {
      event = this.handleRecord(view, offset, length);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.publish(event);
    if (event.kind === 'exit' && !this.endStarted && this.exitCode === undefined) {
      this.exitCode = event.code;
      this.droppingRecords = true;
    }
  }

  private publish(event: SessionEvent): void {
    this.sink.event(event);
    this.stream.push(event);
  }

  private fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
    this.droppingRecords = true;
  }

  private guarded(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.fail(error);
    }
  }

  private finish(): void {
    if (this.phase !== 'running') return;
    if (this.draining) {
      this.stopAfterDrain = true;
      return;
    }
    this.phase = 'stopping';
    this.stopPolling();
    // What the probes wrote before the stop is still output (unless exit() or a failure ended the run).
    const deadline = performance.now() + stopBudgetMs;
    this.guarded(() => this.drainPending(deadline));
    this.endStarted = true;
    this.droppingRecords = false;
    for (const program of this.endPrograms) this.guarded(() => program.testRun());
    // END's own records get a moment even when the budget went on the records before them.
    this.guarded(() => this.drainPending(Math.max(deadline, performance.now() + wakeupBudgetMs)));
    this.guarded(() => this.reportLostEvents());
    if (this.unhandledAtStop > 0) this.guarded(() => this.publish({ kind: 'lost-events', count: this.unhandledAtStop }));
    this.guarded(() => {
      this.sink.end();
      if (this.options.printMapsAtExit ?? true) this.publish({ kind: 'maps-at-exit', maps: this.readUserMaps() });
    });
    this.guarded(() => this.sink.flush());
    for (const error of this.resources.closeAll()) this.failure ??= error;
    this.phase = 'stopped';
    this.removeSignalHandlers?.();
    this.stream.end(this.failure);
    this.resolveDone(this.failure ? 1 : (this.exitCode ?? 0));
  }

  private stopPolling(): void {
    if (this.pollHandle) native().pollStop(this.pollHandle);
    this.pollHandle = undefined;
  }

  private readUserMaps() {
    return this.compiled.maps
      .filter((description) => description.role === 'user')
      .map((description) => this.userMaps.read(requireMap(this.maps, description.name), description));
  }

  /** bpftrace reports how many records were lost since the last report. */
  private reportLostEvents(): void {
    const map = this.lostEventsMap;
    if (!map) return;
    const value = map.lookup(new Uint8Array(map.spec.keySize));
    if (!value) return;
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    const stride = map.isPerCpu ? perCpuValueStride(map.spec.valueSize) : value.byteLength;
    let total = 0n;
    for (let offset = 0; offset + 8 <= value.byteLength; offset += stride) total += view.getBigUint64(offset, true);
    if (total > this.lostEventsReported) {
      this.publish({ kind: 'lost-events', count: Number(total - this.lostEventsReported) });
      this.lostEventsReported = total;
    }
  }

  /** `elapsed` counts from here: CLOCK_MONOTONIC, which is what process.hrtime reads on Linux. */
  private writeGlobals(): void {
    if (!this.compiled.globalsMap) return;
    const map = requireMap(this.maps, this.compiled.globalsMap);
    const value = new Uint8Array(map.spec.valueSize);
    new DataView(value.buffer).setBigUint64(GlobalsLayout.startNs, process.hrtime.bigint(), true);
    const key = new Uint8Array(map.spec.keySize);
    if (map.isPerCpu) map.update(key, new Array<Uint8Array>(possibleCpuCount()).fill(value));
    else map.update(key, value);
  }
}

function requireMap(maps: ReadonlyMap<string, BpfMap>, name: string): BpfMap {
  const map = maps.get(name);
  if (!map) throw new RecordError(`the compiled script names a map '${name}' it does not describe`);
  return map;
}

function mapAccess(
  maps: ReadonlyMap<string, BpfMap>, descriptions: ReadonlyMap<string, MapDescription>, userMaps: UserMaps,
): MapAccess {
  const described = (name: string): MapDescription => {
    const description = descriptions.get(name);
    if (!description || description.role !== 'user') throw new RecordError(`an action refers to '${name}', which is not a user map`);
    return description;
  };
  return {
    read: (name, options) => userMaps.read(requireMap(maps, name), described(name), options?.zeroWhenEmpty ?? false),
    clear: (name) => userMaps.clear(requireMap(maps, name)),
    zero: (name) => userMaps.zero(requireMap(maps, name)),
    scriptName: (name) => described(name).scriptName ?? name,
  };
}
