// Removes instructions that no path from the program's entry reaches. Lowering emits both sides of
// every branch, but a constant condition (`if (1)`, `0 ? a : b`, `1 || x`) emits no jump, so one
// side can never run; the verifier rejects a program with any unreachable instruction.
import { InstructionClass, JumpCode, isLabel, type AsmItem, type Instruction } from '../bpf/index.js';

type Flow = 'next' | 'jump' | 'branch' | 'stop';

function flowOf(instruction: Instruction): Flow {
  const instructionClass = instruction.opcode & 0x07;
  if (instructionClass !== InstructionClass.JMP && instructionClass !== InstructionClass.JMP32) return 'next';
  const code = instruction.opcode & 0xf0;
  if (code === JumpCode.EXIT) return 'stop';
  if (code === JumpCode.CALL) return 'next';
  if (code === JumpCode.JA) return 'jump';
  return 'branch';
}

/** The items reachable from the first one, in order; every label is kept. */
export function removeUnreachable(items: readonly AsmItem[]): AsmItem[] {
  const labelIndex = new Map<string, number>();
  items.forEach((item, index) => {
    if (isLabel(item)) labelIndex.set(item.label, index);
  });
  const reachable = new Uint8Array(items.length);
  const pending: number[] = [0];
  const reach = (index: number | undefined) => {
    if (index !== undefined && index < items.length && !reachable[index]) pending.push(index);
  };
  while (pending.length > 0) {
    const index = pending.pop()!;
    if (reachable[index]) continue;
    reachable[index] = 1;
    const item = items[index]!;
    if (isLabel(item)) {
      reach(index + 1);
      continue;
    }
    const flow = flowOf(item);
    if (flow === 'next' || flow === 'branch') reach(index + 1);
    // Jump targets, and also bpf-to-bpf call and function-pointer targets, which start code too.
    if (item.target !== undefined && flow !== 'stop') reach(labelIndex.get(item.target));
  }
  const kept = items.filter((item, index) => isLabel(item) || reachable[index]);
  return kept.length === items.length ? (items as AsmItem[]) : kept;
}
