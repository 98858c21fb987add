// `-d ast` and `-d asm`: the program as the parser understood it (printed back as canonical
// source) and each BPF program as generated, with how it is entered: its probes, or the program
// array and indices a tail call finds it at.
import { listing } from '../bpf/listing.js';
import type { CompiledProgram, CompiledScript } from '../model/artifact.js';
import { parse } from '../parser/parse.js';
import { defaultProviders } from '../providers/index.js';
import { printProgram } from '../parser/printer.js';

/** The canonical source, or undefined when the program does not parse (compile reports why). */
export function astDump(text: string, fileName: string): string | undefined {
  const parsed = parse(text, fileName, { providers: defaultProviders.syntax });
  if (!parsed.program) return undefined;
  const printed = printProgram(parsed.program);
  return printed.endsWith('\n') ? printed : `${printed}\n`;
}

export function asmDump(script: CompiledScript): string {
  let text = '';
  for (const program of script.programs) {
    text += `${entryDescription(program, script.programs)}\n`;
    text += `; program ${program.name}: ${program.assembled.slotCount} instructions, ${program.stackBytes} bytes of stack\n`;
    for (const line of tailCallTargets(program, script.programs)) text += `; ${line}\n`;
    for (const line of listing(program.items)) text += `${line}\n`;
    text += '\n';
  }
  return text;
}

/**
 * How the kernel enters a program: its attach points and, for a tail-called one (a dispatch case,
 * a routed syscall tracepoint), the program array, its indices there and the programs calling it.
 * A dispatch case has no attach point of its own: `tail call: tsbpf_tail0[222, 223] from rt_sys_enter`.
 */
export function entryDescription(program: CompiledProgram, programs: readonly CompiledProgram[]): string {
  const attachPoints = [...program.attachments, ...(program.reachedBy ?? [])].map((attachment) => attachment.name);
  if (!program.tailCall) return attachPoints.join(', ');
  const { arrayMap, indices } = program.tailCall;
  const callers = programs.filter((caller) => callsThrough(caller, arrayMap)).map((caller) => caller.name);
  const tailCall = `tail call: ${arrayMap}[${indices.join(', ')}]${callers.length > 0 ? ` from ${callers.join(', ')}` : ''}`;
  return [...attachPoints, tailCall].join(', ');
}

/** Beyond this many programs in one array, the line names the count only (syscall routing fills hundreds). */
const LISTED_TARGETS = 16;

/** One line per program array the program tail-calls through, naming the programs at each index. */
export function tailCallTargets(program: CompiledProgram, programs: readonly CompiledProgram[]): string[] {
  const arrays = [...new Set(program.assembled.mapReferences.map((reference) => reference.name))];
  const lines: string[] = [];
  for (const arrayMap of arrays) {
    const targets = programs.filter((target) => target.tailCall?.arrayMap === arrayMap);
    if (targets.length === 0) continue;
    const listed = targets.length <= LISTED_TARGETS
      ? targets.map((target) => `${target.name} at ${target.tailCall!.indices.join(', ')}`).join('; ')
      : `${targets.length} programs`;
    lines.push(`tail calls through ${arrayMap}: ${listed}`);
  }
  return lines;
}

function callsThrough(program: CompiledProgram, arrayMap: string): boolean {
  return program.assembled.mapReferences.some((reference) => reference.name === arrayMap);
}
