// Loading a compiled script into the verifier without attaching anything: `--dry-run`, `-v`
// (statistics per program) and `-d verifier` (the whole log). The session loads programs without a
// log and does not hand them out, so these load their own copies and close them again; map
// creation is the session's own.
import { linkMaps } from '../bpf/assembler.js';
import type { AttachType, ProgramType } from '../bpf/uapi.generated.js';
import type { CompiledProgram, CompiledScript } from '../model/artifact.js';
import type { ProgramInfo } from '../loader/attr/obj-info.js';
import { native } from '../loader/native.js';
import { loadProgram } from '../loader/programs.js';
import { ResourceStack } from '../runtime/lifecycle.js';
import { loadFunctionBtf } from '../runtime/program-btf.js';
import { createSessionMaps } from '../runtime/setup.js';
import { entryDescription, tailCallTargets } from './debug-dump.js';

export interface VerifiedProgram {
  readonly compiled: CompiledProgram;
  readonly info: ProgramInfo;
  /** The verifier's log, when a log level was asked for. */
  readonly log: readonly string[];
}

/** The kernel's log levels: 1 branches and failures, 2 every instruction, 4 statistics only. */
export const VerifierLog = { none: 0, statistics: 4, everyInstruction: 2 | 4 } as const;

/**
 * Creates the script's maps, loads every program with the given log level and reads back what the
 * kernel made of it, then closes everything. A rejection throws the loader's VerifierError.
 */
export function verifyScript(script: CompiledScript, logLevel: number): VerifiedProgram[] {
  const resources = new ResourceStack();
  try {
    // Programs only need the ring buffer to exist; one page is the smallest the kernel accepts.
    const maps = createSessionMaps(script, resources, native().pageSize());
    return script.programs.map((compiled) => {
      const bytes = linkMaps(compiled.assembled, (name) => maps.get(name)?.fd);
      const btf = compiled.functions.length > 0 ? loadFunctionBtf(compiled) : undefined;
      try {
        const program = resources.own(`program ${compiled.name}`, loadProgram({
          name: compiled.name,
          type: compiled.programType as ProgramType,
          bytes,
          license: script.license ?? 'GPL',
          logLevel,
          ...(compiled.expectedAttachType !== undefined ? { expectedAttachType: compiled.expectedAttachType as AttachType } : {}),
          ...(btf ? { btf: btf.programBtf } : {}),
        }));
        return { compiled, info: program.info(), log: program.verifierLog };
      } finally {
        btf?.handle.close();
      }
    });
  } finally {
    resources.closeAll();
  }
}

/** `-v`: what the kernel reports about each loaded program, and which programs tail-call which. */
export function formatStatistics(programs: readonly VerifiedProgram[]): string {
  const compiledPrograms = programs.map((program) => program.compiled);
  let text = '';
  for (const { compiled, info, log } of programs) {
    text += `Program ${info.name || compiled.name} (${entryDescription(compiled, compiledPrograms)})\n`;
    text += `  ${compiled.assembled.slotCount} instructions, xlated ${info.xlatedProgLen} bytes, jited ${info.jitedProgLen} bytes, verified ${info.verifiedInsns} insns, stack ${compiled.stackBytes} bytes\n`;
    for (const line of tailCallTargets(compiled, compiledPrograms)) text += `  ${line}\n`;
    for (const line of log) if (line.trim() !== '') text += `  ${line}\n`;
  }
  return text;
}

/** `-d verifier`: each program's whole log. */
export function formatVerifierLogs(programs: readonly VerifiedProgram[]): string {
  let text = '';
  const compiledPrograms = programs.map((program) => program.compiled);
  for (const { compiled, log } of programs) {
    text += `BPF verifier log for ${compiled.name} (${entryDescription(compiled, compiledPrograms)}):\n`;
    for (const line of log) text += `${line}\n`;
    text += '\n';
  }
  return text;
}
