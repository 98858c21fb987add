// Shared by the ELF and symbol tests: the system tools they cross-check against (readelf, nm) and
// the C fixture, compiled at test time into a temporary directory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onPath, sdtHeader } from '../support/skip.js';

export const libcPath = '/lib/x86_64-linux-gnu/libc.so.6';
export const bashPath = '/bin/bash';
export const python311Path = '/usr/bin/python3.11';

/** stdout of a tool; throws if it fails. */
export function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Whether `command` is on $PATH (looked up, not run). */
export function haveTool(command: string): boolean {
  return onPath(command) !== undefined;
}

const fixtureDirectory = fileURLToPath(new URL('../../../test/fixtures/c/', import.meta.url));
export const haveSdtHeader = sdtHeader.present;

export interface Fixture {
  readonly path: string;
  /** Built with USDT probes (<sys/sdt.h> was found). */
  readonly usdt: boolean;
}

const built = new Map<string, Fixture>();

/**
 * The symbols-target program built with `cc -g -O0` (PIE unless `pie: false`). Tests that call it
 * need the `cc` requirement (test/support/skip.ts); a compiler that is there but fails throws.
 */
export function buildFixture(options: { pie?: boolean } = {}): Fixture {
  const pie = options.pie ?? true;
  const key = pie ? 'pie' : 'no-pie';
  const cached = built.get(key);
  if (cached) return cached;
  const output = join(mkdtempSync(join(tmpdir(), 'tsbpf-elf-')), `symbols-target-${key}`);
  const sources = ['symbols-target.c', 'symbols-gated.c'].map((name) => join(fixtureDirectory, name));
  const flags = ['-g', '-O0', '-fno-omit-frame-pointer', pie ? '-pie' : '-no-pie', ...(haveSdtHeader ? ['-DHAVE_SDT'] : [])];
  execFileSync('cc', [...flags, '-o', output, ...sources], { stdio: ['ignore', 'ignore', 'pipe'] });
  const fixture = { path: output, usdt: haveSdtHeader };
  built.set(key, fixture);
  return fixture;
}

export interface ReadelfSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size: number;
  readonly type: string;
  readonly binding: string;
  readonly section: string;
}

/** `readelf -W --syms` or `--dyn-syms`, one table: names as readelf shows them (with @versions). */
export function readelfSymbols(path: string, table: 'symtab' | 'dynsym'): ReadelfSymbol[] {
  const output = run('readelf', ['-W', table === 'dynsym' ? '--dyn-syms' : '--syms', path]);
  const wanted = table === 'dynsym' ? "'.dynsym'" : "'.symtab'";
  const symbols: ReadelfSymbol[] = [];
  let inTable = false;
  for (const line of output.split('\n')) {
    if (line.startsWith('Symbol table')) inTable = line.includes(wanted);
    if (!inTable) continue;
    const match = /^\s*\d+:\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!match || match[7] === '') continue;
    symbols.push({
      value: BigInt(`0x${match[1]}`),
      size: Number(match[2]),
      type: match[3]!,
      binding: match[4]!,
      section: match[6]!,
      name: match[7]!.replace(/ \(\d+\)$/, ''),
    });
  }
  return symbols;
}

export interface ReadelfSegment {
  readonly type: string;
  readonly offset: number;
  readonly virtualAddress: bigint;
  readonly fileSize: number;
  readonly memorySize: number;
}

/** `readelf -lW` program headers. */
export function readelfSegments(path: string): ReadelfSegment[] {
  const segments: ReadelfSegment[] = [];
  for (const line of run('readelf', ['-lW', path]).split('\n')) {
    const match = /^\s+([A-Z_]+|LOOS\+0x[0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s/.exec(line);
    if (!match) continue;
    segments.push({
      type: match[1]!,
      offset: parseInt(match[2]!, 16),
      virtualAddress: BigInt(`0x${match[3]}`),
      fileSize: parseInt(match[4]!, 16),
      memorySize: parseInt(match[5]!, 16),
    });
  }
  return segments;
}
