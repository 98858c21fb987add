// The one way a test may skip: when a named kernel feature or tool is ABSENT. Presence is decided
// here, independently of the code under test (a PATH lookup, a file's existence, a probe written in
// the test support), never by running the tool: a tool that is present but fails makes the test
// fail, not skip.
//
// `needs(test, name, requirements, handler)` registers the test normally when every requirement is
// present; otherwise it registers a uvu `test.skip` and prints one marker line, which
// scripts/test.mjs collects, lists with its reason after the summary, and checks against uvu's own
// skip count (a plain `test.skip` without a reason, or a `test.only`, fails the run).
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Callback, Test } from 'uvu';

/** One thing a test needs: what it is, whether this machine has it. */
export interface Requirement {
  /** Names what is needed, e.g. "bpftool", "/sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF)". */
  readonly what: string;
  readonly present: boolean;
}

/** The marker scripts/test.mjs looks for (anywhere on a line, since uvu's dots share lines). */
export const skipMarker = 'TSBPF-SKIP ';

/** An executable named `command` somewhere on $PATH (found without running it). */
export function tool(command: string): Requirement {
  return { what: `the ${command} command`, present: onPath(command) !== undefined };
}

/** The full path of `command` on $PATH, or undefined. */
export function onPath(command: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A file or directory that exists; `what` says what it stands for (a package, a kernel option). */
export function file(path: string, what?: string): Requirement {
  return { what: what ? `${path} (${what})` : path, present: existsSync(path) };
}

/** Any of several paths. */
export function anyFile(paths: readonly string[], what: string): Requirement {
  return { what, present: paths.some((path) => existsSync(path)) };
}

/** A feature decided by a probe in the test support (or a fact such as the architecture). */
export function feature(what: string, present: boolean): Requirement {
  return { what, present };
}

/** The requirements not met, as one reason; undefined when all are present. */
export function absent(requirements: Requirement | readonly Requirement[]): string | undefined {
  const list = Array.isArray(requirements) ? requirements : [requirements as Requirement];
  const missing = list.filter((requirement) => !requirement.present);
  return missing.length === 0 ? undefined : `absent: ${missing.map((requirement) => requirement.what).join(', ')}`;
}

/** Registers `handler` as test `name` if every requirement is present, else a reported skip. */
export function needs<T>(test: Test<T>, name: string, requirements: Requirement | readonly Requirement[], handler: Callback<T>): void {
  const reason = absent(requirements);
  if (reason === undefined) {
    test(name, handler);
    return;
  }
  test.skip(name, handler);
  reportSkip(name, reason);
}

/** Prints the marker for one skipped test (only `needs` should call this). */
export function reportSkip(name: string, reason: string): void {
  process.stdout.write(`${skipMarker}${JSON.stringify({ test: name, reason })}\n`);
}

// Feature probes shared by several tests. Each reads the kernel's own interfaces, not tsbpf's.

const eventSources = '/sys/bus/event_source/devices';

/** A kernel that can attach kprobes: a kprobe PMU or tracefs kprobe_events (CONFIG_KPROBES). */
export const kernelHasKprobes = existsSync(`${eventSources}/kprobe/type`)
  || existsSync('/sys/kernel/tracing/kprobe_events') || existsSync('/sys/kernel/debug/tracing/kprobe_events');

/** A CPU PMU (hardware counters): `cpu` or a `cpu_*` hybrid PMU under event_source/devices. */
export const machineHasHardwarePmu = (() => {
  try {
    return existsSync(`${eventSources}/cpu`) || existsSync(`${eventSources}/cpu_core`) || existsSync(`${eventSources}/armv8_pmuv3_0`);
  } catch {
    return false;
  }
})();

/** tracefs mounted where tsbpf reads it. */
export const tracefs = file('/sys/kernel/tracing/events', 'tracefs mounted at /sys/kernel/tracing');

/** The kernel's BTF. */
export const kernelBtf = file('/sys/kernel/btf/vmlinux', 'kernel BTF, CONFIG_DEBUG_INFO_BTF');

/** <sys/sdt.h>, needed only to build programs with USDT probes. */
export const sdtHeader = anyFile(['/usr/include/sys/sdt.h', '/usr/include/x86_64-linux-gnu/sys/sdt.h', '/usr/include/aarch64-linux-gnu/sys/sdt.h'],
  '<sys/sdt.h> (systemtap-sdt-dev)');

/** A C compiler. */
export const cc = tool('cc');

/** kallsyms with real addresses (kptr_restrict lets root see them). */
export const kallsymsAddresses = feature('/proc/kallsyms with addresses (kptr_restrict)', (() => {
  try {
    const head = readFileSync('/proc/kallsyms', 'utf8').slice(0, 4096);
    return /^[0-9a-f]*[1-9a-f][0-9a-f]* /m.test(head);
  } catch {
    return false;
  }
})());

/** The syscall tables tsbpf's tests know are x86-64's. */
export const x86_64 = feature(`an x86-64 machine (this is ${process.arch})`, process.arch === 'x64');
