// fentry:FUNCTION and fexit:FUNCTION (kfunc/kretfunc) — a BPF trampoline on a kernel function that
// BTF describes: the program is loaded as TRACING with the function's BTF id (attach_btf_id) and
// reads the arguments as u64 slots, named from the function's prototype (`args.count`); fexit also
// sees the return value in the slot after them. Attached with RAW_TRACEPOINT_OPEN without a name.
// Kernels that refuse trampolines (no ftrace direct calls, or a security policy) are reported at
// compile time, with the nearest tracepoint.
import { globToRegExp } from '../btf/glob.js';
import { BtfError, isGlob, openVmlinuxBtf, type BtfReader, type BtfType } from '../btf/index.js';
import { BpfCommand } from '../bpf/uapi.generated.js';
import { packRawTracepointOpen } from '../loader/attr/raw-tracepoint.js';
import { errnoName, SyscallError } from '../loader/native.js';
import { bpf, closeFd, commandName } from '../loader/syscall.js';
import { argumentFields } from './btf-arguments.js';
import { trampolineSupport } from './kernel-support.js';
import type { PointOf, Provider, ResolvedAttachment, TargetOf } from './provider.js';
import { tracepointHint } from './tracepoint-suggestions.js';

export function noTrampolines(errno: number): string {
  return `this kernel cannot attach fentry/fexit probes: it refuses BPF trampoline programs (loading one fails with ${errnoName(errno)})`;
}

function kernelBtf(): BtfReader | undefined {
  try {
    return openVmlinuxBtf();
  } catch (error) {
    if (error instanceof BtfError) return undefined;
    throw error;
  }
}

export const fentryProvider: Provider<PointOf<'fentry' | 'fexit'>, TargetOf<'fentry'>> = {
  resolve(point, { diagnostics }) {
    const isReturn = point.provider === 'fexit';
    const btf = kernelBtf();
    if (!btf) {
      diagnostics.error(point.span, `${point.raw}: fentry/fexit probes need kernel BTF (/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF)`, tracepointHint(point.function, isReturn));
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
        diagnostics.error(point.span, `kernel function not found in BTF: ${point.function}`, tracepointHint(point.function, isReturn));
        return [];
      }
      functions = [found];
    }
    const support = trampolineSupport(functions[0]!.id);
    if (support.kind === 'unavailable') {
      diagnostics.error(point.span, `${point.raw}: ${noTrampolines(support.errno)}`, tracepointHint(point.function, isReturn));
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
  attach(program, name, _target, own) {
    // A TRACING program knows its function (attach_btf_id): the open needs no tracepoint name.
    const fd = bpf(BpfCommand.RAW_TRACEPOINT_OPEN, packRawTracepointOpen({ name: 0n, programFd: program.fd }));
    if (fd < 0) throw new SyscallError(`${commandName(BpfCommand.RAW_TRACEPOINT_OPEN)} ${name}`, -fd);
    let closed = false;
    own({
      kind: 'raw-tracepoint', target: name, fd,
      close: () => {
        if (!closed) closeFd(fd);
        closed = true;
      },
    });
  },
};
