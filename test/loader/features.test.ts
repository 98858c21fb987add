// Feature probes against this kernel (facts in /work/shared/KERNEL.md): each answer must match
// what loading/creating the real thing does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { helperId, MapType, ProgramType } from '../../src/bpf/uapi.generated.js';
import {
  clearFeatureCache, hasBatchOperations, hasBpfLoop, hasHelper, hasMapType, hasPerfEventLink, hasRingBuffer,
} from '../../src/loader/features.js';

test('helpers: allowed ones are found, refused ones (incl. bpftool false positives) are not', () => {
  assert.ok(hasHelper(ProgramType.TRACEPOINT, helperId.map_lookup_elem));
  assert.ok(hasHelper(ProgramType.TRACEPOINT, helperId.get_current_comm));
  assert.ok(hasHelper(ProgramType.RAW_TRACEPOINT, helperId.ringbuf_output));
  // bpftool lists skb_store_bytes for tracepoints; loading says "cannot use helper".
  assert.not.ok(hasHelper(ProgramType.TRACEPOINT, helperId.skb_store_bytes));
  // get_func_ip exists but "not supported for program type 5".
  assert.not.ok(hasHelper(ProgramType.TRACEPOINT, helperId.get_func_ip));
  // An id past the end of the helper table.
  assert.not.ok(hasHelper(ProgramType.TRACEPOINT, 100000));
});

test('answers are cached, and a fresh probe agrees', () => {
  const first = hasHelper(ProgramType.KPROBE, helperId.probe_read_kernel);
  assert.is(hasHelper(ProgramType.KPROBE, helperId.probe_read_kernel), first);
  clearFeatureCache();
  assert.is(hasHelper(ProgramType.KPROBE, helperId.probe_read_kernel), first);
  assert.ok(first);
});

test('map types: the ones tsbpf uses exist; an unknown type does not', () => {
  for (const type of [MapType.HASH, MapType.ARRAY, MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.LRU_HASH, MapType.STACK_TRACE, MapType.PERF_EVENT_ARRAY, MapType.RINGBUF]) {
    assert.ok(hasMapType(type), `map type ${type}`);
  }
  assert.not.ok(hasMapType(9999));
});

test('ring buffer, perf-event links, batch operations and bpf_loop are available on this kernel', () => {
  assert.ok(hasRingBuffer());
  assert.ok(hasPerfEventLink());
  assert.ok(hasBatchOperations());
  assert.ok(hasBpfLoop());
});

test.run();
