// The bpf() entry point every loader module goes through: raw results for callers that branch on
// errno, and a throwing form whose error names the command.
import { BpfCommand } from '../bpf/uapi.generated.js';
import { SyscallError, native } from './native.js';

const commandNames = new Map<number, string>();
for (const [name, value] of Object.entries(BpfCommand)) if (!commandNames.has(value)) commandNames.set(value, `BPF_${name}`);

export function commandName(command: number): string {
  return commandNames.get(command) ?? `bpf command ${command}`;
}

let memlockRaised = false;

/**
 * bpf(command, attr): the fd or value the kernel returned, or -errno. The first call tries to lift
 * RLIMIT_MEMLOCK for kernels before 5.11 that charge it; failure is ignored on purpose, since newer
 * kernels charge the memory cgroup instead and unprivileged-resource containers refuse setrlimit.
 */
export function bpf(command: number, attr: Uint8Array): number {
  if (!memlockRaised) {
    memlockRaised = true;
    native().raiseMemlockLimit();
  }
  return native().bpf(command, attr);
}

/** bpf() that throws SyscallError (named after the command plus `subject`) on failure. */
export function bpfOrThrow(command: number, attr: Uint8Array, subject?: string, hint?: string): number {
  const result = bpf(command, attr);
  if (result < 0) throw new SyscallError(subject ? `${commandName(command)} ${subject}` : commandName(command), -result, hint);
  return result;
}

export function closeFd(fd: number): void {
  if (fd >= 0) native().close(fd);
}
