// Possible CPUs: per-CPU map values carry one slot per possible CPU, not per online CPU.
import { readFileSync } from 'node:fs';

/** Parses a kernel CPU list such as `0-3,8,10-11` into the CPU numbers it names. */
export function parseCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) throw new Error(`malformed CPU list: ${JSON.stringify(text)}`);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    for (let cpu = first; cpu <= last; cpu++) cpus.push(cpu);
  }
  return cpus;
}

let possible: readonly number[] | undefined;

export function possibleCpus(): readonly number[] {
  possible ??= parseCpuList(readFileSync('/sys/devices/system/cpu/possible', 'utf8'));
  return possible;
}

export function possibleCpuCount(): number {
  return possibleCpus().length;
}

let online: readonly number[] | undefined;

/** Online CPUs, for opening one perf event per CPU. */
export function onlineCpus(): readonly number[] {
  online ??= parseCpuList(readFileSync('/sys/devices/system/cpu/online', 'utf8'));
  return online;
}
