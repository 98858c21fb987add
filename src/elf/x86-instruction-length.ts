// The length of one x86-64 instruction, decoded from its prefixes, opcode, ModRM/SIB, displacement
// and immediate (no semantics): enough to walk a function from its start and tell whether an
// offset falls on an instruction boundary. A uprobe placed inside an instruction rewrites half of it
// and can crash the traced process, which is why bpftrace disassembles before placing one at
// `function+offset`; this does the same without a disassembler library.

/**
 * One letter per opcode of the one-byte map (64-bit mode):
 * `.` nothing follows · `b` imm8 · `w` imm16 · `z` imm16/32 (by operand size) · `v` imm16/32/64 (mov r, imm) ·
 * `o` moffs (address size) · `e` imm16 + imm8 (enter) · `r` rel32 · `m` ModRM · `n` ModRM + imm8 ·
 * `Z` ModRM + imm16/32 · `g`/`G` group 3 (ModRM, then imm8/imm16/32 for test) · `p` legacy prefix ·
 * `R` REX · `E` the 0F escape · `V` VEX · `X` EVEX · `O` pop r/m or XOP · `x` invalid in 64-bit mode.
 */
const oneByte = [
  'mmmmbzxxmmmmbzxE', 'mmmmbzxxmmmmbzxx', 'mmmmbzpxmmmmbzpx', 'mmmmbzpxmmmmbzpx',
  'RRRRRRRRRRRRRRRR', '................', 'xxXmppppzZbn....', 'bbbbbbbbbbbbbbbb',
  'nZxnmmmmmmmmmmmO', '..........x.....', 'oooo....bz......', 'bbbbbbbbvvvvvvvv',
  'nnw.VVnZe.w..bx.', 'mmmmxxx.mmmmmmmm', 'bbbbbbbbrrxb....', 'p.pp..gG......mm',
].join('');

/** The 0F map, same letters; `3` and `T` are the 0F 38 and 0F 3A maps, `D` 3DNow! (ModRM + a suffix byte). */
const twoByte = [
  'mmmmx.....x.xm.D', 'mmmmmmmmmmmmmmmm', 'mmmmxxxxmmmmmmmm', '......x.3xTxxxxx',
  'mmmmmmmmmmmmmmmm', 'mmmmmmmmmmmmmmmm', 'mmmmmmmmmmmmmmmm', 'nnnnmmm.mmmmmmmm',
  'rrrrrrrrrrrrrrrr', 'mmmmmmmmmmmmmmmm', '...mnmxx...mnmmm', 'mmmmmmmmmmnmmmmm',
  'mmnmnnnm........', 'mmmmmmmmmmmmmmmm', 'mmmmmmmmmmmmmmmm', 'mmmmmmmmmmmmmmmm',
].join('');

const legacyPrefixes = new Set([0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0x66, 0x67]);
const MAX_LENGTH = 15;

/** Opcodes of the 0F map (in VEX/EVEX form too) that end in an imm8. */
function map1TakesImm8(opcode: number): boolean {
  return (opcode >= 0x70 && opcode <= 0x73) || opcode === 0xc2 || (opcode >= 0xc4 && opcode <= 0xc6);
}

/** Bytes of ModRM, SIB and displacement at `at`; undefined past the end of `code`. */
function modrmLength(code: Uint8Array, at: number): number | undefined {
  const modrm = code[at];
  if (modrm === undefined) return undefined;
  const mod = modrm >> 6;
  const rm = modrm & 7;
  if (mod === 3) return 1;
  let length = 1;
  if (rm === 4) {
    const sib = code[at + 1];
    if (sib === undefined) return undefined;
    length += 1;
    if (mod === 0 && (sib & 7) === 5) length += 4;
  } else if (mod === 0 && rm === 5) length += 4; // rip-relative
  if (mod === 1) length += 1;
  if (mod === 2) length += 4;
  return length;
}

/**
 * The length of the instruction at `code[start]`, or undefined when it cannot be decoded (an
 * opcode invalid in 64-bit mode, an unknown map, longer than 15 bytes, or cut off by the end of `code`).
 */
export function x86InstructionLength(code: Uint8Array, start: number): number | undefined {
  let at = start;
  let operand16 = false;
  let address32 = false;
  let rexW = false;
  while (code[at] !== undefined && legacyPrefixes.has(code[at]!)) {
    if (code[at] === 0x66) operand16 = true;
    if (code[at] === 0x67) address32 = true;
    at++;
  }
  if (code[at] !== undefined && (code[at]! & 0xf0) === 0x40) {
    rexW = (code[at]! & 8) !== 0;
    at++;
  }
  const opcode = code[at++];
  if (opcode === undefined) return undefined;
  const immediateZ = operand16 ? 2 : 4;
  let kind = oneByte[opcode]!;
  if (kind === 'O' && code[at] !== undefined && (code[at]! & 0x1f) >= 8) return extended(code, start, at + 2, 'xop', code[at]! & 0x1f);
  if (kind === 'V') {
    const map = opcode === 0xc5 ? 1 : (code[at] ?? 0) & 0x1f;
    return extended(code, start, at + (opcode === 0xc5 ? 1 : 2), 'vex', map);
  }
  if (kind === 'X') return extended(code, start, at + 3, 'evex', (code[at] ?? 0) & 7);
  if (kind === 'E') {
    const second = code[at++];
    if (second === undefined) return undefined;
    kind = twoByte[second]!;
    if (kind === '3' || kind === 'T') {
      if (code[at++] === undefined) return undefined;
      kind = kind === '3' ? 'm' : 'n';
    } else if (kind === 'D') kind = 'n';
  }
  let immediate = 0;
  switch (kind) {
    case '.': break;
    case 'b': immediate = 1; break;
    case 'w': immediate = 2; break;
    case 'z': immediate = immediateZ; break;
    case 'v': immediate = rexW ? 8 : immediateZ; break;
    case 'o': immediate = address32 ? 4 : 8; break;
    case 'e': immediate = 3; break;
    case 'r': immediate = 4; break;
    case 'm': case 'O': case 'n': case 'Z': case 'g': case 'G': {
      const modrm = code[at];
      const length = modrmLength(code, at);
      if (modrm === undefined || length === undefined) return undefined;
      at += length;
      const testForm = ((modrm >> 3) & 7) < 2;
      immediate = kind === 'n' || (kind === 'g' && testForm) ? 1 : kind === 'Z' || (kind === 'G' && testForm) ? immediateZ : 0;
      break;
    }
    default: return undefined; // invalid, or a prefix where an opcode belongs
  }
  return finish(code, start, at + immediate);
}

/** VEX, EVEX and XOP instructions: `at` is the opcode, after the prefix bytes; `map` the opcode map they name. */
function extended(code: Uint8Array, start: number, at: number, form: 'vex' | 'evex' | 'xop', map: number): number | undefined {
  const opcode = code[at++];
  if (opcode === undefined) return undefined;
  let immediate: number;
  if (form === 'xop') immediate = map === 8 ? 1 : map === 9 ? 0 : map === 10 ? 4 : -1;
  else if (map === 1) immediate = map1TakesImm8(opcode) ? 1 : 0;
  else if (map === 2 || (form === 'evex' && (map === 5 || map === 6))) immediate = 0;
  else if (map === 3) immediate = 1;
  else immediate = -1;
  if (immediate < 0) return undefined;
  // vzeroupper and vzeroall have no ModRM.
  if (form === 'vex' && map === 1 && opcode === 0x77) return finish(code, start, at);
  const length = modrmLength(code, at);
  return length === undefined ? undefined : finish(code, start, at + length + immediate);
}

function finish(code: Uint8Array, start: number, end: number): number | undefined {
  return end - start <= MAX_LENGTH && end <= code.length ? end - start : undefined;
}

export type InstructionBoundary = 'aligned' | 'misaligned' | 'undecodable';

/**
 * Whether `offset` bytes into `code` (a function's bytes from its first instruction) is where an
 * instruction starts, walking the instructions from the first.
 */
export function x86InstructionBoundary(code: Uint8Array, offset: number): InstructionBoundary {
  let position = 0;
  while (position < offset) {
    const length = x86InstructionLength(code, position);
    if (length === undefined) return 'undecodable';
    position += length;
  }
  return position === offset ? 'aligned' : 'misaligned';
}
