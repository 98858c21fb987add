// The typed face of the native addon (native/syscalls.cc). Every call returns the kernel's result or
// -errno; `check` turns the latter into a SyscallError carrying errno and its name.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeAddon {
  bpf(cmd: number, attr: Uint8Array): number;
  perfEventOpen(attr: Uint8Array, pid: number, cpu: number, groupFd: number, flags: number): number;
  ioctl(fd: number, request: number, arg: number | bigint): number;
  close(fd: number): number;
  addressOf(view: ArrayBufferView): bigint;
  mmap(fd: number, length: number, prot: number, flags: number, offset: number): ArrayBuffer | number;
  munmap(buffer: ArrayBuffer): number;
  pollStart(fd: number, onReadable: (status: number, events: number) => void): PollHandle | number;
  pollStop(handle: PollHandle): void;
  pollRef(handle: PollHandle, keepAlive: boolean): void;
  raiseMemlockLimit(): number;
  pageSize(): number;
  gettid(): number;
}

export type PollHandle = { readonly __pollHandle: unique symbol };

const errnoNames = new Map<number, string>();
for (const [name, value] of Object.entries(constants.errno)) {
  if (!errnoNames.has(value)) errnoNames.set(value, name);
}
// Kernel-internal errnos that leak out of bpf() but are not in libc's table.
errnoNames.set(524, 'ENOTSUPP');
errnoNames.set(512, 'ERESTARTSYS');

export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `errno ${errno}`;
}

/** A failed system call: `errno` is positive, `code` is its name (EPERM, EINVAL, …). */
export class SyscallError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly call: string;
  constructor(call: string, errno: number, detail?: string) {
    const code = errnoName(errno);
    super(`${call}: ${code}${detail ? ` (${detail})` : ''}`);
    this.name = 'SyscallError';
    this.errno = errno;
    this.code = code;
    this.call = call;
  }
}

/** Returns a non-negative result, or throws SyscallError for -errno. */
export function check(call: string, result: number, detail?: string): number {
  if (result < 0) throw new SyscallError(call, -result, detail);
  return result;
}

function findAddon(): string {
  // The addon sits in <package>/build/Release; this module runs from dist/src/loader or, bundled, dist/.
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(directory, 'build', 'Release', 'tsbpf_native.node');
    if (existsSync(candidate)) return candidate;
    directory = dirname(directory);
  }
  throw new Error('tsbpf native addon not found: run `npm run build:native` (needs cmake and a C++ compiler)');
}

let addon: NativeAddon | undefined;

/**
 * Buffers whose addresses went into system call attributes, kept referenced until the current job
 * ends. An attribute holds only the address: without this, a buffer nothing else refers to (a
 * license string, a tracepoint name) could be collected between addressOf() and the system call, and
 * the kernel would read freed memory (a generated program once failed to load with "cannot call
 * GPL-restricted function from non-GPL compatible program" that way). Every such call is made
 * synchronously after addressOf(), so the end of the job is late enough.
 */
const pinned: ArrayBufferView[] = [];

function unpinAll(): void {
  pinned.length = 0;
}

/** The addon, loaded on first use so that compile-only users never need it. */
export function native(): NativeAddon {
  if (!addon) {
    const loaded = createRequire(import.meta.url)(findAddon()) as NativeAddon;
    const addressOf = loaded.addressOf;
    addon = {
      ...loaded,
      addressOf: (view: ArrayBufferView): bigint => {
        if (pinned.length === 0) queueMicrotask(unpinAll);
        pinned.push(view);
        return addressOf(view);
      },
    };
  }
  return addon;
}

/** How many buffers are pinned now (for tests). */
export function pinnedBufferCount(): number {
  return pinned.length;
}
