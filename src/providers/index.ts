// The providers, one module each, behind three questions the rest of the compiler asks: what does an
// attach point expand to (the checker), which program type and load options does a context need
// (code generation), and how is a loaded program attached to a target (the session). Plus what a
// context offers the body: named arguments, `func`, `retval`, and whether two attachments' contexts
// are alike enough to share one program.
import type { KernelFunction, ProbeContext, ProbeTarget, TracepointField } from '../model/probe.js';
import type { CompiledProgram } from '../model/artifact.js';
import { AttachType, ProgramType } from '../bpf/uapi.generated.js';
import type { ProgramHandle } from '../loader/attach.js';
import type { AttachPoint } from '../parser/attach-point-ast.js';
import { fentryProvider } from './fentry.js';
import { hardwareProvider, NO_HARDWARE_PMU } from './hardware.js';
import { dynamicPmu, hasHardwarePmu, kprobeEventsFile } from './kernel-support.js';
import { kprobeProvider, NO_KPROBES } from './kprobe.js';
import { AttachError, type Own, type ResolveEnvironment, type ResolvedAttachment } from './provider.js';
import { rawTracepointProvider } from './rawtracepoint.js';
import { softwareProvider } from './software.js';
import { specialProvider } from './special.js';
import { timerProvider } from './timer.js';
import { tracepointProvider } from './tracepoint.js';
import { NO_UPROBE_PMU, uprobeProvider } from './uprobe.js';
import { usdtProvider } from './usdt.js';

export { AttachError, type Own, type ResolveEnvironment, type ResolvedAttachment } from './provider.js';

/** Expands one attach point; reports a diagnostic at its span and returns [] when it cannot be resolved. */
export function resolveAttachPoint(point: AttachPoint, environment: ResolveEnvironment): ResolvedAttachment[] {
  switch (point.provider) {
    case 'begin': case 'end': return specialProvider.resolve(point, environment);
    case 'tracepoint': return tracepointProvider.resolve(point, environment);
    case 'rawtracepoint': return rawTracepointProvider.resolve(point, environment);
    case 'profile': case 'interval': return timerProvider.resolve(point, environment);
    case 'software': return softwareProvider.resolve(point, environment);
    case 'hardware': return hardwareProvider.resolve(point, environment);
    case 'uprobe': case 'uretprobe': return uprobeProvider.resolve(point, environment);
    case 'usdt': return usdtProvider.resolve(point, environment);
    case 'kprobe': case 'kretprobe': return kprobeProvider.resolve(point, environment);
    case 'fentry': case 'fexit': return fentryProvider.resolve(point, environment);
    case 'watchpoint': case 'asyncwatchpoint': case 'iter':
      environment.diagnostics.error(point.span, `${point.provider} probes are not supported yet`);
      return [];
    default: {
      const unknown: never = point;
      return unknown;
    }
  }
}

/**
 * Attaches `program` to `target`, handing each kernel attachment to `own` as soon as it exists, so
 * that a failure on the third CPU still leaves the first two owned (and closed by the caller).
 */
export function attachProbe(program: ProgramHandle, name: string, target: ProbeTarget, own: Own): void {
  switch (target.kind) {
    case 'begin': case 'end': return specialProvider.attach(program, name, target, own);
    case 'tracepoint': return tracepointProvider.attach(program, name, target, own);
    case 'rawtracepoint': return rawTracepointProvider.attach(program, name, target, own);
    case 'profile': case 'interval': return timerProvider.attach(program, name, target, own);
    case 'software': return softwareProvider.attach(program, name, target, own);
    case 'hardware': return hardwareProvider.attach(program, name, target, own);
    case 'uprobe': return uprobeProvider.attach(program, name, target, own);
    case 'usdt': return usdtProvider.attach(program, name, target, own);
    case 'kprobe': return kprobeProvider.attach(program, name, target, own);
    case 'fentry': return fentryProvider.attach(program, name, target, own);
    default: {
      const unknown: never = target;
      return unknown;
    }
  }
}

/**
 * Refuses, before any kernel object exists, a script with a probe kind this kernel cannot attach
 * (compile() says so at the attach point; this covers scripts compiled elsewhere or by hand).
 */
export function checkAttachable(programs: readonly CompiledProgram[]): void {
  for (const { attachments } of programs) {
    for (const { name, target } of attachments) {
      const reason = unattachableReason(target);
      if (reason) throw new AttachError(`${name}: ${reason}`);
    }
  }
}

function unattachableReason(target: ProbeTarget): string | undefined {
  switch (target.kind) {
    case 'kprobe': return dynamicPmu('kprobe') || kprobeEventsFile() ? undefined : NO_KPROBES;
    case 'uprobe': case 'usdt': return dynamicPmu('uprobe') ? undefined : NO_UPROBE_PMU;
    case 'hardware': return hasHardwarePmu() ? undefined : NO_HARDWARE_PMU;
    default: return undefined;
  }
}

export interface ProgramLoad {
  readonly programType: number;
  readonly expectedAttachType?: number;
  readonly attachBtfId?: number;
}

/** The program type (and load options) a context needs. */
export function programLoadFor(context: ProbeContext): ProgramLoad {
  switch (context.kind) {
    case 'tracepoint': return { programType: ProgramType.TRACEPOINT };
    case 'registers': return { programType: ProgramType.KPROBE };
    case 'perf': return { programType: ProgramType.PERF_EVENT };
    case 'special': return { programType: ProgramType.RAW_TRACEPOINT };
    case 'rawtracepoint': {
      const traced = context.kernelFunction;
      if (!traced) return { programType: ProgramType.RAW_TRACEPOINT };
      return { programType: ProgramType.TRACING, expectedAttachType: traced.isReturn ? AttachType.TRACE_FEXIT : AttachType.TRACE_FENTRY, attachBtfId: traced.btfId };
    }
  }
}

/** Named arguments (`args.x`) of a context, with the category that decides whose memory pointers point to. */
export function namedArguments(context: ProbeContext): { readonly fields: readonly TracepointField[]; readonly category: string } | undefined {
  if (context.kind === 'tracepoint') return { fields: context.fields, category: context.category };
  if (context.kind === 'rawtracepoint' && context.fields) return { fields: context.fields, category: context.kernelFunction ? 'fentry' : 'rawtracepoint' };
  return undefined;
}

/** What `func` holds in this context, if it holds anything. */
export function functionNameOf(context: ProbeContext): string | undefined {
  if (context.kind === 'registers') return context.functionName ?? '';
  if (context.kind === 'rawtracepoint') return context.kernelFunction?.name;
  return undefined;
}

export type BuiltinVerdict = { readonly available: true } | { readonly available: false; readonly message: string; readonly hint?: string };

/**
 * The providers' own word on builtin `name` in this context, where the generic rule (arg0…arg5 in
 * raw tracepoints and uprobes/kprobes, retval in return probes) is not the whole story; undefined
 * leaves it to that rule.
 */
export function builtinInContext(context: ProbeContext, name: string): BuiltinVerdict | undefined {
  const argument = /^arg([0-9])$/.exec(name);
  if (context.kind === 'registers' && context.usdtArguments && argument) {
    const count = context.usdtArguments.length;
    if (Number(argument[1]) < count) return { available: true };
    return { available: false, message: `this USDT probe has ${count === 0 ? 'no arguments' : count === 1 ? 'one argument, arg0' : `${count} arguments, arg0 to arg${count - 1}`}` };
  }
  if (context.kind === 'rawtracepoint' && context.kernelFunction) return kernelFunctionBuiltin(context.kernelFunction, name);
  return undefined;
}

function kernelFunctionBuiltin(traced: KernelFunction, name: string): BuiltinVerdict | undefined {
  if (name === 'func') return { available: true };
  if (name === 'retval') return traced.isReturn ? { available: true } : { available: false, message: 'retval is only available in fexit probes (and uretprobe, kretprobe)' };
  return undefined;
}

/**
 * Whether one program can serve attachments with these two contexts: the same program type, and,
 * when the body reads arguments, the same argument layout.
 */
export function canShareProgram(first: ProbeContext, other: ProbeContext, readsArguments: boolean): boolean {
  switch (first.kind) {
    case 'special': case 'tracepoint': return false;
    case 'perf': return other.kind === 'perf';
    case 'rawtracepoint':
      // attach_btf_id binds a TRACING program to one function.
      return other.kind === 'rawtracepoint' && !first.kernelFunction && !other.kernelFunction && (!readsArguments || sameJson(first.fields, other.fields));
    case 'registers':
      return other.kind === 'registers' && other.space === first.space && other.isReturn === first.isReturn
        && (!readsArguments || sameJson(first.usdtArguments, other.usdtArguments));
  }
}

function sameJson(left: unknown, right: unknown): boolean {
  const text = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));
  return text(left) === text(right);
}
