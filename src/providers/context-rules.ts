// What a probe body's builtins mean in each kind of program context, shared by the providers whose
// programs read that context: `struct pt_regs` (kprobe, uprobe; usdt adds its argument notes), a u64
// argument array (rawtracepoint, fentry/fexit), a tracepoint record, perf event data (profile,
// interval, software, hardware), or nothing (BEGIN/END). Each is the argument half of a provider
// record, spread into it.
import { AttachType, ProgramType } from '../bpf/uapi.generated.js';
import type { ProbeContext, TracepointField } from '../model/probe.js';
import type { ProviderRecord } from '../model/provider.js';

type ContextRules = Pick<ProviderRecord, 'programLoad' | 'builtin' | 'namedArguments' | 'functionName' | 'argumentPlace' | 'canShareProgram'>;

type ContextOf<Kind extends ProbeContext['kind']> = Extract<ProbeContext, { kind: Kind }>;

/** x86-64 struct pt_regs: where the return value and the first six arguments sit (System V ABI). */
const PT_REGS = {
  ax: 80,
  arguments: [112, 104, 96, 88, 72, 64] as readonly number[], // di, si, dx, cx, r8, r9
} as const;

function noPlace(name: string, context: ProbeContext): never {
  throw new Error(`internal error: ${name} has no place in this probe's context (${context.kind})`);
}

function argumentName(index: number | 'retval'): string {
  return index === 'retval' ? 'retval' : `arg${index}`;
}

/** kprobe, kretprobe, uprobe, uretprobe: arguments in the System V registers, retval in ax. */
export const ptRegsRules: ContextRules = {
  programLoad: () => ({ programType: ProgramType.KPROBE }),
  builtin(context, name) {
    const registers = context as ContextOf<'registers'>;
    if (name === 'retval' && !registers.isReturn) return { available: false, message: 'retval is only available in uretprobe and kretprobe probes' };
    return undefined;
  },
  namedArguments: () => undefined,
  functionName: (context) => (context as ContextOf<'registers'>).functionName ?? '',
  argumentPlace(context, index) {
    const offset = index === 'retval' ? PT_REGS.ax : PT_REGS.arguments[index];
    return offset === undefined ? noPlace(argumentName(index), context) : { kind: 'context', offset };
  },
  canShareProgram(first, other, readsArguments) {
    const registers = first as ContextOf<'registers'>;
    return other.kind === 'registers' && other.space === registers.space && other.isReturn === registers.isReturn
      && (!readsArguments || sameJson(registers.usdtArguments, other.usdtArguments));
  },
};

/** rawtracepoint and fentry/fexit: u64 argument slots, named from BTF; fexit's return value after them. */
export const argumentSlotRules: ContextRules = {
  programLoad(context) {
    const traced = (context as ContextOf<'rawtracepoint'>).kernelFunction;
    if (!traced) return { programType: ProgramType.RAW_TRACEPOINT };
    return { programType: ProgramType.TRACING, expectedAttachType: traced.isReturn ? AttachType.TRACE_FEXIT : AttachType.TRACE_FENTRY, attachBtfId: traced.btfId };
  },
  builtin(context, name) {
    const { fields, kernelFunction } = context as ContextOf<'rawtracepoint'>;
    if (kernelFunction) {
      if (name === 'func') return { available: true };
      if (name === 'retval') return kernelFunction.isReturn ? { available: true } : { available: false, message: 'retval is only available in fexit probes (and uretprobe, kretprobe)' };
      return undefined;
    }
    const argument = /^arg([0-9])$/.exec(name);
    if (argument && fields && Number(argument[1]) >= fields.length) {
      // The kernel refuses to attach a raw tracepoint program that reads past the tracepoint's arguments.
      return {
        available: false,
        message: `${name} is past this tracepoint's ${fields.length} argument${fields.length === 1 ? '' : 's'}`,
        hint: `its arguments: ${fields.map((field, index) => `arg${index} (${field.name})`).join(', ')}`,
      };
    }
    return undefined;
  },
  namedArguments(context) {
    const { fields, kernelFunction } = context as ContextOf<'rawtracepoint'>;
    return fields ? { fields, category: kernelFunction ? 'fentry' : 'rawtracepoint' } : undefined;
  },
  functionName: (context) => (context as ContextOf<'rawtracepoint'>).kernelFunction?.name,
  argumentPlace(context, index) {
    if (index !== 'retval') return { kind: 'context', offset: index * 8 };
    const traced = (context as ContextOf<'rawtracepoint'>).kernelFunction;
    return traced ? { kind: 'context', offset: traced.returnSlot * 8 } : noPlace('retval', context);
  },
  canShareProgram(first, other, readsArguments) {
    const slots = first as ContextOf<'rawtracepoint'>;
    // attach_btf_id binds a TRACING program to one function.
    return other.kind === 'rawtracepoint' && !slots.kernelFunction && !other.kernelFunction && (!readsArguments || sameJson(slots.fields, other.fields));
  },
};

/** Contexts without arguments: perf event data, or BEGIN/END's none. */
function withoutArguments(programType: number, canShare: (other: ProbeContext) => boolean): ContextRules {
  return {
    programLoad: () => ({ programType }),
    builtin: () => undefined,
    namedArguments: () => undefined,
    functionName: () => undefined,
    argumentPlace: (context, index) => noPlace(argumentName(index), context),
    canShareProgram: (_first, other) => canShare(other),
  };
}

export const perfRules = withoutArguments(ProgramType.PERF_EVENT, (other) => other.kind === 'perf');
export const specialRules = withoutArguments(ProgramType.RAW_TRACEPOINT, () => false);

/** tracepoints: the record's fields as `args`; a layout is one tracepoint's, so no sharing. */
export const tracepointRules: ContextRules = {
  ...withoutArguments(ProgramType.TRACEPOINT, () => false),
  namedArguments(context) {
    const { fields, category } = context as ContextOf<'tracepoint'>;
    return { fields: fields as readonly TracepointField[], category };
  },
};

function sameJson(left: unknown, right: unknown): boolean {
  const text = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));
  return text(left) === text(right);
}
