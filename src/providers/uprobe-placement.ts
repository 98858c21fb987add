// Where a uprobe goes in its binary, checked as bpftrace checks it before attaching: a function (by
// name or glob) plus an offset, or a link-time address, which must fall inside a function. The
// offset must stay inside the function and land on an instruction boundary (a uprobe in the middle
// of an instruction corrupts it in the traced process), and a function of size 0 has no bounds to
// check; --unsafe places the probe anyway, with a warning where bpftrace gives one. What cannot be
// placed is reported through the missing_probes setting (ResolveEnvironment).
import { ElfMachine, functionTargets, matchFunctions, x86InstructionBoundary, type ElfFile, type FunctionTarget, type InstructionBoundary } from '../elf/index.js';
import type { ResolveEnvironment } from '../model/provider.js';
import type { PointOf } from './provider.js';

export interface Placement {
  readonly functionName: string;
  /** Written after the binary in the probe's name: `main`, `main+4`, or an address in decimal (as bpftrace names it). */
  readonly label: string;
  readonly fileOffset: number;
}

type UprobePoint = PointOf<'uprobe' | 'uretprobe'>;

/** The binary as the uprobe names it (`shown`) and as opened. */
export interface PlacementTarget {
  readonly elf: ElfFile;
  readonly shown: string;
}

const unsafeHint = '\nUse --unsafe to force attachment. WARNING: This option could lead to data corruption in the target process.';

/**
 * Every place the attach point names in the binary; [] after reporting why there is none, or
 * silently when the binary is one of a wildcard target's (`oneOfMany`): the caller reports when none has it.
 */
export function placeUprobe(point: UprobePoint, binary: PlacementTarget, environment: ResolveEnvironment, oneOfMany = false): Placement[] {
  if (point.address !== undefined) return placeAtAddress(point, point.address, binary, environment);
  const pattern = point.function ?? '';
  const functions = matchFunctions(binary.elf, pattern);
  if (functions.length === 0) {
    if (!oneOfMany) environment.noMatches(point.span, point.provider, `${binary.shown}:${pattern}`, similarFunctions(binary.elf, pattern));
    return [];
  }
  const offset = point.offset ?? 0n;
  const placements: Placement[] = [];
  for (const target of functions) {
    const label = offset === 0n ? target.name : `${target.name}+${offset}`;
    // A wildcard's matches are placed at their symbols as found (bpftrace's uprobe_multi does not
    // check sizes either); a function named exactly is checked.
    const placement = placeInFunction(point, target, offset, label, binary, environment, !point.wildcard);
    if (placement) placements.push(placement);
  }
  return placements;
}

/** A raw address (link-time, as `nm` shows it): the function containing it, and the offset into that. */
function placeAtAddress(point: UprobePoint, address: bigint, binary: PlacementTarget, environment: ResolveEnvironment): Placement[] {
  const label = address.toString();
  const hex = `0x${address.toString(16)}`;
  const probe = `${point.provider}:${binary.shown}:${label}`;
  // As bcc resolves it: the symbol starting there (even of size 0), or the one whose bytes hold it.
  const containing = [...functionTargets(binary.elf).values()]
    .find((target) => target.address === address || (address > target.address && address < target.address + BigInt(target.size)));
  if (containing) {
    const placement = placeInFunction(point, containing, address - containing.address, label, binary, environment, true);
    return placement ? [placement] : [];
  }
  if (!environment.unsafe) {
    environment.cannotAttach(point.span, `Could not resolve address: ${binary.shown}:${hex}`, probe);
    return [];
  }
  environment.diagnostics.warning(point.span, `Could not determine instruction boundary for ${probe} (binary appears stripped). Misaligned probes can lead to tracee crashes!`);
  const fileOffset = binary.elf.fileOffsetOf(address);
  if (fileOffset === undefined) {
    environment.cannotAttach(point.span, `address ${hex} is not in a loaded segment of ${binary.shown}`, probe);
    return [];
  }
  return [{ functionName: hex, label, fileOffset }];
}

/** `offset` bytes into `target`, checked; `exact`: the function was named (or found by address), not matched by a glob. */
function placeInFunction(
  point: UprobePoint, target: FunctionTarget, offset: bigint, label: string, binary: PlacementTarget, environment: ResolveEnvironment, exact: boolean,
): Placement | undefined {
  const probe = `${point.provider}:${binary.shown}:${label}`;
  const refuse = (reason: string) => {
    environment.cannotAttach(point.span, reason, probe);
    return undefined;
  };
  if (target.fileOffset === undefined) return refuse(`Could not resolve symbol: ${binary.shown}:${target.name}`);
  if (point.provider === 'uretprobe' && offset !== 0n) {
    return refuse(`uretprobes cannot be attached at function offset. (address resolved to: ${target.name}+${offset})`);
  }
  if (target.size === 0 && offset === 0n) {
    if (exact && !environment.unsafe) return refuse(`Could not determine boundary for ${target.name} (symbol has size 0).${unsafeHint}`);
  } else if (offset >= BigInt(target.size)) {
    return refuse(`Offset outside the function bounds ('${target.name}' size is ${target.size})`);
  }
  if (offset !== 0n) {
    const where = `${binary.shown}:${target.name}+${offset}`;
    const boundary = instructionBoundary(binary.elf, target.fileOffset, Number(offset));
    if (boundary === 'misaligned') {
      if (!environment.unsafe) return refuse(`Could not add ${point.provider} into middle of instruction: ${where}${unsafeHint}`);
      environment.diagnostics.warning(point.span, `Unsafe ${point.provider} in the middle of the instruction: ${where}`);
    } else if (boundary === 'undecodable') {
      if (!environment.unsafe) return refuse(`Failed to check if ${point.provider} is in proper place: ${where}${unsafeHint}`);
      environment.diagnostics.warning(point.span, `Unchecked ${point.provider}: ${where}`);
    }
  }
  return { functionName: target.name, label, fileOffset: target.fileOffset + Number(offset) };
}

/** Whether `offset` bytes into the function at `functionOffset` starts an instruction. */
function instructionBoundary(elf: ElfFile, functionOffset: number, offset: number): InstructionBoundary {
  switch (elf.header.machine) {
    case ElfMachine.X86_64: return x86InstructionBoundary(elf.bytesAt(functionOffset, offset + 15), offset);
    case ElfMachine.AArch64: return offset % 4 === 0 ? 'aligned' : 'misaligned';
    default: return 'undecodable';
  }
}

/** A hint naming up to five functions whose names contain the pattern's literal text. */
function similarFunctions(elf: ElfFile, pattern: string): string | undefined {
  const stems = pattern.toLowerCase().split(/[*?[\]]+/).filter((stem) => stem.length >= 3);
  if (stems.length === 0) return undefined;
  const similar = [...functionTargets(elf).keys()].filter((name) => stems.some((stem) => name.toLowerCase().includes(stem))).sort();
  if (similar.length === 0) return undefined;
  return `functions with similar names: ${similar.slice(0, 5).join(', ')}${similar.length > 5 ? `, and ${similar.length - 5} more` : ''}`;
}
