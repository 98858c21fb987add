// The x86-64 instruction length decoder, cross-checked against objdump: every instruction objdump
// decodes in libc's and bash's text (all of SSE, AVX, AVX-512 that libc's string functions use, x87,
// prefixes, rip-relative operands) must have the length objdump gives it; and hand-written cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ElfFile } from '../../src/elf/index.js';
import { x86InstructionBoundary, x86InstructionLength } from '../../src/elf/x86-instruction-length.js';
import { file, needs, tool } from '../support/skip.js';
import { bashPath, libcPath, run } from './tools.js';

/** objdump's instructions of `path`'s .text: [address, length] in address order, without those it cannot decode. */
function objdumpInstructions(path: string): { address: number; length: number }[] {
  const lines = run('objdump', ['-d', '--insn-width=16', '-j', '.text', path]);
  const found: { address: number; length: number; bad: boolean }[] = [];
  for (const line of lines.split('\n')) {
    const match = /^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+)\s*\t?(.*)$/.exec(line);
    if (!match) continue;
    found.push({ address: Number.parseInt(match[1]!, 16), length: match[2]!.trim().split(' ').length, bad: /\(bad\)|\.byte/.test(match[3]!) });
  }
  return found.filter((one) => !one.bad);
}

function checkAgainstObjdump(path: string): void {
  const elf = ElfFile.open(path);
  try {
    const text = elf.section('.text')!;
    const bytes = elf.sectionBytes(text);
    const instructions = objdumpInstructions(path);
    assert.ok(instructions.length > 10_000, `objdump decoded ${instructions.length} instructions of ${path}`);
    let mismatches = 0;
    const examples: string[] = [];
    for (const { address, length } of instructions) {
      const offset = address - Number(text.address);
      const decoded = x86InstructionLength(bytes, offset);
      if (decoded !== length) {
        mismatches++;
        if (examples.length < 5) examples.push(`${address.toString(16)}: ${Buffer.from(bytes.subarray(offset, offset + length)).toString('hex')} objdump ${length}, decoded ${decoded}`);
      }
    }
    assert.is(mismatches, 0, `${mismatches} of ${instructions.length} lengths differ from objdump's:\n${examples.join('\n')}`);
  } finally {
    elf.close();
  }
}

needs(test, 'every instruction of libc\'s text has the length objdump gives it', [tool('objdump'), file(libcPath)], () => checkAgainstObjdump(libcPath));
needs(test, 'every instruction of bash\'s text has the length objdump gives it', [tool('objdump'), file(bashPath)], () => checkAgainstObjdump(bashPath));

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/ /g, ''), 'hex'));

test('lengths of instructions whose size depends on prefixes', () => {
  const cases: [string, number][] = [
    ['f3 0f 1e fa', 4], // endbr64
    ['55', 1], // push %rbp
    ['48 89 e5', 3], // mov %rsp,%rbp
    ['48 b8 88 77 66 55 44 33 22 11', 10], // movabs $imm64,%rax
    ['66 b8 34 12', 4], // mov $imm16,%ax
    ['b8 78 56 34 12', 5], // mov $imm32,%eax
    ['66 0f 1f 84 00 00 00 00 00', 9], // nopw 0x0(%rax,%rax,1)
    ['f7 c7 01 00 00 00', 6], // test $1,%edi (group 3 takes an immediate)
    ['f7 df', 2], // neg %edi (group 3 without one)
    ['48 8b 05 00 00 00 00', 7], // mov 0(%rip),%rax
    ['c5 f8 77', 3], // vzeroupper
    ['c5 fd 6f 06', 4], // vmovdqa (%rsi),%ymm0
    ['c4 e3 7d 39 c1 01', 6], // vextracti128 $1,%ymm0,%xmm1
    ['62 f1 fe 48 6f 06', 6], // vmovdqu64 (%rsi),%zmm0
    ['c8 10 00 00', 4], // enter $16,$0
    ['a1 88 77 66 55 44 33 22 11', 9], // movabs 0x1122334455667788,%eax
  ];
  for (const [bytes, length] of cases) assert.is(x86InstructionLength(hex(bytes), 0), length, bytes);
  assert.is(x86InstructionLength(hex('06'), 0), undefined, 'push %es does not exist in 64-bit mode');
  assert.is(x86InstructionLength(hex('48 b8 88 77'), 0), undefined, 'cut off');
});

test('a boundary is where a walk from the function start lands', () => {
  const code = hex('55 48 89 e5 89 7d fc 8b 45 fc f7 d8 5d c3');
  assert.equal([0, 1, 4, 7, 10, 12, 13].map((offset) => x86InstructionBoundary(code, offset)), Array(7).fill('aligned'));
  assert.equal([2, 3, 5, 11].map((offset) => x86InstructionBoundary(code, offset)), Array(4).fill('misaligned'));
  assert.is(x86InstructionBoundary(hex('55 06 90'), 2), 'undecodable');
});

test.run();
