// Routing syscall tracepoints through raw_syscalls. `tracepoint:syscalls:sys_enter_*` attaches ~360
// perf events, and closing each costs ~38 ms here (the kernel serialises it): bpftrace needs ~27 s to
// exit. Instead, one program on `raw_syscalls:sys_enter` tail-calls the per-syscall programs by
// syscall id: one attachment to close. This works unchanged because a syscall tracepoint's record has
// the same layout as raw_syscalls' (id at 8, the six arguments or `ret` from 16, 8 bytes each).
import { MapType, ProgramType, R0, R1, R2, R3, assemble, call, exit, ldMapFd, ldx, mov64, type AsmItem } from '../bpf/index.js';
import type { CompiledProgram, MapDescription } from '../model/artifact.js';
import type { ProbeAttachment } from '../model/probe.js';
import { syscallNumbers } from './syscalls.generated.js';

export type SyscallRouting = 'auto' | 'always' | 'never';

/** With 'auto', a probe block routes once it has this many syscall tracepoints. */
const ROUTING_THRESHOLD = 8;

/** Tracepoint names whose syscall has another name in unistd.h. */
const aliases: Readonly<Record<string, string>> = {
  newstat: 'stat', newlstat: 'lstat', newfstat: 'fstat', newuname: 'uname', sendfile64: 'sendfile', umount: 'umount2',
};

function syscallOf(attachment: ProbeAttachment): { direction: 'enter' | 'exit'; number: number } | undefined {
  const target = attachment.target;
  if (target.kind !== 'tracepoint' || target.category !== 'syscalls') return undefined;
  const match = /^sys_(enter|exit)_(\w+)$/.exec(target.name);
  if (!match) return undefined;
  const number = syscallNumbers[aliases[match[2]!] ?? match[2]!];
  return number === undefined ? undefined : { direction: match[1] as 'enter' | 'exit', number };
}

export interface RoutedPrograms {
  readonly programs: CompiledProgram[];
  readonly maps: MapDescription[];
}

/**
 * Rewrites one probe block's programs: syscall tracepoints with a known number leave the programs'
 * attachments and become program-array indices; a dispatcher per direction is added.
 */
export function routeSyscalls(blockPrograms: readonly CompiledProgram[], blockIndex: number, routing: SyscallRouting): RoutedPrograms {
  const routable = blockPrograms.flatMap((program) => program.attachments.filter((attachment) => syscallOf(attachment)));
  // A block with dispatch cases keeps its own attachments: the dispatcher's tail call would make a
  // 33-deep dispatch chain one call too long.
  const hasDispatch = blockPrograms.some((program) => program.tailCall !== undefined);
  if (routing === 'never' || hasDispatch || routable.length === 0 || (routing === 'auto' && routable.length < ROUTING_THRESHOLD)) {
    return { programs: [...blockPrograms], maps: [] };
  }
  const programs: CompiledProgram[] = [];
  const maps: MapDescription[] = [];
  const arrays = new Map<'enter' | 'exit', { name: string; largest: number; reached: ProbeAttachment[] }>();
  for (const program of blockPrograms) {
    const direct: ProbeAttachment[] = [];
    const indices = new Map<string, number[]>();
    for (const attachment of program.attachments) {
      const syscall = syscallOf(attachment);
      if (!syscall) {
        direct.push(attachment);
        continue;
      }
      let array = arrays.get(syscall.direction);
      if (!array) {
        array = { name: `tsbpf_sys${syscall.direction === 'enter' ? 'in' : 'out'}${blockIndex}`, largest: 0, reached: [] };
        arrays.set(syscall.direction, array);
      }
      array.largest = Math.max(array.largest, syscall.number);
      array.reached.push(attachment);
      indices.set(array.name, [...(indices.get(array.name) ?? []), syscall.number]);
    }
    if (indices.size > 1) throw new Error('internal error: one program serves both syscall entry and exit');
    const [tail] = [...indices.entries()];
    programs.push({
      ...program,
      attachments: direct,
      ...(tail ? { tailCall: { arrayMap: tail[0], indices: tail[1] }, reachedBy: program.attachments.filter((attachment) => syscallOf(attachment)) } : {}),
    });
  }
  for (const [direction, array] of arrays) {
    maps.push({ name: array.name, role: 'program-array', mapType: MapType.PROG_ARRAY, keySize: 4, valueSize: 4, maxEntries: array.largest + 1, flags: 0, perCpu: false });
    programs.push(dispatcher(direction, array.name, array.reached[0]!));
  }
  return { programs, maps };
}

/** `raw_syscalls:sys_{enter,exit}`: bpf_tail_call(ctx, array, id); no program for the id falls through. */
function dispatcher(direction: 'enter' | 'exit', arrayMap: string, first: ProbeAttachment): CompiledProgram {
  const items: AsmItem[] = [
    ldx('dw', R3, R1, 8), // id
    ldMapFd(R2, arrayMap),
    call('tail_call'),
    mov64(R0, 0),
    exit(),
  ];
  const name = `sys_${direction}_route`;
  return {
    name,
    programType: ProgramType.TRACEPOINT,
    attachments: [{ name: `tracepoint:raw_syscalls:sys_${direction}`, target: { kind: 'tracepoint', category: 'raw_syscalls', name: `sys_${direction}` }, span: first.span }],
    items,
    assembled: assemble(items),
    stackBytes: 0,
    functions: [],
    routesSyscalls: true,
  };
}
