// Kernel cross-check: a program using every instruction form is loaded with a level-2 verifier log.
// The verifier must accept it (our encodings are what the kernel expects), and the kernel's own
// disassembly of each instruction must equal ours (our syntax is the verifier's).
import { release } from 'node:os';
import { test } from 'uvu';
import { feature, needs } from '../support/skip.js';
import * as assert from 'uvu/assert';
import * as asm from '../../src/bpf/asm.js';
import { assemble, linkMaps } from '../../src/bpf/assembler.js';
import { decodeSlots } from '../../src/bpf/decode.js';
import { disassemble } from '../../src/bpf/disassemble.js';
import type { AsmItem } from '../../src/bpf/instruction.js';
import { PseudoLoad } from '../../src/bpf/opcodes.js';
import { R0, R1, R2, R3, R6, R10 } from '../../src/bpf/registers.js';
import { BpfCommand, MapType, ProgramType } from '../../src/bpf/uapi.generated.js';
import { native } from '../../src/loader/native.js';
import { aluOps, atomicOps, conditions, sizes } from './isa-catalog.js';

const [major = 0, minor = 0] = release().split(/[.-]/).map(Number);
const kernelAtLeast = (wantMajor: number, wantMinor: number): boolean => major > wantMajor || (major === wantMajor && minor >= wantMinor);

function coverageProgram(withAcquireRelease: boolean): AsmItem[] {
  const items: AsmItem[] = [asm.mov64(R1, 7), asm.mov64(R2, 3), asm.mov64(R6, R1)];
  for (const build of [asm.alu64, asm.alu32]) {
    for (const op of aluOps) {
      items.push(build(op, R1, 3));
      if (op !== 'neg') items.push(build(op, R1, R2));
    }
  }
  items.push(asm.mov32(R1, -5), asm.mov32(R1, R2), asm.movsx(R1, R2, 8), asm.movsx(R1, R2, 16), asm.movsx(R1, R2, 32));
  items.push(asm.movsx32(R1, R2, 8), asm.movsx32(R1, R2, 16), asm.neg64(R1), asm.neg32(R1));
  for (const bits of [16, 32, 64] as const) items.push(asm.endian('le', R1, bits), asm.endian('be', R1, bits), asm.bswap(R1, bits));
  items.push(asm.lddw(R3, 0x0123_4567_89ab_cdefn), asm.lddw(R3, -1n), asm.lddw(R3, 0n));
  for (const size of sizes) items.push(asm.st(size, R10, -8, -3), asm.stx(size, R10, -16, R1), asm.ldx(size, R3, R10, -8));
  for (const size of ['b', 'h', 'w'] as const) items.push(asm.ldxsx(size, R3, R10, -16));
  items.push(asm.mov64(R0, 0));
  for (const size of ['w', 'dw'] as const) for (const op of atomicOps) items.push(asm.atomic(size, op, R10, -8, R1));
  if (withAcquireRelease) {
    for (const size of sizes) items.push(asm.loadAcquire(size, R3, R10, -8), asm.storeRelease(size, R10, -8, R1));
  }
  let label = 0;
  for (const build of [asm.jmp, asm.jmp32]) {
    for (const condition of conditions) {
      items.push(build(condition, R1, -2, `l${label}`), asm.label(`l${label++}`));
      items.push(build(condition, R1, R2, `l${label}`), asm.label(`l${label++}`));
    }
  }
  items.push(asm.ja(`l${label}`), asm.label(`l${label++}`));
  items.push(asm.gotol(`l${label}`), asm.label(`l${label++}`));
  items.push(asm.mayGoto(`l${label}`), asm.label(`l${label++}`));
  items.push(asm.ldMapFd(R1, 'array'), asm.ldMapValue(R2, 'array', 8));
  items.push(asm.call('ktime_get_ns'), asm.callLocal('subprogram'));
  items.push(asm.mov64(R0, 0), asm.exit());
  items.push(asm.label('subprogram'), asm.mov64(R0, 0), asm.exit());
  return items;
}

function createArrayMap(): number {
  const attr = new Uint8Array(144);
  const view = new DataView(attr.buffer);
  view.setUint32(0, MapType.ARRAY, true);
  view.setUint32(4, 4, true); // key_size
  view.setUint32(8, 16, true); // value_size
  view.setUint32(12, 1, true); // max_entries
  return native().bpf(BpfCommand.MAP_CREATE, attr);
}

function loadWithLog(bytes: Uint8Array, slotCount: number): { fd: number; log: string } {
  const license = new TextEncoder().encode('GPL\0');
  const log = new Uint8Array(16 << 20);
  const attr = new Uint8Array(144);
  const view = new DataView(attr.buffer);
  const addon = native();
  view.setUint32(0, ProgramType.SOCKET_FILTER, true);
  view.setUint32(4, slotCount, true);
  view.setBigUint64(8, addon.addressOf(bytes), true);
  view.setBigUint64(16, addon.addressOf(license), true);
  view.setUint32(24, 2, true); // log_level: every instruction
  view.setUint32(28, log.length, true);
  view.setBigUint64(32, addon.addressOf(log), true);
  const fd = addon.bpf(BpfCommand.PROG_LOAD, attr);
  const end = log.indexOf(0);
  return { fd, log: new TextDecoder().decode(log.subarray(0, end < 0 ? log.length : end)) };
}

/** index → `(op) text` from both the liveness listing (6.15+) and the per-instruction trace. */
function kernelLines(log: string): Map<number, string> {
  const lines = new Map<number, string>();
  for (const line of log.split('\n')) {
    const match = /^\s*(\d+): (?:[.0-9]{10} )?(\([0-9a-f]{2}\) .*?)(?:\s+;.*)?$/.exec(line);
    if (match && !lines.has(Number(match[1]))) lines.set(Number(match[1]), match[2]!.trimEnd());
  }
  return lines;
}

/** Loads the coverage program and compares the verifier's text of each instruction with ours. */
function checkEveryForm(withAcquireRelease: boolean): void {
  native().raiseMemlockLimit();
  const mapFd = createArrayMap();
  assert.ok(mapFd >= 0, `BPF_MAP_CREATE failed: ${mapFd}`);
  try {
    const program = assemble(coverageProgram(withAcquireRelease));
    const bytes = linkMaps(program, (name) => (name === 'array' ? mapFd : undefined));
    const { fd, log } = loadWithLog(bytes, program.slotCount);
    if (fd >= 0) native().close(fd);
    assert.ok(fd >= 0, `verifier rejected the program (${fd}):\n${log.split('\n').slice(-15).join('\n')}`);

    const kernel = kernelLines(log);
    const ours = disassemble(bytes);
    const decoded = decodeSlots(bytes);
    assert.is(ours.length, decoded.length);
    let compared = 0;
    for (let index = 0; index < ours.length; index++) {
      const { slot, instruction } = decoded[index]!;
      const kernelText = kernel.get(slot);
      assert.ok(kernelText !== undefined, `instruction ${slot} missing from the verifier log`);
      const ourText = ours[index]!.slice(`${slot}: `.length);
      const isMapLoad = instruction.opcode === 0x18 && (instruction.src === PseudoLoad.MAP_FD || instruction.src === PseudoLoad.MAP_VALUE);
      if (isMapLoad) {
        // The kernel prints the map's kernel address where we print its fd.
        assert.match(kernelText!, new RegExp(`^\\(18\\) r${instruction.dst} = 0x[0-9a-f]+$`));
        continue;
      }
      assert.is(ourText, kernelText, `slot ${slot}`);
      compared += 1;
    }
    assert.ok(compared > 150, `only ${compared} instructions compared`);
  } finally {
    native().close(mapFd);
  }
}

const isaV4 = feature(`a kernel with ISA v4 and may_goto, 6.9+ (this is ${release()})`, kernelAtLeast(6, 9));
const acquireRelease = feature(`a kernel with load_acquire/store_release, 6.15+ (this is ${release()})`, kernelAtLeast(6, 15));

needs(test, 'the verifier accepts every instruction form and prints each exactly as we do', [isaV4], () => checkEveryForm(false));

needs(test, 'with load_acquire and store_release too', [isaV4, acquireRelease], () => checkEveryForm(true));

test.run();
