// Every instruction the builders can emit, enumerated systematically (classes × operations × source
// kinds × sizes, with operands at their limits). Shared by the round-trip and kernel tests.
import * as asm from '../../src/bpf/asm.js';
import type { AluOp, AtomicOp, JumpCondition, MemorySize } from '../../src/bpf/asm.js';
import type { AsmItem, Instruction } from '../../src/bpf/instruction.js';
import { R0, R1, R2, R3, R9, R10, type Register } from '../../src/bpf/registers.js';

export const aluOps: readonly AluOp[] = ['add', 'sub', 'mul', 'div', 'sdiv', 'or', 'and', 'lsh', 'rsh', 'neg', 'mod', 'smod', 'xor', 'arsh'];
export const conditions: readonly JumpCondition[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sgt', 'sge', 'slt', 'sle', 'set'];
export const sizes: readonly MemorySize[] = ['b', 'h', 'w', 'dw'];
export const atomicOps: readonly AtomicOp[] = ['add', 'or', 'and', 'xor', 'fetch_add', 'fetch_or', 'fetch_and', 'fetch_xor', 'xchg', 'cmpxchg'];

const immediateLimits = [0, 1, -1, 0x7fff_ffff, -0x8000_0000];
const offsetLimits = [0, -8, 0x7fff, -0x8000];
const registerPairs: readonly [Register, Register][] = [[R0, R1], [R9, R10], [R10, R0], [R3, R2]];

/** Label-free instructions, each paired with a readable name for failure messages. */
export function plainInstructions(): { name: string; instruction: Instruction }[] {
  const out: { name: string; instruction: Instruction }[] = [];
  const add = (name: string, instruction: Instruction): void => { out.push({ name, instruction }); };
  for (const [cls, build] of [['alu64', asm.alu64], ['alu32', asm.alu32]] as const) {
    for (const op of aluOps) {
      for (const [dst, src] of registerPairs) {
        add(`${cls} ${op} r${dst.reg}, r${src.reg}`, build(op, dst, src));
      }
      for (const imm of immediateLimits) add(`${cls} ${op} r1, ${imm}`, build(op, R1, imm));
    }
  }
  for (const [dst, src] of registerPairs) {
    add(`mov64 r${dst.reg}, r${src.reg}`, asm.mov64(dst, src));
    add(`mov32 r${dst.reg}, r${src.reg}`, asm.mov32(dst, src));
    for (const bits of [8, 16, 32] as const) add(`movsx r${dst.reg}, r${src.reg}, ${bits}`, asm.movsx(dst, src, bits));
    for (const bits of [8, 16] as const) add(`movsx32 r${dst.reg}, r${src.reg}, ${bits}`, asm.movsx32(dst, src, bits));
  }
  for (const imm of immediateLimits) {
    add(`mov64 r2, ${imm}`, asm.mov64(R2, imm));
    add(`mov32 r2, ${imm}`, asm.mov32(R2, imm));
  }
  add('mov32 r2, 0xffffffff', asm.mov32(R2, 0xffff_ffff));
  add('neg64 r9', asm.neg64(R9));
  add('neg32 r9', asm.neg32(R9));
  for (const bits of [16, 32, 64] as const) {
    add(`le${bits}`, asm.endian('le', R3, bits));
    add(`be${bits}`, asm.endian('be', R3, bits));
    add(`bswap${bits}`, asm.bswap(R3, bits));
  }
  for (const size of sizes) {
    for (const offset of offsetLimits) {
      for (const [dst, src] of registerPairs) {
        add(`ldx ${size} r${dst.reg}, [r${src.reg}${offset}]`, asm.ldx(size, dst, src, offset));
        add(`stx ${size} [r${dst.reg}${offset}], r${src.reg}`, asm.stx(size, dst, offset, src));
        add(`load_acquire ${size} r${dst.reg}, [r${src.reg}${offset}]`, asm.loadAcquire(size, dst, src, offset));
        add(`store_release ${size} [r${dst.reg}${offset}], r${src.reg}`, asm.storeRelease(size, dst, offset, src));
        if (size !== 'dw') add(`ldxsx ${size} r${dst.reg}, [r${src.reg}${offset}]`, asm.ldxsx(size, dst, src, offset));
      }
      for (const imm of immediateLimits) add(`st ${size} [r10${offset}], ${imm}`, asm.st(size, R10, offset, imm));
    }
  }
  for (const size of ['w', 'dw'] as const) {
    for (const op of atomicOps) {
      for (const offset of offsetLimits) add(`atomic ${size} ${op} [r10${offset}], r1`, asm.atomic(size, op, R10, offset, R1));
    }
  }
  const wideValues = [0n, 1n, -1n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n, 0x0123_4567_89ab_cdefn,
    (1n << 63n) - 1n, -(1n << 63n), (1n << 64n) - 1n];
  for (const value of wideValues) add(`lddw r1, ${value}`, asm.lddw(R1, value));
  add('lddw r1, -5 (number)', asm.lddw(R1, -5));
  add('ldMapByFd r2, 7', asm.ldMapByFd(R2, 7));
  add('ldMapByFd r2, max', asm.ldMapByFd(R2, 0x7fff_ffff));
  for (const id of [1, 130, 181, 0x7fff_ffff]) add(`call ${id}`, asm.call(id));
  add('call by name', asm.call('ringbuf_output'));
  add('kfunc', asm.callKfunc(65470));
  add('kfunc module', asm.callKfunc(123, undefined, 2));
  add('exit', asm.exit());
  return out;
}

/** Instructions that refer to a label; each is assembled at several distances from its target. */
export function targetedInstructions(target: string): { name: string; instruction: Instruction }[] {
  const out: { name: string; instruction: Instruction }[] = [];
  for (const [cls, build] of [['jmp', asm.jmp], ['jmp32', asm.jmp32]] as const) {
    for (const condition of conditions) {
      out.push({ name: `${cls} ${condition} reg`, instruction: build(condition, R1, R2, target) });
      for (const imm of immediateLimits) out.push({ name: `${cls} ${condition} ${imm}`, instruction: build(condition, R9, imm, target) });
    }
  }
  out.push({ name: 'jmp32 eq 0xffffffff', instruction: asm.jmp32('eq', R1, 0xffff_ffff, target) });
  out.push({ name: 'ja', instruction: asm.ja(target) });
  out.push({ name: 'gotol', instruction: asm.gotol(target) });
  out.push({ name: 'may_goto', instruction: asm.mayGoto(target) });
  out.push({ name: 'call local', instruction: asm.callLocal(target) });
  out.push({ name: 'ldFunc', instruction: asm.ldFunc(R2, target) });
  return out;
}

/** The wire fields of an instruction: what must survive encode → decode. */
export function wireFields(instruction: Instruction): Instruction {
  const { opcode, dst, src, offset, imm, imm64 } = instruction;
  return imm64 === undefined ? { opcode, dst, src, offset, imm } : { opcode, dst, src, offset, imm, imm64 };
}

export type { AsmItem };
