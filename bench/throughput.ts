// Event throughput: how many printf records per second reach userspace without loss. The generator
// makes getppid() calls paced to a rate (or flat out), each traced by a printf filtered to its pid;
// the tool writes to a file in tmpfs (-o), so that this process spends no CPU reading a pipe while
// the two cores are shared by the generator and the tool. Afterwards the file's lines are counted:
// delivered = lines from the generator, missing = sent − delivered, and the loss each tool reported.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CPrograms } from './c-programs.js';
import { lostEventsPattern, toolCommand } from './cli-tools.js';
import { countAttachedTracepoints } from './kernel-programs.js';
import { prepareLoad } from './load-generator.js';
import { ToolProcess } from './tool-process.js';
import type { ToolName } from './tracers.js';

/** A paced rate in records per second, or `max`: the generator flat out. */
export type TargetRate = number | 'max';

export interface ThroughputSample {
  readonly tool: ToolName;
  readonly round: number;
  readonly targetRate: TargetRate;
  readonly sent: number;
  /** The rate the generator reached (records/s): under tracing it may fall short of the target. */
  readonly achievedRate: number;
  readonly delivered: number;
  readonly missing: number;
  /** What the tool said it lost (`Lost N events`). */
  readonly reportedLost: number;
  readonly peakRssKb: number;
  readonly exitCode: number;
}

export const throughputProgram = (pid: number) => `tracepoint:syscalls:sys_enter_getppid /pid == ${pid}/ { printf("%d %d %s\\n", pid, cpu, comm); }`;

/** Records sent when flat out. */
const maxRateRecords = 2_000_000;
const attachTimeoutMs = 30_000;
const settleMs = 200;
/** After the load: time for the tool to catch up before it is stopped (both drain on SIGINT too). */
const drainMs = 500;
/** SIGINT again after this long (see ToolProcess.stop): the teardown time is not measured here. */
const resendMs = 2_000;

function outputDirectory(): string {
  // tmpfs: writing the output costs memory bandwidth, not disk waits.
  return mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'tsbpf-bench-out-'));
}

/** Lines starting with `prefix`, and the loss announced in the text. */
function countOutput(path: string, prefix: string): { lines: number; lost: number } {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return { lines: 0, lost: 0 };
  }
  const needle = Buffer.from(`\n${prefix}`);
  let lines = data.subarray(0, prefix.length).equals(needle.subarray(1)) ? 1 : 0;
  for (let at = data.indexOf(needle); at >= 0; at = data.indexOf(needle, at + 1)) lines++;
  let lost = 0;
  if (data.indexOf('Lost ') >= 0) lost = sumLost(data.toString('utf8').split('\n'));
  return { lines, lost };
}

function sumLost(lines: readonly string[]): number {
  let lost = 0;
  for (const line of lines) {
    const match = lostEventsPattern.exec(line);
    if (match) lost += Number(match[1]);
  }
  return lost;
}

export async function measureThroughput(programs: CPrograms, tool: ToolName, targetRate: TargetRate, durationSeconds: number, round: number): Promise<ThroughputSample> {
  const sent = targetRate === 'max' ? maxRateRecords : Math.round(targetRate * durationSeconds);
  const load =
    targetRate === 'max' ? prepareLoad({ path: programs.loadGenerator }, sent, 'getppid') : prepareLoad({ path: programs.loadGenerator }, sent, 'paced', targetRate);
  const directory = outputDirectory();
  const outputFile = join(directory, `${tool}.txt`);
  const run = new ToolProcess(programs.execWrapper, toolCommand(tool, throughputProgram(load.pid), { outputFile }));
  try {
    const { pid } = await run.started;
    const deadline = Date.now() + attachTimeoutMs;
    while (countAttachedTracepoints(pid) < 1) {
      if (Date.now() > deadline) throw new Error(`${tool} did not attach within ${attachTimeoutMs} ms: ${run.text('stderr').slice(-500)}`);
      await sleep(10);
    }
    // The perf event may be enabled just after the program is set on it.
    await sleep(settleMs);
    const { loopNs } = await load.run();
    await sleep(drainMs);
    const { exit } = await run.stop(resendMs);
    const output = countOutput(outputFile, `${load.pid} `);
    return {
      tool,
      round,
      targetRate,
      sent,
      achievedRate: sent / (loopNs / 1e9),
      delivered: output.lines,
      missing: sent - output.lines,
      reportedLost: output.lost + sumLost(run.lines('stderr').map((line) => line.text)),
      peakRssKb: exit.peakRssKb,
      exitCode: exit.exitCode,
    };
  } finally {
    load.kill();
    run.kill();
    rmSync(directory, { recursive: true, force: true });
  }
}
