// Consumer side of a BPF_MAP_TYPE_RINGBUF map. The kernel exposes the consumer position page
// (read-write), then the producer position page and the data area mapped twice in a row
// (read-only), so a record that wraps the end is still contiguous in our view and is never copied.
import { MapType } from '../bpf/uapi.generated.js';
import type { BpfMap } from './maps.js';
import { check, native, type PollHandle, SyscallError } from './native.js';

/** Receives one record: its bytes are view[offset, offset + length). Valid only during the call. */
export type RecordHandler = (view: DataView, offset: number, length: number) => void;

const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_SHARED = 1;
const RECORD_BUSY = 0x80000000;
const RECORD_DISCARD = 0x40000000;
const RECORD_HEADER_SIZE = 8;

export interface RingBufferOptions {
  /** Start a poll watcher on the map fd so records are delivered from the event loop (default true). */
  readonly poll?: boolean;
  /** Whether the poll watcher keeps Node alive (default true). */
  readonly keepAlive?: boolean;
  /** Called when polling reports an error (status < 0) or a handler throws inside a poll callback. */
  readonly onError?: (error: Error) => void;
}

export class RingBufferReader {
  readonly map: BpfMap;
  /** Records delivered so far (discarded ones are not counted). */
  delivered = 0;
  private readonly onRecord: RecordHandler;
  private readonly dataSize: number;
  private readonly pageSize: number;
  private consumerMapping: ArrayBuffer | undefined;
  private producerMapping: ArrayBuffer | undefined;
  private readonly consumerPosition: BigUint64Array;
  private readonly producerPosition: BigUint64Array;
  private readonly headerWords: Int32Array;
  private readonly dataView: DataView;
  private pollHandle: PollHandle | undefined;
  private readonly onError: ((error: Error) => void) | undefined;

  constructor(map: BpfMap, onRecord: RecordHandler, options: RingBufferOptions = {}) {
    if (map.spec.type !== MapType.RINGBUF) throw new TypeError(`map ${map.name} is not a ring buffer`);
    const addon = native();
    this.map = map;
    this.onRecord = onRecord;
    this.onError = options.onError;
    this.pageSize = addon.pageSize();
    this.dataSize = map.spec.maxEntries;
    const consumer = addon.mmap(map.fd, this.pageSize, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
    if (typeof consumer === 'number') check(`mmap ring buffer ${map.name} consumer page`, consumer);
    this.consumerMapping = consumer as ArrayBuffer;
    const producer = addon.mmap(map.fd, this.pageSize + 2 * this.dataSize, PROT_READ, MAP_SHARED, this.pageSize);
    if (typeof producer === 'number') {
      addon.munmap(this.consumerMapping);
      check(`mmap ring buffer ${map.name} data`, producer);
    }
    this.producerMapping = producer as ArrayBuffer;
    this.consumerPosition = new BigUint64Array(this.consumerMapping, 0, 1);
    this.producerPosition = new BigUint64Array(this.producerMapping, 0, 1);
    this.headerWords = new Int32Array(this.producerMapping);
    this.dataView = new DataView(this.producerMapping);
    if (options.poll ?? true) {
      try {
        this.startPolling(options.keepAlive ?? true);
      } catch (error) {
        this.close();
        throw error;
      }
    }
  }

  /**
   * Delivers every committed record, advancing the consumer position after each handler returns,
   * and stops at the first record still being written. Returns the number of records delivered.
   */
  drain(): number {
    if (!this.producerMapping) return 0;
    let delivered = 0;
    // Positions only grow and stay far below 2^53, so plain numbers are exact.
    let consumer = Number(Atomics.load(this.consumerPosition, 0));
    for (;;) {
      const producer = Number(Atomics.load(this.producerPosition, 0));
      if (consumer >= producer) break;
      while (consumer < producer) {
        const headerOffset = this.pageSize + (consumer % this.dataSize);
        // The acquire load of the length word pairs with the producer's release on commit.
        const lengthWord = Atomics.load(this.headerWords, headerOffset >> 2) >>> 0;
        if (lengthWord & RECORD_BUSY) return this.finish(delivered);
        const length = lengthWord & ~(RECORD_BUSY | RECORD_DISCARD);
        consumer += (length + RECORD_HEADER_SIZE + 7) & ~7;
        try {
          if (!(lengthWord & RECORD_DISCARD)) {
            delivered++;
            this.onRecord(this.dataView, headerOffset + RECORD_HEADER_SIZE, length);
          }
        } finally {
          // Release the space only once the handler is done with it.
          Atomics.store(this.consumerPosition, 0, BigInt(consumer));
        }
      }
    }
    return this.finish(delivered);
  }

  /** Whether the poll watcher keeps the process alive. */
  ref(keepAlive: boolean): void {
    if (this.pollHandle) native().pollRef(this.pollHandle, keepAlive);
  }

  /** Bytes committed but not yet consumed. */
  pendingBytes(): number {
    if (!this.producerMapping) return 0;
    return Number(Atomics.load(this.producerPosition, 0) - Atomics.load(this.consumerPosition, 0));
  }

  /** Stops polling and unmaps; the map itself stays open (its owner closes it). */
  close(): void {
    const addon = native();
    if (this.pollHandle) addon.pollStop(this.pollHandle);
    this.pollHandle = undefined;
    if (this.producerMapping) addon.munmap(this.producerMapping);
    if (this.consumerMapping) addon.munmap(this.consumerMapping);
    this.producerMapping = undefined;
    this.consumerMapping = undefined;
  }

  private finish(delivered: number): number {
    this.delivered += delivered;
    return delivered;
  }

  private startPolling(keepAlive: boolean): void {
    const handle = native().pollStart(this.map.fd, (status) => {
      if (status < 0) {
        this.report(new Error(`polling ring buffer ${this.map.name} failed: status ${status}`));
        return;
      }
      try {
        this.drain();
      } catch (error) {
        this.report(error instanceof Error ? error : new Error(String(error)));
      }
    });
    if (typeof handle === 'number') throw new SyscallError(`poll ring buffer ${this.map.name}`, Math.abs(handle));
    this.pollHandle = handle as PollHandle;
    if (!keepAlive) native().pollRef(this.pollHandle, false);
  }

  private report(error: Error): void {
    if (this.onError) this.onError(error);
    else queueMicrotask(() => { throw error; });
  }
}

/** Opens a reader on a ring buffer map; records arrive from the event loop (and from drain()). */
export function openRingBuffer(map: BpfMap, onRecord: RecordHandler, options?: RingBufferOptions): RingBufferReader {
  return new RingBufferReader(map, onRecord, options);
}
