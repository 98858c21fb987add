// strstr(haystack, needle): where needle first starts in haystack, or -1 (today's bpftrace stdlib);
// an empty needle is at 0. The same search as strcontains(), answering with the position.
import { s64 } from '../model/types.js';
import { arity, needString } from '../check/call-rule.js';
import { lowerSearch } from './strcontains.js';
import type { FunctionRecord } from './record.js';

export const strstr: FunctionRecord = {
  name: 'strstr',
  check(context, call) {
    if (!arity(context, call, 2, 2)) return s64;
    needString(context, call, 0);
    needString(context, call, 1);
    return s64;
  },
  lower: (lowering, call, type) => lowerSearch(lowering, call.arguments[0]!, call.arguments[1]!, type, 'index'),
};
