// usdt:BINARY:[PROVIDER:]NAME — a statically defined probe from the binary's `.note.stapsdt` notes: a
// uprobe at each of the probe's locations, with its semaphore (when it has one) passed as the
// uprobe's ref_ctr_offset so that the kernel increments it while we are attached. Each location says
// where its arguments are (registers, memory, constants): argN reads them from `struct pt_regs`.
// Locations whose arguments sit in different places cannot share a program.
import { globToRegExp } from '../btf/glob.js';
import { parseUsdtArguments, ptRegsOffset, readUsdtProbes, type ElfFile, type UsdtArgument, type UsdtProbe } from '../elf/index.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { DiagnosticCollector } from '../diagnostics/index.js';
import type { ProbeContext } from '../model/probe.js';
import { AttachError, type ArgumentPlace, type ProviderRecord, type ResolvedAttachment } from '../model/provider.js';
import { ptRegsRules } from './context-rules.js';
import { attachPmuProbe } from './probe-pmu.js';
import type { PointOf, TargetOf } from './provider.js';
import { NO_UPROBE_PMU } from './uprobe.js';
import { processFilter, shownTarget, userTargetPath, withElf } from './user-target.js';
import { usdtListing } from './binary-listing.js';

declare module '../parser/attach-point-ast.js' {
  interface AttachPointFields {
    /** `usdt:target:[namespace:]name`, or `usdt:name` (target from `-p`). */
    usdt: { target?: string; namespace?: string; name: string };
  }
}
declare module '../model/probe.js' {
  interface ProbeTargets {
    /** One location of a USDT probe: its file offset, and its semaphore's (the uprobe's ref_ctr_offset). */
    usdt: { path: string; provider: string; name: string; offset: number; semaphoreOffset?: number; pid?: number };
  }
}

interface Location {
  readonly probe: UsdtProbe;
  readonly fileOffset: number;
  readonly arguments: readonly UsdtArgument[];
}

export const usdtProvider: ProviderRecord<PointOf<'usdt'>, TargetOf<'usdt'>> = {
  providers: ['usdt'],
  syntax: [{
    name: 'usdt', spellings: ['usdt', 'U'], usage: 'usdt:binary:[namespace:]probe', fileTarget: true,
    read({ texts, wrongShape }) {
      if (texts.length === 1) return { name: texts[0]! };
      if (texts.length === 2) return { target: texts[0]!, name: texts[1]! };
      if (texts.length === 3) return { target: texts[0]!, namespace: texts[1]!, name: texts[2]! };
      return wrongShape();
    },
  }],
  targets: ['usdt'],
  attachesInReverse: true,
  listedByDefault: [],
  ...ptRegsRules,
  builtin(context, name) {
    const argument = /^arg([0-9])$/.exec(name);
    if (!argument) return ptRegsRules.builtin(context, name);
    const count = usdtArgumentsOf(context).length;
    if (Number(argument[1]) < count) return { available: true };
    return { available: false, message: `this USDT probe has ${count === 0 ? 'no arguments' : count === 1 ? 'one argument, arg0' : `${count} arguments, arg0 to arg${count - 1}`}` };
  },
  argumentPlace(context, index) {
    const argument = index === 'retval' ? undefined : usdtArgumentsOf(context)[index];
    if (!argument) throw new Error(`internal error: the USDT probe has no ${index === 'retval' ? 'retval' : `arg${index}`}`);
    return argumentPlace(argument);
  },
  resolve(point, environment) {
    const path = userTargetPath(point.target, point.span, environment, 'usdt');
    if (path === undefined) return [];
    const locations = withElf(path, point.span, environment, (elf) => locate(elf, point, path, environment.diagnostics)) ?? [];
    const pid = processFilter(environment);
    return locations.map(({ probe, fileOffset, arguments: usdtArguments }): ResolvedAttachment => ({
      attachment: {
        name: `usdt:${shownTarget(point.target, path)}:${probe.provider}:${probe.name}`,
        target: {
          kind: 'usdt', path, provider: probe.provider, name: probe.name, offset: fileOffset,
          ...(probe.semaphoreOffset === undefined ? {} : { semaphoreOffset: probe.semaphoreOffset }),
          ...(pid === undefined ? {} : { pid }),
        },
        span: point.span,
      },
      context: { kind: 'registers', space: 'user', isReturn: false, functionName: probe.name, usdtArguments },
    }));
  },
  list: usdtListing,
  unattachable: (_target, host) => (host.dynamicPmu('uprobe') ? undefined : NO_UPROBE_PMU),
  attach(program, name, target, own, host) {
    const pmu = host.dynamicPmu('uprobe');
    if (!pmu) throw new AttachError(`${name}: ${NO_UPROBE_PMU}`);
    if (target.semaphoreOffset !== undefined && pmu.refCtrShift === undefined) {
      throw new AttachError(`${name}: the probe has a semaphore, and this kernel's uprobe PMU cannot increment it (ref_ctr_offset needs Linux 4.20+)`);
    }
    own(attachPmuProbe(program, {
      pmu, target: target.path, offset: target.offset, isReturn: false,
      ...(target.semaphoreOffset === undefined ? {} : { refCtrOffset: target.semaphoreOffset }),
      ...(target.pid === undefined ? {} : { pid: target.pid }),
    }, name));
  },
  userCode: (target) => ({ path: target.path, entryOffset: target.offset }),
};

function usdtArgumentsOf(context: ProbeContext): readonly UsdtArgument[] {
  return (context.kind === 'registers' ? context.usdtArguments : undefined) ?? [];
}

/**
 * Where a note says an argument is: a register of the probed thread (a pt_regs slot), a constant
 * (cut to its size here), or user memory at base + index × scale + offset.
 */
function argumentPlace(argument: UsdtArgument): ArgumentPlace {
  const { location, size, signed } = argument;
  switch (location.kind) {
    case 'constant': {
      const bits = size * 8;
      return { kind: 'constant', value: signed ? BigInt.asIntN(bits, location.value) : BigInt.asUintN(bits, location.value) };
    }
    case 'register':
      return { kind: 'register', offset: ptRegsOffset(location.register), bitOffset: location.bitOffset, size, signed };
    case 'memory':
      return {
        kind: 'userMemory', scale: location.scale, offset: location.offset, size, signed,
        ...(location.base ? { base: ptRegsOffset(location.base) } : {}),
        ...(location.index ? { index: ptRegsOffset(location.index) } : {}),
      };
  }
}

function locate(elf: ElfFile, point: PointOf<'usdt'>, path: string, diagnostics: DiagnosticCollector): Location[] {
  const providerPattern = point.namespace === undefined ? undefined : globToRegExp(point.namespace);
  const namePattern = globToRegExp(point.name);
  const all = readUsdtProbes(elf);
  const probes = all.filter((probe) => (!providerPattern || providerPattern.test(probe.provider)) && namePattern.test(probe.name));
  if (probes.length === 0) {
    const wanted = point.namespace === undefined ? point.name : `${point.namespace}:${point.name}`;
    diagnostics.error(point.span, point.wildcard ? `no USDT probe in ${path} matches ${wanted}` : `USDT probe ${wanted} not found in ${path}`, probeList(all));
    return [];
  }
  const locations: Location[] = [];
  for (const probe of probes) {
    const location = locationOf(elf, probe, point.span, diagnostics);
    if (location) locations.push(location);
  }
  return locations;
}

function locationOf(elf: ElfFile, probe: UsdtProbe, span: SourceSpan, diagnostics: DiagnosticCollector): Location | undefined {
  const what = `USDT probe ${probe.provider}:${probe.name}`;
  if (probe.fileOffset === undefined) {
    diagnostics.error(span, `${what} at 0x${probe.address.toString(16)} is not in a loaded segment of the file`);
    return undefined;
  }
  if (probe.semaphoreAddress !== 0n && probe.semaphoreOffset === undefined) {
    diagnostics.error(span, `${what} has a semaphore at 0x${probe.semaphoreAddress.toString(16)} that no loaded segment of the file holds`);
    return undefined;
  }
  const parsed = parseUsdtArguments(probe.argumentSpec);
  if (!parsed.ok) {
    diagnostics.error(span, `${what}: ${parsed.message}`);
    return undefined;
  }
  const resolved: UsdtArgument[] = [];
  for (const argument of parsed.arguments) {
    const located = withoutSymbol(elf, probe, argument);
    if (typeof located === 'string') {
      diagnostics.error(span, `${what}: ${located}`);
      return undefined;
    }
    resolved.push(located);
  }
  return { probe, fileOffset: probe.fileOffset, arguments: resolved };
}

/**
 * `counter(%rip)` names a variable by symbol. At the probe, rip holds the probe's own address plus
 * the load bias, so the variable is at rip + (symbol − probe address) whatever the bias is.
 */
function withoutSymbol(elf: ElfFile, probe: UsdtProbe, argument: UsdtArgument): UsdtArgument | string {
  const location = argument.location;
  if (location.kind !== 'memory' || location.symbol === undefined) return argument;
  const symbol = elf.symbols('symtab').find((candidate) => candidate.name === location.symbol && candidate.sectionIndex !== 0)
    ?? elf.symbols('dynsym').find((candidate) => candidate.name === location.symbol && candidate.sectionIndex !== 0);
  if (!symbol) return `argument '${argument.text}' refers to '${location.symbol}', which the symbol tables do not define`;
  return {
    ...argument,
    location: { ...location, base: 'rip', symbol: undefined, offset: symbol.value + location.offset - probe.address },
  };
}

/** The hint for a probe not found: what the binary has. */
function probeList(probes: readonly UsdtProbe[]): string {
  const names = [...new Set(probes.map((probe) => `${probe.provider}:${probe.name}`))].sort();
  if (names.length === 0) return 'the binary has no USDT probes (no .note.stapsdt section)';
  return `its USDT probes: ${names.slice(0, 8).join(', ')}${names.length > 8 ? `, and ${names.length - 8} more` : ''}`;
}
