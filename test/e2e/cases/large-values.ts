// Values too large for the 512-byte BPF stack together: the probe is lowered again with its strings,
// tuples and records in a per-CPU scratch area, and must still compute exactly the same results.
import { openSync } from 'node:fs';
import { atExit, type Case } from '../case.js';
import { onlySelf, self } from '../harness.js';

const long = 'a'.repeat(250);
const missingPath = `/nonexistent-tsbpf-large-${self.pid}`;
const filenames = Array.from({ length: 9 }, () => 'str(args.filename)').join(', ');

export const largeValueCases: Case[] = [
  {
    name: 'three copies of a 251-byte string: compared, and used as a map key',
    program: `BEGIN { $s = "${long}"; $t = $s; $u = $s; printf("%d %d %d\\n", $u == $t, $t == $s, $u == "${long}b"); @[$u] = count(); exit(); }`,
    expect: `1 1 0\n${atExit(`@[${long}]: 1\n`)}`,
  },
  {
    name: 'a printf record of nine 64-byte strings, a two-string key and a tuple holding a string',
    program: `tracepoint:syscalls:sys_enter_openat ${onlySelf} { printf("${Array(9).fill('%s').join('|')}\\n", ${filenames});`
      + ' @[str(args.filename), str(args.filename, 4)] = count(); $a = (str(args.filename), 1, comm); @t = $a; }',
    trigger: () => {
      try {
        openSync(missingPath, 'r');
      } catch {
        // ENOENT: the syscall is what counts.
      }
    },
    expect: `${Array(9).fill(missingPath).join('|')}\n`
      + atExit(`@[${missingPath}, ${missingPath.slice(0, 3)}]: 1\n@t: (${missingPath}, 1, ${self.comm})\n`),
  },
];
