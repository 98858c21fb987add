// nsecs and nsecs(mode): a kernel clock in nanoseconds. The argument names the clock as bpftrace's
// does (monotonic, boot, tai, sw_tai); bare nsecs stays the monotonic clock that strftime() and
// elapsed are measured against here.
import type { HelperName } from '../bpf/index.js';
import { u64 } from '../model/types.js';
import { arity } from '../check/call-rule.js';
import type { FunctionRecord } from './record.js';

const clocks: Readonly<Record<string, HelperName | undefined>> = {
  monotonic: 'ktime_get_ns',
  boot: 'ktime_get_boot_ns',
  tai: 'ktime_get_tai_ns',
  // bpftrace's sw_tai is boot plus a TAI-minus-boot offset read with clock_gettime(CLOCK_TAI) at
  // start; the native addon has no clock_gettime, so it is refused (tai is the kernel's own, 6.1+).
  sw_tai: undefined,
};

export const nsecs: FunctionRecord = {
  name: 'nsecs',
  bare: true,
  check(context, call) {
    if (!arity(context, call, 0, 1) || call.arguments.length === 0) return u64;
    const argument = call.arguments[0]!;
    const word = context.word(argument);
    if (word === undefined) {
      context.expression(argument);
      context.diagnostics.error(argument.span, 'nsecs() takes a clock: monotonic, boot, tai or sw_tai');
    } else if (!(word in clocks)) {
      context.diagnostics.error(argument.span, `Invalid timestamp mode: ${word}`, 'expects monotonic, boot, tai or sw_tai');
    } else if (clocks[word] === undefined) {
      context.diagnostics.error(argument.span, 'nsecs(sw_tai) is not available in tsbpf: it needs CLOCK_TAI read in userspace', 'use nsecs(tai): the kernel\'s TAI clock (Linux 6.1+)');
    }
    return u64;
  },
  lower(lowering, call, type) {
    const argument = call.arguments[0];
    const helper = argument?.kind === 'identifier' ? clocks[argument.name]! : 'ktime_get_ns';
    return { kind: 'register', temp: lowering.e.callHelper(helper, [])!, type };
  },
};
