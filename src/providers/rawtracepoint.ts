// rawtracepoint:[module:]name — the program sees the tracepoint's TP_PROTO arguments as u64 slots
// (`arg0`…), named from vmlinux BTF (`args.prev`): types from the `btf_trace_<name>` typedef, names
// from the `__bpf_trace_<name>` function (the typedef's prototype leaves them out); the first
// parameter of both is the tracepoint's private data, not an argument. Wildcards expand against the
// btf_trace_* typedefs. Attached with BPF_RAW_TRACEPOINT_OPEN, which is cheap to open and close.
import { globToRegExp, isGlob } from '../btf/glob.js';
import type { BtfReader } from '../btf/index.js';
import { attachRawTracepoint } from '../loader/attach.js';
import type { Host } from '../model/host.js';
import type { ProbeContext } from '../model/probe.js';
import type { ProviderListing, ProviderRecord, ResolvedAttachment } from '../model/provider.js';
import { argumentFields, declaration } from './btf-arguments.js';
import { argumentSlotRules } from './context-rules.js';
import type { PointOf, TargetOf } from './provider.js';

declare module '../parser/attach-point-ast.js' {
  interface AttachPointFields {
    /** `rawtracepoint:[module:]event` */
    rawtracepoint: { module?: string; event: string };
  }
}
declare module '../model/probe.js' {
  interface ProbeTargets {
    rawtracepoint: { name: string };
  }
}

const typedefPrefix = 'btf_trace_';

/** The context of raw tracepoint `name`: its arguments when BTF describes it; undefined when BTF has no such tracepoint. */
export function rawTracepointContext(btf: BtfReader, name: string): Extract<ProbeContext, { kind: 'rawtracepoint' }> | undefined {
  const typedef = btf.findType(`${typedefPrefix}${name}`, 'typedef');
  if (!typedef) return undefined;
  const prototype = btf.funcPrototype(typedef.id);
  if (!prototype) return { kind: 'rawtracepoint' };
  const named = btf.funcPrototype(`__bpf_trace_${name}`) ?? btf.funcPrototype(`__probestub_${name}`);
  const names = named && named.params.length === prototype.params.length ? named.params.slice(1).map((param) => param.name) : undefined;
  return { kind: 'rawtracepoint', fields: argumentFields(btf, prototype.params.slice(1), names).fields };
}

/** Raw tracepoint names matching a glob, from the btf_trace_* typedefs, sorted. */
export function matchRawTracepoints(btf: BtfReader, pattern: string): string[] {
  const expression = globToRegExp(pattern);
  const names: string[] = [];
  for (const type of btf.types('typedef', `${typedefPrefix}*`)) {
    const name = type.name.slice(typedefPrefix.length);
    if (expression.test(name)) names.push(name);
  }
  return names.sort();
}

export const rawTracepointProvider: ProviderRecord<PointOf<'rawtracepoint'>, TargetOf<'rawtracepoint'>> = {
  providers: ['rawtracepoint'],
  syntax: [{
    name: 'rawtracepoint', spellings: ['rawtracepoint', 'rt'], usage: 'rawtracepoint:[module:]event',
    read({ texts, wrongShape }) {
      if (texts.length === 1) return { event: texts[0]! };
      if (texts.length === 2) return { module: texts[0]!, event: texts[1]! };
      return wrongShape();
    },
  }],
  targets: ['rawtracepoint'],
  filtersTargetPid: true,
  listedByDefault: ['rawtracepoint'],
  listRank: 3,
  ...argumentSlotRules,
  resolve(point, { diagnostics, host, noMatches }) {
    const btf = host.kernelBtf();
    const resolved = (name: string, context: ProbeContext): ResolvedAttachment => ({
      attachment: { name: `rawtracepoint:${name}`, target: { kind: 'rawtracepoint', name }, span: point.span },
      context,
    });
    const written = `${point.module === undefined ? '' : `${point.module}:`}${point.event}`;
    // The raw tracepoints tsbpf knows are vmlinux's (its BTF's btf_trace_* typedefs): a module that
    // is not vmlinux, loaded or not, matches none, as bpftrace finds no `module:event` for it.
    if (point.module !== undefined && !globToRegExp(point.module).test('vmlinux')) {
      noMatches(point.span, 'rawtracepoint', written);
      return [];
    }
    const listHint = `list them with: tsbpf -l 'rawtracepoint:${isGlob(point.event) ? '*' : `*${point.event}*`}'`;
    if (isGlob(point.event)) {
      if (!btf) {
        diagnostics.error(point.span, `cannot expand ${point.raw}: raw tracepoints are listed from kernel BTF, which this kernel does not have`);
        return [];
      }
      const names = matchRawTracepoints(btf, point.event);
      if (names.length === 0) {
        noMatches(point.span, 'rawtracepoint', written, listHint);
        return [];
      }
      return names.map((name) => resolved(name, rawTracepointContext(btf, name)!));
    }
    if (!btf) return [resolved(point.event, { kind: 'rawtracepoint' })];
    const context = rawTracepointContext(btf, point.event);
    if (!context) {
      noMatches(point.span, 'rawtracepoint', written, listHint);
      return [];
    }
    return [resolved(point.event, context)];
  },
  list: rawTracepointListing,
  unattachable: () => undefined,
  attach(program, _name, target, own) {
    own(attachRawTracepoint(program, target.name));
  },
};

/** -l: the btf_trace_* typedefs, with their TP_PROTO parameters as arguments (-lv). */
function rawTracepointListing(_provider: 'rawtracepoint', host: Host): ProviderListing {
  const btf = host.kernelBtf();
  if (!btf) return { kind: 'unlisted', reason: 'listing rawtracepoint probes needs the kernel\'s BTF (/sys/kernel/btf/vmlinux)' };
  const probes = [];
  for (const typedef of btf.types('typedef', `${typedefPrefix}*`)) {
    const name = typedef.name.slice(typedefPrefix.length);
    probes.push({ line: `rawtracepoint:${name}`, arguments: () => listedArguments(btf, name) });
  }
  return { kind: 'probes', probes };
}

/** The prototype's first parameter is the tracepoint's private data pointer, not an argument. */
function listedArguments(btf: BtfReader, name: string): readonly string[] {
  const stub = btf.findType(`__probestub_${name}`, 'func');
  const named = stub ? btf.funcPrototype(stub.id) : undefined;
  if (named) return named.params.slice(1).map((param, index) => declaration(btf, param.type, param.name || `arg${index}`));
  const prototype = btf.funcPrototype(`${typedefPrefix}${name}`);
  return prototype ? prototype.params.slice(1).map((param, index) => declaration(btf, param.type, `arg${index}`)) : [];
}
