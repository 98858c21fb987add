// How bpftrace prints an address it could not name: C++'s `ostream << (void *)addr`, which gives
// `0x7f12…` and, for a null pointer, just `0`.

export function unknownAddressText(address: bigint): string {
  return address === 0n ? '0' : `0x${address.toString(16)}`;
}
