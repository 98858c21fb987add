// A readable dump of a symbolic program for debugging (`-d`-style output): the verifier-syntax
// disassembly with labels on their own lines and each instruction's comment and source line.
import { assemble } from './assembler.js';
import { disassembleProgram, type DisassembleOptions } from './disassemble.js';
import { isLabel, type AsmItem, type Instruction } from './instruction.js';

export interface ListingOptions extends DisassembleOptions {
  /** Append `; file:line` for instructions that carry a span (default true). */
  showSpans?: boolean;
}

/** Assemble `items` and list them: `label:` lines, then `  slot: (op) text  ; comment  ; file:line`. */
export function listing(items: readonly AsmItem[], options: ListingOptions = {}): string[] {
  const program = assemble(items);
  const lines = disassembleProgram(program, program.bytes, options);
  const showSpans = options.showSpans ?? true;
  const out: string[] = [];
  let line = 0;
  for (const item of items) {
    if (isLabel(item)) {
      out.push(`${item.label}:`);
      continue;
    }
    out.push(`  ${lines[line]}${annotation(item, showSpans)}`);
    line += 1;
  }
  return out;
}

function annotation(instruction: Instruction, showSpans: boolean): string {
  const notes: string[] = [];
  if (instruction.comment !== undefined) notes.push(instruction.comment);
  if (showSpans && instruction.span !== undefined) notes.push(`${instruction.span.file}:${instruction.span.line}:${instruction.span.column}`);
  return notes.length === 0 ? '' : `  ; ${notes.join('  ; ')}`;
}
