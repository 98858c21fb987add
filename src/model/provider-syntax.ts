// How each provider is written: its spellings (long and short, case-sensitive: `u` uprobe, `U` usdt)
// and the shape of its attach point, quoted in diagnostics. Plain data, early in the pipeline so the
// parser can read it; each provider record (src/providers/) names its entries here as its syntax.
import type { ProviderName } from '../parser/attach-point-ast.js';

export interface ProviderSyntax {
  readonly name: ProviderName;
  readonly spellings: readonly string[];
  readonly usage: string;
}

const syntax = (name: ProviderName, spellings: readonly string[], usage: string): ProviderSyntax => ({ name, spellings, usage });

export const providerSyntax: Readonly<Record<ProviderName, ProviderSyntax>> = {
  begin: syntax('begin', ['BEGIN', 'begin'], 'BEGIN'),
  end: syntax('end', ['END', 'end'], 'END'),
  tracepoint: syntax('tracepoint', ['tracepoint', 't'], 'tracepoint:category:event'),
  rawtracepoint: syntax('rawtracepoint', ['rawtracepoint', 'rt'], 'rawtracepoint:[module:]event'),
  kprobe: syntax('kprobe', ['kprobe', 'k'], 'kprobe:[module:]function[+offset]'),
  kretprobe: syntax('kretprobe', ['kretprobe', 'kr'], 'kretprobe:[module:]function'),
  uprobe: syntax('uprobe', ['uprobe', 'u'], 'uprobe:binary:function[+offset]'),
  uretprobe: syntax('uretprobe', ['uretprobe', 'ur'], 'uretprobe:binary:function'),
  usdt: syntax('usdt', ['usdt', 'U'], 'usdt:binary:[namespace:]probe'),
  profile: syntax('profile', ['profile', 'p'], 'profile:unit:rate, e.g. profile:hz:99'),
  interval: syntax('interval', ['interval', 'i'], 'interval:unit:period or interval:1s'),
  software: syntax('software', ['software', 's'], 'software:event[:count]'),
  hardware: syntax('hardware', ['hardware', 'h'], 'hardware:event[:count]'),
  fentry: syntax('fentry', ['fentry', 'kfunc', 'f'], 'fentry:[module:]function'),
  fexit: syntax('fexit', ['fexit', 'kretfunc', 'fr'], 'fexit:[module:]function'),
  watchpoint: syntax('watchpoint', ['watchpoint', 'w'], 'watchpoint:address:length:mode'),
  asyncwatchpoint: syntax('asyncwatchpoint', ['asyncwatchpoint', 'aw'], 'asyncwatchpoint:address:length:mode'),
  iter: syntax('iter', ['iter', 'it'], 'iter:object[:pin]'),
};

const bySpelling: ReadonlyMap<string, ProviderName> = new Map(
  Object.values(providerSyntax).flatMap((entry) => entry.spellings.map((spelling) => [spelling, entry.name] as const)),
);

/** The long name a spelling stands for. */
export function providerNamed(spelling: string): ProviderName | undefined {
  return bySpelling.get(spelling);
}

/** Words that start other top-level constructs that tsbpf does not support yet. */
export const unsupportedTopLevelWords: ReadonlySet<string> = new Set(['macro', 'fn', 'import']);
