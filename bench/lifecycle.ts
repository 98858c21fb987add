// Startup, teardown and memory, measured on the tools' command lines (tool-process.ts):
// - one tracepoint: launch → banner, launch → first event delivered, SIGINT → exit, peak RSS;
// - `BEGIN { printf("hi\n"); exit(); }`: launch → exit, peak RSS;
// - every sys_enter_* tracepoint counting `@[probe]`: launch → banner, launch → all attached (seen by
//   polling the tool's fds), SIGINT → exit, peak RSS.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CPrograms } from './c-programs.js';
import { banners, toolCommand } from './cli-tools.js';
import { countAttachedTracepoints } from './kernel-programs.js';
import { startTrickle } from './load-generator.js';
import { nsToMs, ToolProcess } from './tool-process.js';
import type { ToolName } from './tracers.js';

export interface SingleProbeSample {
  readonly tool: ToolName;
  readonly round: number;
  readonly bannerMs: number;
  readonly firstEventMs: number;
  readonly teardownMs: number;
  /** SIGINTs it took to end the tool (more than 1: the teardown time includes waiting to resend). */
  readonly interrupts: number;
  readonly peakRssKb: number;
  readonly exitCode: number;
}

export interface BeginExitSample {
  readonly tool: ToolName;
  readonly round: number;
  readonly totalMs: number;
  readonly peakRssKb: number;
  readonly exitCode: number;
  readonly printed: boolean;
}

export interface WildcardSample {
  readonly tool: ToolName;
  readonly round: number;
  /** The probe count the banner announced. */
  readonly probes: number;
  readonly bannerMs: number;
  /** Launch → every announced probe attached; absent when that was not seen before the deadline. */
  readonly allAttachedMs?: number;
  /** Tracepoint fds (perf events, raw_tp) the tool held when last looked at. */
  readonly attachmentFds: number;
  readonly teardownMs: number;
  /** SIGINTs it took to end the tool (more than 1: the teardown time includes waiting to resend). */
  readonly interrupts: number;
  readonly peakRssKb: number;
  readonly exitCode: number;
  /** `@[…]: n` lines printed at exit (one per tracepoint that fired). */
  readonly mapEntries: number;
}

export const lifecyclePrograms = {
  singleProbe: (pid: number) => `tracepoint:syscalls:sys_enter_getppid /pid == ${pid}/ { @calls = count(); printf("event\\n"); }`,
  beginExit: 'BEGIN { printf("hi\\n"); exit(); }',
  wildcard: 'tracepoint:syscalls:sys_enter_* { @[probe] = count(); }',
} as const;

/** A getppid() this often from the trickle: the first-event time is late by at most this much. */
const trickleIntervalUs = 200;
/** Time between "running" and SIGINT, so that neither tool is caught mid-startup. */
const settleMs = 300;
const startTimeoutMs = 30_000;
const exitTimeoutMs = 120_000;
const wildcardAttachTimeoutMs = 90_000;
const wildcardPollMs = 50;
/**
 * When to send SIGINT again (tool-process.ts, stop()). Late enough never to hit a teardown in
 * progress: once bpftrace has detached it restores the default SIGINT action, and a second signal
 * would kill it before it prints the maps.
 */
const singleResendMs = 10_000;
const wildcardResendMs = 60_000;

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function measureSingleProbe(programs: CPrograms, tool: ToolName, round: number): Promise<SingleProbeSample> {
  const trickle = startTrickle({ path: programs.loadGenerator }, trickleIntervalUs);
  const run = new ToolProcess(programs.execWrapper, toolCommand(tool, lifecyclePrograms.singleProbe(trickle.pid), { unbuffered: true }));
  try {
    const { startNs } = await run.started;
    const banner = await run.waitForLine(banners[tool].stream, banners[tool].pattern, startTimeoutMs);
    const event = await run.waitForLine('stdout', /^event$/, startTimeoutMs);
    await sleep(settleMs);
    const { exit, interruptedNs, interrupts } = await withTimeout(run.stop(singleResendMs), exitTimeoutMs, `${tool} teardown`);
    return {
      tool,
      round,
      bannerMs: nsToMs(banner.atNs - startNs),
      firstEventMs: nsToMs(event.atNs - startNs),
      teardownMs: nsToMs(exit.endNs - interruptedNs),
      interrupts,
      peakRssKb: exit.peakRssKb,
      exitCode: exit.exitCode,
    };
  } finally {
    trickle.stop();
    run.kill();
  }
}

export async function measureBeginExit(programs: CPrograms, tool: ToolName, round: number): Promise<BeginExitSample> {
  const run = new ToolProcess(programs.execWrapper, toolCommand(tool, lifecyclePrograms.beginExit));
  try {
    const { startNs } = await run.started;
    const exit = await withTimeout(run.exited, exitTimeoutMs, `${tool} BEGIN/exit`);
    return {
      tool,
      round,
      totalMs: nsToMs(exit.endNs - startNs),
      peakRssKb: exit.peakRssKb,
      exitCode: exit.exitCode,
      printed: run.lines('stdout').some((line) => line.text === 'hi'),
    };
  } finally {
    run.kill();
  }
}

export async function measureWildcard(programs: CPrograms, tool: ToolName, round: number): Promise<WildcardSample> {
  const run = new ToolProcess(programs.execWrapper, toolCommand(tool, lifecyclePrograms.wildcard, { unbuffered: true }));
  try {
    const { pid, startNs } = await run.started;
    const banner = await run.waitForLine(banners[tool].stream, banners[tool].pattern, wildcardAttachTimeoutMs);
    const probes = Number(banners[tool].pattern.exec(banner.text)![1]);
    // bpftrace announces before attaching: from outside, its probes are attached once it holds one
    // tracepoint fd per probe. tsbpf announces after attaching, and may route many syscall
    // tracepoints through one attachment, so its fds do not count probes; its banner is the time.
    const deadline = Date.now() + wildcardAttachTimeoutMs;
    let attached = countAttachedTracepoints(pid);
    let allAttachedNs: bigint | undefined = banners[tool].afterAttach ? banner.atNs : undefined;
    while (allAttachedNs === undefined && Date.now() < deadline) {
      attached = countAttachedTracepoints(pid);
      if (attached >= probes) allAttachedNs = process.hrtime.bigint();
      else await sleep(wildcardPollMs);
    }
    await sleep(settleMs);
    const { exit, interruptedNs, interrupts } = await withTimeout(run.stop(wildcardResendMs), exitTimeoutMs, `${tool} wildcard teardown`);
    return {
      tool,
      round,
      probes,
      bannerMs: nsToMs(banner.atNs - startNs),
      ...(allAttachedNs !== undefined ? { allAttachedMs: nsToMs(allAttachedNs - startNs) } : {}),
      attachmentFds: attached,
      teardownMs: nsToMs(exit.endNs - interruptedNs),
      interrupts,
      peakRssKb: exit.peakRssKb,
      exitCode: exit.exitCode,
      mapEntries: run.lines('stdout').filter((line) => line.text.startsWith('@[')).length,
    };
  } finally {
    run.kill();
  }
}
