// kprobe:FUNCTION[+OFFSET] and kretprobe:FUNCTION — a dynamic probe on a kernel function, reading
// `struct pt_regs`. Attached through the kprobe PMU, or tracefs's kprobe_events on kernels without
// one. A kernel with neither (built without CONFIG_KPROBES, like this project's VMs) is reported at
// compile time, at the attach point, with the nearest tracepoint as the way forward.
import { readFileSync } from 'node:fs';
import { globToRegExp, isGlob } from '../btf/glob.js';
import { dynamicPmu, kprobeEventsFile } from './kernel-support.js';
import { attachKprobeEvent } from './kprobe-events.js';
import { attachPmuProbe } from './probe-pmu.js';
import { type PointOf, type Provider, type ResolvedAttachment, type TargetOf, AttachError } from './provider.js';
import { tracepointHint } from './tracepoint-suggestions.js';

export const NO_KPROBES = 'this kernel cannot attach kprobes: it has no kprobe PMU and no tracefs kprobe_events (it was built without CONFIG_KPROBES)';

let kernelFunctionNames: readonly string[] | undefined;

/** Text symbols of the kernel proper from /proc/kallsyms; [] when it is unreadable. */
export function kernelFunctions(): readonly string[] {
  if (kernelFunctionNames) return kernelFunctionNames;
  const names = new Set<string>();
  try {
    for (const line of readFileSync('/proc/kallsyms', 'latin1').split('\n')) {
      const [, type, name, module] = line.split(/\s+/);
      if ((type === 't' || type === 'T') && name && module === undefined) names.add(name);
    }
  } catch {
    // unreadable: names are then only checked by the kernel when attaching
  }
  kernelFunctionNames = [...names].sort();
  return kernelFunctionNames;
}

export const kprobeProvider: Provider<PointOf<'kprobe' | 'kretprobe'>, TargetOf<'kprobe'>> = {
  resolve(point, { diagnostics }) {
    const isReturn = point.provider === 'kretprobe';
    if (!dynamicPmu('kprobe') && !kprobeEventsFile()) {
      diagnostics.error(point.span, `${point.raw}: ${NO_KPROBES}`, tracepointHint(point.function, isReturn));
      return [];
    }
    const known = kernelFunctions();
    let functions: readonly string[];
    if (isGlob(point.function)) {
      const pattern = globToRegExp(point.function);
      functions = known.filter((name) => pattern.test(name));
      if (functions.length === 0) {
        diagnostics.error(point.span, `no kernel function matches ${point.raw}`);
        return [];
      }
    } else {
      if (known.length > 0 && !known.includes(point.function) && point.module === undefined) {
        diagnostics.error(point.span, `kernel function not found: ${point.function}`, tracepointHint(point.function, isReturn));
        return [];
      }
      functions = [point.function];
    }
    const offset = Number(point.offset ?? 0n);
    return functions.map((name): ResolvedAttachment => {
      const symbol = point.module === undefined ? name : `${point.module}:${name}`;
      return {
        attachment: {
          name: `${point.provider}:${symbol}${offset ? `+${offset}` : ''}`,
          target: { kind: 'kprobe', symbol, offset, isReturn },
          span: point.span,
        },
        context: { kind: 'registers', space: 'kernel', isReturn, functionName: name },
      };
    });
  },
  attach(program, name, target, own) {
    const pmu = dynamicPmu('kprobe');
    if (pmu) {
      own(attachPmuProbe(program, { pmu, target: target.symbol, offset: target.offset, isReturn: target.isReturn }, name));
      return;
    }
    const eventsFile = kprobeEventsFile();
    if (!eventsFile) throw new AttachError(`${name}: ${NO_KPROBES}`);
    own(attachKprobeEvent(program, name, target.symbol, target.offset, target.isReturn, eventsFile));
  },
};
