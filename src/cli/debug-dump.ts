// `-d ast` and `-d asm`: the program as the parser understood it (printed back as canonical
// source) and each BPF program as generated, with the probes it attaches to.
import { listing } from '../bpf/listing.js';
import type { CompiledScript } from '../codegen/artifact.js';
import { parse } from '../parser/parse.js';
import { printProgram } from '../parser/printer.js';

/** The canonical source, or undefined when the program does not parse (compile reports why). */
export function astDump(text: string, fileName: string): string | undefined {
  const parsed = parse(text, fileName);
  if (!parsed.program) return undefined;
  const printed = printProgram(parsed.program);
  return printed.endsWith('\n') ? printed : `${printed}\n`;
}

export function asmDump(script: CompiledScript): string {
  let text = '';
  for (const program of script.programs) {
    const probes = program.attachments.map((attachment) => attachment.name).join(', ');
    text += `${probes}\n`;
    text += `; program ${program.name}: ${program.assembled.slotCount} instructions, ${program.stackBytes} bytes of stack\n`;
    for (const line of listing(program.items)) text += `${line}\n`;
    text += '\n';
  }
  return text;
}
