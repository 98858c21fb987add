// fentry:FUNCTION and fexit:FUNCTION (kfunc/kretfunc) — a BPF trampoline on a kernel function that
// BTF describes: the program is loaded as TRACING with the function's BTF id (attach_btf_id) and
// reads the arguments as u64 slots, named from the function's prototype (`args.count`); fexit also
// sees the return value in the slot after them. Attached with RAW_TRACEPOINT_OPEN without a name.
// Kernels that refuse trampolines (no ftrace direct calls, or a security policy) are reported at
// compile time, with the nearest tracepoint.
import { globToRegExp } from '../btf/glob.js';
import { isGlob, type BtfReader, type BtfType } from '../btf/index.js';
import { BpfCommand } from '../bpf/uapi.generated.js';
import type { Attachment } from '../loader/attach.js';
import { packRawTracepointOpen } from '../loader/attr/raw-tracepoint.js';
import { errnoName, SyscallError } from '../loader/native.js';
import { bpf, closeFd, commandName } from '../loader/syscall.js';
import type { Host } from '../model/host.js';
import type { AttachPointReader } from '../model/provider-syntax.js';
import type { ListedProbe, ProviderListing, ProviderRecord, ResolvedAttachment } from '../model/provider.js';
import { argumentFields, declaration } from './btf-arguments.js';
import { argumentSlotRules } from './context-rules.js';
import type { PointOf, TargetOf } from './provider.js';
import { tracepointHint } from './tracepoint-suggestions.js';

/** `fentry:[module:]function`, `fexit:[module:]function` (also `kfunc`/`kretfunc`, `f`/`fr`). */
interface FentryFields {
  module?: string;
  function: string;
}

declare module '../parser/attach-point-ast.js' {
  interface AttachPointFields {
    fentry: FentryFields;
    fexit: FentryFields;
  }
}
declare module '../model/probe.js' {
  interface ProbeTargets {
    /** The program was loaded for this function (CompiledProgram.attachBtfId); attaching needs nothing else. */
    fentry: { symbol: string; isReturn: boolean };
  }
}

function readFentry({ texts, wrongShape }: AttachPointReader): FentryFields | undefined {
  if (texts.length === 1) return { function: texts[0]! };
  if (texts.length === 2) return { module: texts[0]!, function: texts[1]! };
  return wrongShape();
}

const EPERM = 1;

export function noTrampolines(errno: number): string {
  return `this kernel cannot attach fentry/fexit probes: it refuses BPF trampoline programs (loading one fails with ${errnoName(errno)})`;
}

export const fentryProvider: ProviderRecord<PointOf<'fentry' | 'fexit'>, TargetOf<'fentry'>> = {
  providers: ['fentry', 'fexit'],
  syntax: [
    { name: 'fentry', spellings: ['fentry', 'kfunc', 'f'], usage: 'fentry:[module:]function', read: readFentry },
    { name: 'fexit', spellings: ['fexit', 'kretfunc', 'fr'], usage: 'fexit:[module:]function', read: readFentry },
  ],
  targets: ['fentry'],
  filtersTargetPid: true,
  listedByDefault: ['fentry'],
  listRank: 8,
  attachesInReverse: true,
  ...argumentSlotRules,
  resolve(point, { diagnostics, host }) {
    const isReturn = point.provider === 'fexit';
    const btf = host.kernelBtf();
    if (!btf) {
      diagnostics.error(point.span, `${point.raw}: fentry/fexit probes need kernel BTF (/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF)`, tracepointHint(host, point.function, isReturn));
      return [];
    }
    let functions: BtfType[];
    if (isGlob(point.function)) {
      const pattern = globToRegExp(point.function);
      functions = [...btf.types('func', point.function)].filter((type) => pattern.test(type.name));
      if (functions.length === 0) {
        diagnostics.error(point.span, `no kernel function in BTF matches ${point.raw}`);
        return [];
      }
    } else {
      const found = btf.findType(point.function, 'func');
      if (!found) {
        diagnostics.error(point.span, `kernel function not found in BTF: ${point.function}`, tracepointHint(host, point.function, isReturn));
        return [];
      }
      functions = [found];
    }
    const support = host.trampolineSupport(functions[0]!.id);
    if (support.kind === 'unavailable') {
      diagnostics.error(point.span, `${point.raw}: ${noTrampolines(support.errno)}`, tracepointHint(host, point.function, isReturn));
      return [];
    }
    return functions.map((func): ResolvedAttachment => {
      const prototype = btf.funcPrototype(func.id);
      const { fields, slotCount } = argumentFields(btf, prototype?.params ?? []);
      return {
        attachment: { name: `${point.provider}:${func.name}`, target: { kind: 'fentry', symbol: func.name, isReturn }, span: point.span },
        context: { kind: 'rawtracepoint', fields, kernelFunction: { name: func.name, btfId: func.id, isReturn, returnSlot: slotCount } },
      };
    });
  },
  list: fentryListing,
  unattachable: () => undefined,
  attach(program, name, _target, own) {
    // A TRACING program knows its function (attach_btf_id): the open needs no tracepoint name.
    const fd = bpf(BpfCommand.RAW_TRACEPOINT_OPEN, packRawTracepointOpen({ name: 0n, programFd: program.fd }));
    if (fd < 0) throw new SyscallError(`${commandName(BpfCommand.RAW_TRACEPOINT_OPEN)} ${name}`, -fd);
    let closed = false;
    const attachment: Attachment = {
      kind: 'raw-tracepoint', target: name, fd,
      close: () => {
        if (!closed) closeFd(fd);
        closed = true;
      },
    };
    own(attachment);
  },
};

/** Functions tried when -l asks whether trampolines load here; any traceable function will do. */
const probeTargets = ['bpf_fentry_test1', 'vfs_read', 'do_sys_openat2'];

/** -l: every BTF function, with its parameters (and fexit's retval) as arguments, when trampolines load. */
function fentryListing(provider: 'fentry' | 'fexit', host: Host): ProviderListing {
  const named = provider === 'fentry' ? 'fentry (kfunc)' : 'fexit (kretfunc)';
  const btf = host.kernelBtf();
  if (!btf) return { kind: 'unavailable', reason: `${named} probes need the kernel's BTF (/sys/kernel/btf/vmlinux), which this kernel does not expose` };
  const target = probeTargets.map((name) => btf.findType(name, 'func')).find((type) => type !== undefined);
  if (!target) return { kind: 'unavailable', reason: `${named} probes are unavailable on this kernel: none of its functions could be found in BTF to test a fentry program` };
  const support = host.trampolineSupport(target.id);
  if (support.kind !== 'available') {
    const detail = support.errno === EPERM ? ' (no BPF trampolines)' : '';
    return { kind: 'unavailable', reason: `${named} probes are unavailable on this kernel: loading a fentry program fails with ${errnoName(support.errno)}${detail}` };
  }
  const probes: ListedProbe[] = [];
  for (const func of btf.types('func')) {
    probes.push({ line: `${provider}:${func.name}`, arguments: () => functionArguments(btf, func.id, provider === 'fexit') });
  }
  return { kind: 'probes', probes };
}

function functionArguments(btf: BtfReader, funcId: number, withReturnValue: boolean): readonly string[] {
  const prototype = btf.funcPrototype(funcId);
  if (!prototype) return [];
  const list = prototype.params.map((param, index) => declaration(btf, param.type, param.name || `arg${index}`));
  if (withReturnValue) list.push(declaration(btf, prototype.returnType, 'retval'));
  return list;
}
