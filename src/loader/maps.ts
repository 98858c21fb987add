// BPF maps from userspace: create, element access, iteration, batch reads and per-CPU values.
import { BpfCommand, MapType } from '../bpf/uapi.generated.js';
import { packMapCreate } from './attr/map-create.js';
import { packMapBatch, packMapElem, readBatchCount, UpdateFlags } from './attr/map-elem.js';
import { sanitizeObjectName, viewOf } from './attr/layout.js';
import { decodeMapInfo, MAP_INFO_SIZE, type MapInfo, packObjInfo, readInfoLength } from './attr/obj-info.js';
import { possibleCpuCount } from './cpus.js';
import { errnoName, native, SyscallError } from './native.js';
import { bpf, bpfOrThrow, closeFd, commandName } from './syscall.js';

export interface MapSpec {
  readonly name: string;
  readonly type: MapType;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags?: number;
  readonly innerMapFd?: number;
  readonly btf?: { readonly fd: number; readonly keyTypeId: number; readonly valueTypeId: number };
}

export type MapEntry = [key: Uint8Array, value: Uint8Array];

const ENOENT = 2;
const EINVAL = 22;
const ENOSPC = 28;
const ENOTSUPP = 524;
const EOPNOTSUPP = 95;

const perCpuTypes: ReadonlySet<number> = new Set([MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.LRU_PERCPU_HASH, MapType.PERCPU_CGROUP_STORAGE]);

/** Map types whose BTF key/value ids the kernel refuses (it has no use for them). */
const btfRefusingTypes: ReadonlySet<number> = new Set([
  MapType.PERF_EVENT_ARRAY, MapType.STACK_TRACE, MapType.RINGBUF, MapType.QUEUE, MapType.STACK,
  MapType.PROG_ARRAY, MapType.CGROUP_ARRAY, MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS,
]);

const mapTypeNames = new Map<number, string>(Object.entries(MapType).map(([name, value]) => [value, name]));

function createHint(spec: MapSpec, errno: number): string | undefined {
  switch (errnoName(errno)) {
    case 'EPERM':
      return 'creating BPF maps needs root or CAP_BPF';
    case 'EINVAL':
      if (spec.type === MapType.RINGBUF) return `a ring buffer's size (${spec.maxEntries}) must be a power-of-2 multiple of the page size`;
      if (spec.maxEntries === 0) return 'max_entries must not be 0';
      return 'the kernel rejected the key/value sizes, flags or map type';
    case 'E2BIG':
      return 'key or value too large for this map type';
    case 'ENOMEM':
      return 'not enough memory (or memlock/memcg limit) for this map';
    default:
      return undefined;
  }
}

export function createMap(spec: MapSpec): BpfMap {
  const name = sanitizeObjectName(spec.name);
  const base = { mapType: spec.type, keySize: spec.keySize, valueSize: spec.valueSize, maxEntries: spec.maxEntries, flags: spec.flags, innerMapFd: spec.innerMapFd, name };
  const withBtf = spec.btf && !btfRefusingTypes.has(spec.type)
    ? { ...base, btfFd: spec.btf.fd, btfKeyTypeId: spec.btf.keyTypeId, btfValueTypeId: spec.btf.valueTypeId }
    : base;
  let fd = bpf(BpfCommand.MAP_CREATE, packMapCreate(withBtf));
  // BTF only adds pretty-printing here; a kernel that rejects it still gets a working map.
  if ((fd === -EINVAL || fd === -ENOTSUPP) && withBtf !== base) fd = bpf(BpfCommand.MAP_CREATE, packMapCreate(base));
  if (fd < 0) {
    throw new SyscallError(`${commandName(BpfCommand.MAP_CREATE)} ${name} (${mapTypeNames.get(spec.type) ?? spec.type})`, -fd, createHint(spec, -fd));
  }
  return new BpfMap(fd, spec, name);
}

/** Splits a per-CPU value buffer into one view per possible CPU (each `valueSize` bytes). */
export function splitPerCpu(buffer: Uint8Array, valueSize: number, cpuCount = possibleCpuCount()): Uint8Array[] {
  const stride = perCpuValueStride(valueSize);
  const values: Uint8Array[] = [];
  for (let cpu = 0; cpu < cpuCount; cpu++) values.push(buffer.subarray(cpu * stride, cpu * stride + valueSize));
  return values;
}

/** Bytes between two CPUs' values in a per-CPU map's user buffer: the kernel rounds each up to 8. */
export function perCpuValueStride(valueSize: number): number {
  return (valueSize + 7) & ~7;
}

/**
 * An open map. Element operations reuse per-map scratch buffers whose addresses are taken once,
 * so a lookup costs one key copy, one syscall and one value copy.
 */
export class BpfMap {
  readonly fd: number;
  readonly spec: MapSpec;
  /** The name the kernel holds (sanitized, at most 15 characters). */
  readonly name: string;
  readonly isPerCpu: boolean;
  /** Bytes userspace exchanges per element: valueSize, or round_up(valueSize, 8) × possible CPUs. */
  readonly userValueSize: number;
  private readonly keyScratch: Uint8Array;
  private readonly valueScratch: Uint8Array;
  private readonly nextKeyScratch: Uint8Array;
  private readonly lookupAttr: Uint8Array;
  private readonly updateAttr: Uint8Array;
  private readonly deleteAttr: Uint8Array;
  private readonly nextKeyAttr: Uint8Array;
  private readonly firstKeyAttr: Uint8Array;
  private batchUnsupported = false;
  private closed = false;

  constructor(fd: number, spec: MapSpec, name = sanitizeObjectName(spec.name)) {
    this.fd = fd;
    this.spec = spec;
    this.name = name;
    this.isPerCpu = perCpuTypes.has(spec.type);
    this.userValueSize = this.isPerCpu ? perCpuValueStride(spec.valueSize) * possibleCpuCount() : spec.valueSize;
    // At least one byte each so addressOf always has a backing store to point at.
    this.keyScratch = new Uint8Array(Math.max(spec.keySize, 1));
    this.valueScratch = new Uint8Array(Math.max(this.userValueSize, 1));
    this.nextKeyScratch = new Uint8Array(Math.max(spec.keySize, 1));
    const addressOf = native().addressOf;
    const key = addressOf(this.keyScratch);
    const value = addressOf(this.valueScratch);
    const nextKey = addressOf(this.nextKeyScratch);
    this.lookupAttr = packMapElem({ mapFd: fd, key, valueOrNextKey: value });
    this.updateAttr = packMapElem({ mapFd: fd, key, valueOrNextKey: value });
    this.deleteAttr = packMapElem({ mapFd: fd, key });
    this.nextKeyAttr = packMapElem({ mapFd: fd, key, valueOrNextKey: nextKey });
    this.firstKeyAttr = packMapElem({ mapFd: fd, key: 0n, valueOrNextKey: nextKey });
  }

  /** The value stored under `key` (for per-CPU maps, all CPUs' values back to back), or undefined. */
  lookup(key: Uint8Array): Uint8Array | undefined {
    this.loadKey(key);
    const result = bpf(BpfCommand.MAP_LOOKUP_ELEM, this.lookupAttr);
    if (result === -ENOENT) return undefined;
    this.fail(BpfCommand.MAP_LOOKUP_ELEM, result);
    return this.valueScratch.slice(0, this.userValueSize);
  }

  /** A per-CPU map's value, one array per possible CPU. */
  lookupPerCpu(key: Uint8Array): Uint8Array[] | undefined {
    if (!this.isPerCpu) throw new TypeError(`map ${this.name} is not a per-CPU map`);
    const value = this.lookup(key);
    return value && splitPerCpu(value, this.spec.valueSize);
  }

  /**
   * Stores `value` under `key`. For per-CPU maps give either the full per-CPU buffer or an array of
   * one value per possible CPU.
   */
  update(key: Uint8Array, value: Uint8Array | readonly Uint8Array[], flags: number = UpdateFlags.ANY): void {
    this.loadKey(key);
    if (value instanceof Uint8Array) {
      if (value.length !== this.userValueSize) throw new RangeError(`map ${this.name}: value is ${value.length} bytes, expected ${this.userValueSize}`);
      this.valueScratch.set(value);
    } else {
      this.loadPerCpuValues(value);
    }
    viewOf(this.updateAttr).setBigUint64(24, BigInt(flags), true);
    this.fail(BpfCommand.MAP_UPDATE_ELEM, bpf(BpfCommand.MAP_UPDATE_ELEM, this.updateAttr));
  }

  /** Deletes `key`; false when it was not there. */
  delete(key: Uint8Array): boolean {
    this.loadKey(key);
    const result = bpf(BpfCommand.MAP_DELETE_ELEM, this.deleteAttr);
    if (result === -ENOENT) return false;
    this.fail(BpfCommand.MAP_DELETE_ELEM, result);
    return true;
  }

  /** The key after `key` (the first key when undefined), or undefined at the end. */
  nextKey(key?: Uint8Array): Uint8Array | undefined {
    let attr = this.firstKeyAttr;
    if (key) {
      this.loadKey(key);
      attr = this.nextKeyAttr;
    }
    const result = bpf(BpfCommand.MAP_GET_NEXT_KEY, attr);
    if (result === -ENOENT) return undefined;
    this.fail(BpfCommand.MAP_GET_NEXT_KEY, result);
    return this.nextKeyScratch.slice(0, this.spec.keySize);
  }

  *keys(): Generator<Uint8Array> {
    for (let key = this.nextKey(); key; key = this.nextKey(key)) yield key;
  }

  /** Entries by key iteration; a key deleted between the two steps is skipped. */
  *entries(): Generator<MapEntry> {
    for (const key of this.keys()) {
      const value = this.lookup(key);
      if (value) yield [key, value];
    }
  }

  /**
   * All entries, read with BPF_MAP_LOOKUP_BATCH where the kernel and map type support it (far fewer
   * syscalls for big maps), else by iteration.
   */
  lookupBatch(batchSize = 256): MapEntry[] {
    if (!this.batchUnsupported) {
      const entries = this.tryLookupBatch(batchSize);
      if (entries) return entries;
      this.batchUnsupported = true;
    }
    return [...this.entries()];
  }

  private tryLookupBatch(initialBatchSize: number): MapEntry[] | undefined {
    const { keySize } = this.spec;
    // Hash maps use a 4-byte bucket cursor, arrays a key-sized one.
    const tokenSize = Math.max(keySize, 8);
    const inToken = new Uint8Array(tokenSize);
    const outToken = new Uint8Array(tokenSize);
    const addressOf = native().addressOf;
    const entries: MapEntry[] = [];
    let batchSize = Math.max(1, Math.min(initialBatchSize, this.spec.maxEntries));
    let first = true;
    for (;;) {
      const keys = new Uint8Array(batchSize * keySize);
      const values = new Uint8Array(batchSize * this.userValueSize);
      const attr = packMapBatch({
        mapFd: this.fd,
        inBatch: first ? 0n : addressOf(inToken),
        outBatch: addressOf(outToken),
        keys: addressOf(keys),
        values: addressOf(values),
        count: batchSize,
      });
      const result = bpf(BpfCommand.MAP_LOOKUP_BATCH, attr);
      // A hash bucket bigger than the batch: retry the same position with room for it.
      if (result === -ENOSPC) {
        batchSize *= 2;
        continue;
      }
      if (result < 0 && result !== -ENOENT) {
        if (first && (result === -EINVAL || result === -ENOTSUPP || result === -EOPNOTSUPP)) return undefined;
        this.fail(BpfCommand.MAP_LOOKUP_BATCH, result);
      }
      const count = readBatchCount(attr);
      for (let index = 0; index < count; index++) {
        entries.push([
          keys.slice(index * keySize, (index + 1) * keySize),
          values.slice(index * this.userValueSize, (index + 1) * this.userValueSize),
        ]);
      }
      if (result === -ENOENT) return entries;
      inToken.set(outToken);
      first = false;
    }
  }

  /** Makes the map read-only for userspace from now on (BPF_MAP_FREEZE), e.g. for .rodata. */
  freeze(): void {
    const attr = packMapElem({ mapFd: this.fd, key: 0n });
    bpfOrThrow(BpfCommand.MAP_FREEZE, attr, this.name);
  }

  info(): MapInfo {
    const info = new Uint8Array(MAP_INFO_SIZE);
    const attr = packObjInfo({ fd: this.fd, info: native().addressOf(info), infoLength: info.length });
    bpfOrThrow(BpfCommand.OBJ_GET_INFO_BY_FD, attr, this.name);
    return decodeMapInfo(info, readInfoLength(attr));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeFd(this.fd);
  }

  private loadKey(key: Uint8Array): void {
    if (key.length !== this.spec.keySize) throw new RangeError(`map ${this.name}: key is ${key.length} bytes, expected ${this.spec.keySize}`);
    this.keyScratch.set(key);
  }

  private loadPerCpuValues(values: readonly Uint8Array[]): void {
    const cpuCount = possibleCpuCount();
    if (!this.isPerCpu || values.length !== cpuCount) {
      throw new RangeError(`map ${this.name}: per-CPU update needs ${cpuCount} values (one per possible CPU)`);
    }
    const stride = perCpuValueStride(this.spec.valueSize);
    this.valueScratch.fill(0);
    values.forEach((value, cpu) => {
      if (value.length !== this.spec.valueSize) throw new RangeError(`map ${this.name}: value is ${value.length} bytes, expected ${this.spec.valueSize}`);
      this.valueScratch.set(value, cpu * stride);
    });
  }

  private fail(command: number, result: number): void {
    if (result < 0) throw new SyscallError(`${commandName(command)} ${this.name}`, -result);
  }
}
