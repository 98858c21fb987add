import type { ProviderName } from './attach-point-ast.js';

/** Every spelling of a provider, mapped to its long name. Case matters (`u` uprobe, `U` usdt). */
const spellings: ReadonlyMap<string, ProviderName> = new Map<string, ProviderName>([
  ['BEGIN', 'begin'],
  ['begin', 'begin'],
  ['END', 'end'],
  ['end', 'end'],
  ['tracepoint', 'tracepoint'],
  ['t', 'tracepoint'],
  ['rawtracepoint', 'rawtracepoint'],
  ['rt', 'rawtracepoint'],
  ['kprobe', 'kprobe'],
  ['k', 'kprobe'],
  ['kretprobe', 'kretprobe'],
  ['kr', 'kretprobe'],
  ['uprobe', 'uprobe'],
  ['u', 'uprobe'],
  ['uretprobe', 'uretprobe'],
  ['ur', 'uretprobe'],
  ['usdt', 'usdt'],
  ['U', 'usdt'],
  ['profile', 'profile'],
  ['p', 'profile'],
  ['interval', 'interval'],
  ['i', 'interval'],
  ['software', 'software'],
  ['s', 'software'],
  ['hardware', 'hardware'],
  ['h', 'hardware'],
  ['fentry', 'fentry'],
  ['kfunc', 'fentry'],
  ['f', 'fentry'],
  ['fexit', 'fexit'],
  ['kretfunc', 'fexit'],
  ['fr', 'fexit'],
  ['watchpoint', 'watchpoint'],
  ['w', 'watchpoint'],
  ['asyncwatchpoint', 'asyncwatchpoint'],
  ['aw', 'asyncwatchpoint'],
  ['iter', 'iter'],
  ['it', 'iter'],
]);

export function providerNamed(spelling: string): ProviderName | undefined {
  return spellings.get(spelling);
}

/** The shape of each provider's attach point, quoted in diagnostics. */
export const providerUsage: Readonly<Record<ProviderName, string>> = {
  begin: 'BEGIN',
  end: 'END',
  tracepoint: 'tracepoint:category:event',
  rawtracepoint: 'rawtracepoint:[module:]event',
  kprobe: 'kprobe:[module:]function[+offset]',
  kretprobe: 'kretprobe:[module:]function',
  uprobe: 'uprobe:binary:function[+offset]',
  uretprobe: 'uretprobe:binary:function',
  usdt: 'usdt:binary:[namespace:]probe',
  profile: 'profile:unit:rate, e.g. profile:hz:99',
  interval: 'interval:unit:period or interval:1s',
  software: 'software:event[:count]',
  hardware: 'hardware:event[:count]',
  fentry: 'fentry:[module:]function',
  fexit: 'fexit:[module:]function',
  watchpoint: 'watchpoint:address:length:mode',
  asyncwatchpoint: 'asyncwatchpoint:address:length:mode',
  iter: 'iter:object[:pin]',
};

/** Words that start other top-level constructs that tsbpf does not support yet. */
export const unsupportedTopLevelWords: ReadonlySet<string> = new Set(['macro', 'fn', 'import']);
