// The programs measured, each written once per tool. bpftrace 0.17 spells tracepoint fields
// `args->id`; tsbpf's own spelling is `args.id`. Everything else is the same text.
import type { LoadMode } from './load-generator.js';
import type { ToolName } from './tracers.js';

export interface Benchmark {
  /** The number in the task's list (0: calibration). */
  readonly number: number;
  readonly id: string;
  readonly title: string;
  /** Wanted tsbpf/bpftrace ratio of per-event cost (issue 8: 0.5× for @[pid], 1.0× for the rest); absent when only recorded. */
  readonly targetRatio?: number;
  readonly loadMode: LoadMode;
  /** Tracepoint programs the script attaches (one per probe here). */
  readonly probeCount: number;
  /** The script; `loadPid` is the generator's pid, for programs that filter to it. */
  source(tool: ToolName, loadPid: number): string;
  /** For printing programs: how the generator's output lines start, to count what was delivered. */
  outputLinePrefix?(loadPid: number): string;
}

const enter = 'tracepoint:raw_syscalls:sys_enter';
const exit = 'tracepoint:raw_syscalls:sys_exit';

function field(tool: ToolName, name: string): string {
  return tool === 'bpftrace' ? `args->${name}` : `args.${name}`;
}

export const benchmarks: readonly Benchmark[] = [
  {
    // Not a real workload: a predicate on a context field that is never true, i.e. one load, one
    // compare and exit. Its cost is the floor (stats accounting, call into the program) that every
    // other row pays too, and which no code generator can remove.
    number: 0,
    id: 'floor',
    title: '/args.id == 100000/ { @x = count(); } (calibration)',
    loadMode: 'getppid',
    probeCount: 1,
    source: (tool) => `${enter} /${field(tool, 'id')} == 100000/ { @x = count(); }`,
  },
  {
    number: 1,
    id: 'pid-count',
    title: '@[pid] = count()',
    targetRatio: 0.5,
    loadMode: 'getppid',
    probeCount: 1,
    source: () => `${enter} { @[pid] = count(); }`,
  },
  {
    number: 2,
    id: 'scalar-count',
    title: '@ = count()',
    targetRatio: 1,
    loadMode: 'getppid',
    probeCount: 1,
    source: () => `${enter} { @ = count(); }`,
  },
  {
    number: 3,
    id: 'comm-count',
    title: '@[comm] = count()',
    targetRatio: 1,
    loadMode: 'getppid',
    probeCount: 1,
    source: () => `${enter} { @[comm] = count(); }`,
  },
  {
    number: 4,
    id: 'hist-id',
    title: '@h = hist(args.id)',
    targetRatio: 1,
    loadMode: 'getppid',
    probeCount: 1,
    source: (tool) => `${enter} { @h = hist(${field(tool, 'id')}); }`,
  },
  {
    number: 5,
    id: 'latency',
    title: '@start[tid] = nsecs; exit: sum(nsecs - @start[tid]), delete',
    targetRatio: 1,
    loadMode: 'getppid',
    probeCount: 2,
    source: () =>
      `${enter} { @start[tid] = nsecs; }\n` +
      `${exit} /@start[tid]/ { $d = nsecs - @start[tid]; @ns = sum($d); delete(@start[tid]); }`,
  },
  {
    number: 6,
    id: 'false-predicate',
    title: '/comm == "nosuchcomm"/ { @x = count(); }',
    targetRatio: 1,
    loadMode: 'getppid',
    probeCount: 1,
    source: () => `${enter} /comm == "nosuchcomm"/ { @x = count(); }`,
  },
  {
    number: 7,
    id: 'printf',
    title: 'printf of tid, args.id, comm, filtered to the generator',
    targetRatio: 1,
    loadMode: 'getppid',
    probeCount: 1,
    source: (tool, loadPid) => `${enter} /pid == ${loadPid}/ { printf("%d %d %s\\n", tid, ${field(tool, 'id')}, comm); }`,
    // The generator is single-threaded: its tid is its pid.
    outputLinePrefix: (loadPid) => `${loadPid} `,
  },
  {
    // Recorded, no target: a loop whose body branches. bpftrace hands the verifier a plain loop;
    // tsbpf runs it as a bpf_loop callback (docs/loops.md), which the JIT inlines into a call per iteration.
    number: 8,
    id: 'branchy-loop',
    title: 'while ($i < 16) { if ((args.id + $i) % 3 == 0) { $n++; } $i++; } @n = sum($n)',
    loadMode: 'getppid',
    probeCount: 1,
    source: (tool) => `${enter} { $i = 0; $n = 0; while ($i < 16) { if ((${field(tool, 'id')} + $i) % 3 == 0) { $n++; } $i++; } @n = sum($n); }`,
  },
  {
    // Issue 15: kernel structs through BTF, a two-level pointer walk in a key (the issue's
    // sched_switch program keyed by args.prev_comm, on the event the generator drives).
    number: 9,
    id: 'pointer-walk',
    title: '@[comm, curtask->real_parent->pid] = count()',
    targetRatio: 1,
    loadMode: 'getppid',
    probeCount: 1,
    source: () => `${enter} { @[comm, curtask->real_parent->pid] = count(); }`,
  },
];
