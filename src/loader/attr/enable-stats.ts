// BPF_ENABLE_STATS attr: the returned fd keeps run-time statistics on until it is closed.

/** enum bpf_stats_type */
export const StatsType = { RUN_TIME: 0 } as const;

const ENABLE_STATS_ATTR_SIZE = 8;

export function packEnableStats(type: number): Uint8Array {
  const bytes = new Uint8Array(ENABLE_STATS_ATTR_SIZE);
  new DataView(bytes.buffer).setUint32(0, type, true);
  return bytes;
}
