// uprobe:BINARY:FUNCTION[+OFFSET], uprobe:BINARY:ADDRESS and uretprobe:BINARY:FUNCTION — a breakpoint
// in a user binary or library. The ELF symbol tables give each function's file offset (the kernel
// places uprobes by inode and offset, so one attachment covers every process mapping the file);
// wildcards expand over the functions. The program reads `struct pt_regs` (argN, retval).
import { functionTargets, matchFunctions, type ElfFile, type FunctionTarget } from '../elf/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { DiagnosticCollector } from '../diagnostics/index.js';
import type { AttachPointReader } from '../model/provider-syntax.js';
import { readNumber, splitOffset } from '../parser/attach-points.js';
import { AttachError, type ProviderRecord, type ResolvedAttachment } from '../model/provider.js';
import { ptRegsRules } from './context-rules.js';
import { attachPmuProbe } from './probe-pmu.js';
import type { PointOf, TargetOf } from './provider.js';
import { processFilter, shownTarget, userTargetPath, withElf } from './user-target.js';

export const NO_UPROBE_PMU = 'this kernel has no uprobe PMU (/sys/bus/event_source/devices/uprobe): uprobes need Linux 4.17+ with CONFIG_UPROBE_EVENTS';

/**
 * `uprobe:target:function[+offset]`, `uprobe:target:address`, `uprobe:target:cpp:name`, or
 * `uprobe:function` (target from `-p`). `target` is a path or a library name (`libc`) as written.
 */
interface UprobeFields {
  target?: string;
  /** `cpp` or `c` when written as a field before the function. */
  language?: string;
  /** Absent when the probe is placed at an absolute `address`. */
  function?: string;
  address?: bigint;
  offset?: bigint;
}

declare module '../parser/attach-point-ast.js' {
  interface AttachPointFields {
    uprobe: UprobeFields;
    uretprobe: UprobeFields;
  }
}
declare module '../model/probe.js' {
  interface ProbeTargets {
    /** `offset` is the file offset of the probed instruction; `pid` limits it to one process (-p, -c). */
    uprobe: { path: string; symbol?: string; offset: number; isReturn: boolean; pid?: number };
  }
}

const languages: ReadonlySet<string> = new Set(['cpp', 'c']);

function readUprobe(fields: AttachPointReader): UprobeFields | undefined {
  const texts = fields.texts;
  if (texts.length === 0) return fields.wrongShape();
  let target: string | undefined;
  let language: string | undefined;
  let rest = texts;
  if (texts.length >= 2) {
    target = texts[0]!;
    rest = texts.slice(1);
    if (rest.length >= 2) {
      if (!languages.has(rest[0]!)) return fields.wrongShape();
      language = rest[0]!;
      rest = [rest.slice(1).join(':')];
    }
  }
  const address = language === undefined ? readNumber(rest[0]!) : undefined;
  const split = address === undefined && language === undefined ? splitOffset(rest[0]!) : { name: rest[0]! };
  if (split.offset !== undefined && fields.provider === 'uretprobe') return fields.fail('a uretprobe cannot have an offset', texts.length - 1);
  return {
    ...(target === undefined ? {} : { target }),
    ...(language === undefined ? {} : { language }),
    ...(address === undefined ? { function: split.name } : { address }),
    ...(split.offset === undefined ? {} : { offset: split.offset }),
  };
}

interface Placement {
  readonly functionName: string;
  /** Written after the binary in the probe's name: `main`, `main+4`, `0x401136`. */
  readonly label: string;
  readonly fileOffset: number;
}

export const uprobeProvider: ProviderRecord<PointOf<'uprobe' | 'uretprobe'>, TargetOf<'uprobe'>> = {
  providers: ['uprobe', 'uretprobe'],
  syntax: [
    { name: 'uprobe', spellings: ['uprobe', 'u'], usage: 'uprobe:binary:function[+offset]', fileTarget: true, read: readUprobe },
    { name: 'uretprobe', spellings: ['uretprobe', 'ur'], usage: 'uretprobe:binary:function', fileTarget: true, read: readUprobe },
  ],
  targets: ['uprobe'],
  attachesInReverse: true,
  listedByDefault: [],
  ...ptRegsRules,
  resolve(point, environment) {
    const { diagnostics } = environment;
    const isReturn = point.provider === 'uretprobe';
    if (point.language !== undefined && point.language !== 'c') {
      diagnostics.error(point.span, `${point.language} symbol names are not demangled yet`, 'give the mangled name, or a wildcard over it');
      return [];
    }
    if (isReturn && point.offset !== undefined && point.offset !== 0n) {
      diagnostics.error(point.span, 'a uretprobe fires on return from a function: it takes no offset');
      return [];
    }
    const path = userTargetPath(point.target, point.span, environment, point.provider);
    if (path === undefined) return [];
    const placements = withElf(path, point.span, environment, (elf) => place(elf, point, path, diagnostics)) ?? [];
    const pid = processFilter(environment);
    return placements.map((placement): ResolvedAttachment => ({
      attachment: {
        name: `${point.provider}:${shownTarget(point.target, path)}:${placement.label}`,
        target: { kind: 'uprobe', path, symbol: placement.functionName, offset: placement.fileOffset, isReturn, ...(pid === undefined ? {} : { pid }) },
        span: point.span,
      },
      context: { kind: 'registers', space: 'user', isReturn, functionName: placement.functionName },
    }));
  },
  list: (provider) => ({ kind: 'unlisted', reason: `-l does not list ${provider} probes yet: name the binary's function in the script, as in ${provider}:/bin/bash:readline` }),
  unattachable: (_target, host) => (host.dynamicPmu('uprobe') ? undefined : NO_UPROBE_PMU),
  attach(program, name, target, own, host) {
    const pmu = host.dynamicPmu('uprobe');
    if (!pmu) throw new AttachError(`${name}: ${NO_UPROBE_PMU}`);
    own(attachPmuProbe(program, {
      pmu, target: target.path, offset: target.offset, isReturn: target.isReturn, ...(target.pid === undefined ? {} : { pid: target.pid }),
    }, name));
  },
  // A uretprobe fires at the return address, somewhere in the caller: no known instruction.
  userCode: (target) => (target.isReturn ? { path: target.path } : { path: target.path, entryOffset: target.offset }),
};

function place(elf: ElfFile, point: PointOf<'uprobe' | 'uretprobe'>, path: string, diagnostics: DiagnosticCollector): Placement[] {
  if (point.address !== undefined) return placeAtAddress(elf, point.address, path, point.span, diagnostics);
  const pattern = point.function ?? '';
  const functions = matchFunctions(elf, pattern);
  if (functions.length === 0) {
    diagnostics.error(point.span, point.wildcard ? `no function in ${path} matches ${pattern}` : `function ${pattern} not found in ${path}`, similarFunctions(elf, pattern));
    return [];
  }
  const offset = point.offset ?? 0n;
  const placements: Placement[] = [];
  for (const target of functions) {
    const placement = placeInFunction(target, offset, point.span, diagnostics);
    if (placement) placements.push(placement);
  }
  return placements;
}

function placeInFunction(target: FunctionTarget, offset: bigint, span: SourceSpan, diagnostics: DiagnosticCollector): Placement | undefined {
  if (target.fileOffset === undefined) {
    diagnostics.error(span, `function ${target.name} is not in a loaded segment of the file`);
    return undefined;
  }
  if (offset !== 0n && target.size > 0 && offset >= BigInt(target.size)) {
    diagnostics.error(span, `offset ${offset} is past the end of ${target.name} (${target.size} bytes)`);
    return undefined;
  }
  return { functionName: target.name, label: offset === 0n ? target.name : `${target.name}+${offset}`, fileOffset: target.fileOffset + Number(offset) };
}

/** A raw address (link-time, as `nm` shows it); `func` is the function containing it, when one does. */
function placeAtAddress(elf: ElfFile, address: bigint, path: string, span: SourceSpan, diagnostics: DiagnosticCollector): Placement[] {
  const fileOffset = elf.fileOffsetOf(address);
  if (fileOffset === undefined) {
    diagnostics.error(span, `address 0x${address.toString(16)} is not in a loaded segment of ${path}`);
    return [];
  }
  const containing = matchFunctions(elf, '*').find((target) => address >= target.address && address < target.address + BigInt(Math.max(target.size, 1)));
  return [{ functionName: containing?.name ?? `0x${address.toString(16)}`, label: `0x${address.toString(16)}`, fileOffset }];
}

/** A hint naming up to five functions whose names contain the pattern's literal text. */
function similarFunctions(elf: ElfFile, pattern: string): string | undefined {
  const stems = pattern.toLowerCase().split(/[*?[\]]+/).filter((stem) => stem.length >= 3);
  if (stems.length === 0) return undefined;
  const similar = [...functionTargets(elf).keys()].filter((name) => stems.some((stem) => name.toLowerCase().includes(stem))).sort();
  if (similar.length === 0) return undefined;
  return `functions with similar names: ${similar.slice(0, 5).join(', ')}${similar.length > 5 ? `, and ${similar.length - 5} more` : ''}`;
}
