// The provider tests' traced program (test/fixtures/c/providers-target.c), built at test time with
// -O0 (USDT arguments in memory off %rbp) or -O2 (registers, and a %rip-relative global), and ways
// to run it while a session is attached.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cc, sdtHeader, type Requirement } from '../support/skip.js';

const fixtureDirectory = fileURLToPath(new URL('../../../test/fixtures/c/', import.meta.url));

export type Optimization = 'O0' | 'O2';

const built = new Map<Optimization, string>();

/** What building the target needs; its USDT probes need <sys/sdt.h> too (built in only where it exists). */
export const targetNeeds: readonly Requirement[] = [cc];
export const usdtTargetNeeds: readonly Requirement[] = [cc, sdtHeader];

/** The path of the target built with `-O0` or `-O2` (built once per process); a failing cc throws. */
export function buildTarget(optimization: Optimization): string {
  const known = built.get(optimization);
  if (known) return known;
  const output = join(mkdtempSync(join(tmpdir(), 'tsbpf-providers-')), `providers-target-${optimization}`);
  const sources = ['providers-target.c', 'providers-gated.c'].map((name) => join(fixtureDirectory, name));
  execFileSync('cc', [`-${optimization}`, ...(sdtHeader.present ? ['-DHAVE_SDT'] : []), '-g', '-fcf-protection=none', '-fno-omit-frame-pointer', '-o', output, ...sources], { stdio: ['ignore', 'ignore', 'pipe'] });
  built.set(optimization, output);
  return output;
}

/** Runs `target calls N` to completion and returns its stdout (`gated K`). */
export function runCalls(target: string, rounds: number): string {
  return execFileSync(target, ['calls', String(rounds)], { encoding: 'utf8' });
}

/** Busy-loops on `cpu` for `milliseconds` (synchronously); returns the CPU milliseconds it got. */
export function spin(target: string, cpu: number, milliseconds: number): number {
  const output = execFileSync(target, ['spin', String(cpu), String(milliseconds)], { encoding: 'utf8' });
  return Number(/^cpu_ms ([\d.]+)$/m.exec(output)![1]);
}

/** `target serve`: one round per line written to it. */
export class ServingTarget {
  readonly child: ChildProcessWithoutNullStreams;
  private output = '';
  private waiters: (() => void)[] = [];

  constructor(target: string) {
    this.child = spawn(target, ['serve']);
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.output += chunk;
      for (const waiter of this.waiters.splice(0)) waiter();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Runs `rounds` rounds and resolves once the target has reported them all. */
  async rounds(rounds: number): Promise<void> {
    const before = (this.output.match(/^done /gm) ?? []).length;
    for (let index = 0; index < rounds; index++) this.child.stdin.write('go\n');
    while ((this.output.match(/^done /gm) ?? []).length < before + rounds) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    await exited;
  }
}
