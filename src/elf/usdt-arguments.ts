// USDT argument descriptions for x86-64, as <sys/sdt.h> has the compiler write them in AT&T syntax:
// `SIZE@OPERAND` separated by spaces, SIZE being 1/2/4/8, negative for signed. Operands:
//   %edi            a register (any width; %ah-style high bytes too)
//   $42 / $-1       a constant
//   -8(%rbp)        memory at register + displacement; also (%rax), 16(%rsp,%rcx,8), (,%rdx,4)
//   counter(%rip)   memory at a symbol (+/- constant), relative to rip
import { ptRegsOffsets, type X86Register } from '../model/x86-registers.js';
import type { UsdtArgument, UsdtLocation } from '../model/probe.js';

export type UsdtArgumentsResult =
  | { readonly ok: true; readonly arguments: UsdtArgument[] }
  | { readonly ok: false; readonly message: string; readonly argumentIndex: number };

/** Parses a whole argument string (`-4@%edi 8@-8(%rbp)`); '' is a probe without arguments. */
export function parseUsdtArguments(spec: string): UsdtArgumentsResult {
  const parts = spec.trim().split(/\s+/).filter((part) => part.length > 0);
  const parsed: UsdtArgument[] = [];
  for (const [index, text] of parts.entries()) {
    const argument = parseUsdtArgument(text);
    if (typeof argument === 'string') return { ok: false, message: `USDT argument ${index} '${text}': ${argument}`, argumentIndex: index };
    parsed.push(argument);
  }
  return { ok: true, arguments: parsed };
}

/** One `SIZE@OPERAND`; a string result says what is wrong with it. */
export function parseUsdtArgument(text: string): UsdtArgument | string {
  const sizeMatch = /^(-?)(\d+)@/.exec(text);
  const operand = sizeMatch ? text.slice(sizeMatch[0].length) : text;
  const location = parseOperand(operand);
  if (typeof location === 'string') return location;
  if (!sizeMatch) {
    // Very old sdt.h wrote bare operands: the value is a signed long, or a register's own width.
    const size = location.kind === 'register' ? lookupRegister(operand.slice(1))!.width : 8;
    return { size, signed: true, location, text };
  }
  const size = Number(sizeMatch[2]);
  if (size !== 1 && size !== 2 && size !== 4 && size !== 8) return `size ${size} is not 1, 2, 4 or 8`;
  return { size, signed: sizeMatch[1] === '-', location, text };
}

function parseOperand(operand: string): UsdtLocation | string {
  if (operand.startsWith('$')) {
    const value = parseInteger(operand.slice(1));
    return value === undefined ? `'${operand}' is not a constant` : { kind: 'constant', value };
  }
  if (operand.startsWith('%')) {
    return lookupRegister(operand.slice(1))?.location ?? `unknown register ${operand}`;
  }
  return parseMemory(operand);
}

const memoryPattern = /^([^(]*)\(\s*(%\w+)?\s*(?:,\s*(%\w+)\s*(?:,\s*(\d+))?\s*)?\)$/;

function parseMemory(operand: string): UsdtLocation | string {
  const match = memoryPattern.exec(operand);
  const displacementText = match ? match[1]!.trim() : operand.trim();
  if (!match) {
    // A bare displacement is an absolute address (seen with -fno-pic statics).
    const value = parseInteger(displacementText);
    if (value !== undefined) return { kind: 'memory', base: undefined, offset: value, index: undefined, scale: 1, symbol: undefined };
    return `cannot parse operand '${operand}'`;
  }
  const base = match[2] ? lookupRegister(match[2].slice(1))?.location : undefined;
  if (match[2] && !base) return `unknown register ${match[2]}`;
  const index = match[3] ? lookupRegister(match[3].slice(1))?.location : undefined;
  if (match[3] && !index) return `unknown register ${match[3]}`;
  const scale = match[4] === undefined ? 1 : Number(match[4]);
  if (scale !== 1 && scale !== 2 && scale !== 4 && scale !== 8) return `scale ${scale} is not 1, 2, 4 or 8`;
  const displacement = parseDisplacement(displacementText);
  if (displacement === undefined) return `cannot parse displacement '${displacementText}'`;
  if (displacement.symbol !== undefined && base?.register !== 'rip') return `symbol '${displacement.symbol}' is only supported relative to %rip`;
  return { kind: 'memory', base: base?.register, offset: displacement.offset, index: index?.register, scale, symbol: displacement.symbol };
}

/** `-8`, `0x10`, `counter`, `counter+8`, `counter-0x4`, or nothing. */
function parseDisplacement(text: string): { offset: bigint; symbol: string | undefined } | undefined {
  if (text === '') return { offset: 0n, symbol: undefined };
  const number = parseInteger(text);
  if (number !== undefined) return { offset: number, symbol: undefined };
  const match = /^([A-Za-z_.$][\w.$@]*)(?:([+-])(.+))?$/.exec(text);
  if (!match) return undefined;
  let offset = 0n;
  if (match[3] !== undefined) {
    const value = parseInteger(match[3]);
    if (value === undefined) return undefined;
    offset = match[2] === '-' ? -value : value;
  }
  return { offset, symbol: match[1] };
}

function parseInteger(text: string): bigint | undefined {
  const match = /^([+-]?)(0x[0-9a-f]+|\d+)$/i.exec(text.trim());
  if (!match) return undefined;
  const magnitude = BigInt(match[2]!);
  return match[1] === '-' ? -magnitude : magnitude;
}

type RegisterLocation = Extract<UsdtLocation, { kind: 'register' }>;

export interface NamedRegister {
  readonly location: RegisterLocation;
  /** Bytes the name denotes: %rax 8, %eax 4, %ax 2, %al and %ah 1. */
  readonly width: 1 | 2 | 4 | 8;
}

const legacyNames: Record<string, X86Register> = { a: 'rax', b: 'rbx', c: 'rcx', d: 'rdx', si: 'rsi', di: 'rdi', bp: 'rbp', sp: 'rsp' };
const prefixWidths: Record<string, 2 | 4 | 8> = { '': 2, e: 4, r: 8 };
const numberedWidths: Record<string, 1 | 2 | 4 | 8> = { '': 8, d: 4, w: 2, b: 1, l: 1 };

/** Any x86-64 general register name (rax, eax, ax, al, ah, r8, r8d, r8w, r8b, sil, …). */
export function lookupRegister(name: string): NamedRegister | undefined {
  const lower = name.toLowerCase();
  const register = (register: X86Register, width: 1 | 2 | 4 | 8, bitOffset: 0 | 8 = 0): NamedRegister =>
    ({ location: { kind: 'register', register, bitOffset }, width });
  if (lower === 'rip') return register('rip', 8);
  let match = /^r(8|9|1[0-5])([dwbl]?)$/.exec(lower);
  if (match) return register(`r${match[1]}` as X86Register, numberedWidths[match[2]!]!);
  match = /^([re]?)([abcd])x$/.exec(lower) ?? /^([re]?)(si|di|bp|sp)$/.exec(lower);
  if (match) return register(legacyNames[match[2]!]!, prefixWidths[match[1]!]!);
  match = /^([abcd])l$/.exec(lower) ?? /^(si|di|bp|sp)l$/.exec(lower);
  if (match) return register(legacyNames[match[1]!]!, 1);
  match = /^([abcd])h$/.exec(lower);
  if (match) return register(legacyNames[match[1]!]!, 1, 8);
  return undefined;
}

/** Where a BPF program reads the register from: its offset in x86-64 `struct pt_regs`. */
export function ptRegsOffset(register: X86Register): number {
  return ptRegsOffsets[register];
}
