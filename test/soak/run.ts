// `npm run soak`: tsbpf under a sustained high event rate for 60 s (--seconds N to change). A child
// process calls getppid() in a tight loop; tsbpf counts the calls in maps and printf()s every one,
// far more than a ring buffer can carry, to a reader that keeps up. Passes when:
//   - tsbpf's RSS stays flat (the last quarter's median within 25 MB of the second quarter's);
//   - nothing vanishes: every probe hit is either a printed line or counted in a "Lost N events"
//     report (calls counted in the map = printed + lost, up to the records in flight at the end);
//   - Ctrl-C ends it with exit code 0 and the maps printed, with no stack trace.
// Prints a summary and exits 1 if a check fails.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');
const secondsIndex = process.argv.indexOf('--seconds');
const seconds = secondsIndex >= 0 ? Number(process.argv[secondsIndex + 1]) : Number(process.env['SOAK_SECONDS'] ?? 60);
const allowedGrowthKiB = 25 * 1024;

/** A tight getppid() loop (process.ppid is one getppid call in Node) until killed. */
const load = spawn(process.execPath, ['-e', 'for (;;) process.ppid;'], { stdio: 'ignore' });
const program = `tracepoint:syscalls:sys_enter_getppid /pid == ${load.pid}/ { @calls = count(); @by_cpu[cpu] = count(); @latency = hist(nsecs % 100000);`
  + ' printf("call from %s on cpu %d at %llu\\n", comm, cpu, nsecs); }';
const tsbpf = spawn(process.execPath, [cliPath, '-e', program], { stdio: ['ignore', 'pipe', 'pipe'] });

let printedLines = 0;
let stdoutTail = '';
let stderr = '';
tsbpf.stdout.setEncoding('utf8');
tsbpf.stdout.on('data', (chunk: string) => {
  for (let index = chunk.indexOf('\n'); index >= 0; index = chunk.indexOf('\n', index + 1)) printedLines++;
  stdoutTail = (stdoutTail + chunk).slice(-20_000);
});
tsbpf.stderr.setEncoding('utf8');
tsbpf.stderr.on('data', (chunk: string) => {
  stderr += chunk;
});
const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => tsbpf.on('close', (code, signal) => resolve({ code, signal })));

function statusKiB(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForBanner(): Promise<void> {
  for (let waited = 0; !stderr.includes('Attached'); waited += 50) {
    if (waited > 30_000 || tsbpf.exitCode !== null) throw new Error(`tsbpf did not start:\n${stderr}`);
    await sleep(50);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

await waitForBanner();
console.log(`soak: ${seconds} s, getppid() loop in pid ${load.pid}, tsbpf pid ${tsbpf.pid}`);
const rssSamples: number[] = [];
const started = Date.now();
for (let second = 1; second <= seconds; second++) {
  await sleep(started + second * 1000 - Date.now());
  rssSamples.push(statusKiB(tsbpf.pid!, 'VmRSS'));
  if (second % 10 === 0) console.log(`  ${second} s: RSS ${(rssSamples.at(-1)! / 1024).toFixed(1)} MiB, ${printedLines} lines printed`);
}
const peakKiB = statusKiB(tsbpf.pid!, 'VmHWM');
const cpu = cpuSeconds(tsbpf.pid!);
tsbpf.kill('SIGINT');
const { code, signal } = await exited;
load.kill('SIGKILL');

const lost = [...stderr.matchAll(/^Lost (\d+) events$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
const calls = Number(/^@calls: (\d+)$/m.exec(stdoutTail)?.[1] ?? NaN);
// The lines after the run are the maps: not printf output.
const mapLines = stdoutTail.slice(stdoutTail.lastIndexOf('\n\n\n')).split('\n').length - 1;
const printed = printedLines - mapLines;
const quarter = Math.max(1, Math.floor(rssSamples.length / 4));
const settledKiB = median(rssSamples.slice(quarter, 2 * quarter));
const finalKiB = median(rssSamples.slice(-quarter));
const unaccounted = calls - printed - lost;

const checks: [string, boolean][] = [
  [`exit code 0 after Ctrl-C (got ${code ?? signal})`, code === 0],
  ['no stack trace, no ERROR', !/^\s+at |ERROR/m.test(stderr)],
  [`RSS flat: ${(settledKiB / 1024).toFixed(1)} MiB -> ${(finalKiB / 1024).toFixed(1)} MiB (limit +${allowedGrowthKiB / 1024} MiB)`, finalKiB - settledKiB <= allowedGrowthKiB],
  [`probe hits counted: @calls = ${calls}`, Number.isFinite(calls) && calls > 0],
  [`every hit printed or reported lost: ${printed} printed + ${lost} lost = ${printed + lost}, ${unaccounted} in flight at the end`, unaccounted >= 0 && unaccounted <= Math.max(10_000, calls * 0.01)],
  ['lost events are reported ("Lost N events" on stderr)', lost > 0 || printed === calls],
];

console.log(`\nsoak summary (${seconds} s)`);
console.log(`  probe hits       ${calls} (${(calls / seconds).toFixed(0)}/s)`);
console.log(`  printed lines    ${printed} (${(printed / seconds).toFixed(0)}/s)`);
console.log(`  lost (reported)  ${lost}`);
console.log(`  tsbpf CPU        ${cpu.toFixed(1)} s (${((cpu / seconds) * 100).toFixed(0)}% of one core)`);
console.log(`  RSS              first ${(rssSamples[0]! / 1024).toFixed(1)} MiB, settled ${(settledKiB / 1024).toFixed(1)} MiB, final ${(finalKiB / 1024).toFixed(1)} MiB, peak ${(peakKiB / 1024).toFixed(1)} MiB`);
for (const [what, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
if (checks.some(([, ok]) => !ok)) {
  console.log(`\nstderr:\n${stderr.slice(-3000)}`);
  process.exitCode = 1;
}
