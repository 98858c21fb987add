// uprobe:BINARY:FUNCTION[+OFFSET], uprobe:BINARY:ADDRESS and uretprobe:BINARY:FUNCTION — a breakpoint
// in a user binary or library. The ELF symbol tables give each function's file offset (the kernel
// places uprobes by inode and offset, so one attachment covers every process mapping the file);
// wildcards expand over the functions, attached through one uprobe_multi link where the kernel has
// them (uprobe-placement.ts checks each place). The program reads `struct pt_regs` (argN, retval).
import { ProgramType } from '../bpf/uapi.generated.js';
import { attachUprobeMulti } from '../loader/attach.js';
import { UprobeMulti } from '../loader/attr/link-create.js';
import type { ProbeContext } from '../model/probe.js';
import type { AttachPointReader } from '../model/provider-syntax.js';
import { readNumber, splitOffset } from '../parser/attach-points.js';
import { AttachError, type ProviderRecord, type ResolveEnvironment, type ResolvedAttachment } from '../model/provider.js';
import { ptRegsRules } from './context-rules.js';
import { attachPmuProbe } from './probe-pmu.js';
import type { PointOf, TargetOf } from './provider.js';
import { placeUprobe } from './uprobe-placement.js';
import { processFilter, shownTarget, userTargetPath, withElf } from './user-target.js';
import { isTargetPattern } from '../elf/index.js';
import { functionListing } from './binary-listing.js';

type UprobePoint = PointOf<'uprobe' | 'uretprobe'>;

/**
 * The binaries the attach point names: one, or a wildcard target's (`*`: the -p process's mapped
 * files, every running process's without -p; else a path glob), marked `pattern`. [] after reporting.
 */
function targetPaths(point: UprobePoint, environment: ResolveEnvironment): string[] & { pattern: boolean } {
  if (point.target !== undefined && isTargetPattern(point.target)) {
    const paths = environment.host.userTargets(point.target, processFilter(environment));
    if (paths.length === 0) environment.diagnostics.error(point.span, `${point.provider} target file '${point.target}' does not exist or is not executable`);
    return Object.assign([...paths], { pattern: true });
  }
  const path = userTargetPath(point.target, point.span, environment, point.provider);
  return Object.assign(path === undefined ? [] : [path], { pattern: false });
}

export const NO_UPROBE_PMU = 'this kernel has no uprobe PMU (/sys/bus/event_source/devices/uprobe): uprobes need Linux 4.17+ with CONFIG_UPROBE_EVENTS';
const NO_UPROBE_MULTI = 'this kernel has no uprobe_multi links (Linux 6.6+): compile the script on the machine that runs it';

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
    /** One uprobe_multi link: every function's file offset in one binary. */
    uprobeMulti: { path: string; functions: readonly { symbol: string; offset: number }[]; isReturn: boolean; pid?: number };
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

type UprobeContext = Extract<ProbeContext, { kind: 'registers' }>;

const byCookie = (context: ProbeContext): readonly string[] | undefined => (context as UprobeContext).functionsByCookie;

export const uprobeProvider: ProviderRecord<PointOf<'uprobe' | 'uretprobe'>, TargetOf<'uprobe' | 'uprobeMulti'>> = {
  providers: ['uprobe', 'uretprobe'],
  syntax: [
    { name: 'uprobe', spellings: ['uprobe', 'u'], usage: 'uprobe:binary:function[+offset]', fileTarget: true, read: readUprobe },
    { name: 'uretprobe', spellings: ['uretprobe', 'ur'], usage: 'uretprobe:binary:function', fileTarget: true, read: readUprobe },
  ],
  targets: ['uprobe', 'uprobeMulti'],
  attachesInReverse: true,
  listedByDefault: [],
  ...ptRegsRules,
  // A uprobe_multi program is loaded for its attach type, and finds `func` by the attach cookie.
  programLoad: (context) => (byCookie(context) ? { programType: ProgramType.KPROBE, expectedAttachType: UprobeMulti.attachType } : ptRegsRules.programLoad(context)),
  functionName: (context) => (byCookie(context) ? undefined : ptRegsRules.functionName(context)),
  functionByCookie: byCookie,
  canShareProgram: (first, other, readsArguments) => !byCookie(first) === !byCookie(other) && ptRegsRules.canShareProgram(first, other, readsArguments),
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
    const pid = processFilter(environment);
    const filter = pid === undefined ? {} : { pid };
    const resolved: ResolvedAttachment[] = [];
    const paths = targetPaths(point, environment);
    for (const path of paths) {
      const shown = paths.pattern ? path : shownTarget(point.target, path);
      const placements = withElf(path, point.span, environment, (elf) => placeUprobe(point, { elf, shown }, environment, paths.pattern)) ?? [];
      // As bpftrace: a wildcard's matches share one program and one uprobe_multi link per binary where
      // the kernel has them, unless the body names `probe` (a constant of each match).
      if (point.wildcard && placements.length > 0 && !environment.perMatchPrograms && environment.host.uprobeMulti()) {
        const functions = placements.map((placement) => ({ symbol: placement.functionName, offset: placement.fileOffset }));
        resolved.push({
          attachment: {
            name: `${point.provider}:${shown}:${point.function ?? ''}${point.offset ? `+${point.offset}` : ''}`,
            target: { kind: 'uprobeMulti', path, functions, isReturn, ...filter },
            span: point.span,
          },
          context: { kind: 'registers', space: 'user', isReturn, functionsByCookie: placements.map((placement) => placement.functionName) },
        });
        continue;
      }
      for (const placement of placements) {
        resolved.push({
          attachment: {
            name: `${point.provider}:${shown}:${placement.label}`,
            target: { kind: 'uprobe', path, symbol: placement.functionName, offset: placement.fileOffset, isReturn, ...filter },
            span: point.span,
          },
          context: { kind: 'registers', space: 'user', isReturn, functionName: placement.functionName },
        });
      }
    }
    if (paths.pattern && paths.length > 0 && resolved.length === 0) {
      environment.noMatches(point.span, point.provider, `${point.target}:${point.function ?? point.address ?? ''}`);
    }
    return resolved;
  },
  list: functionListing,
  unattachable: (target, host) => {
    if (target.kind === 'uprobeMulti') return host.uprobeMulti() ? undefined : NO_UPROBE_MULTI;
    return host.dynamicPmu('uprobe') ? undefined : NO_UPROBE_PMU;
  },
  countProbes: (target) => (target.kind === 'uprobeMulti' ? target.functions.length : 1),
  attach(program, name, target, own, host) {
    if (target.kind === 'uprobeMulti') {
      // The cookie of each offset is its function's index in the context's functionsByCookie.
      own(attachUprobeMulti(program, {
        path: target.path, offsets: target.functions.map((one) => one.offset), cookies: target.functions.map((_one, index) => BigInt(index)),
        isReturn: target.isReturn, ...(target.pid === undefined ? {} : { pid: target.pid }),
      }, name));
      return;
    }
    const pmu = host.dynamicPmu('uprobe');
    if (!pmu) throw new AttachError(`${name}: ${NO_UPROBE_PMU}`);
    own(attachPmuProbe(program, {
      pmu, target: target.path, offset: target.offset, isReturn: target.isReturn, ...(target.pid === undefined ? {} : { pid: target.pid }),
    }, name));
  },
  // A uretprobe fires at the return address, somewhere in the caller, and a uprobe_multi link at one
  // of several functions: no one known instruction.
  userCode: (target) => (target.isReturn || target.kind === 'uprobeMulti' ? { path: target.path } : { path: target.path, entryOffset: target.offset }),
};
