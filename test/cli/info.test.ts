// `tsbpf --info` in today's bpftrace's layout, its answers checked against this machine: uname for the
// system, /sys/kernel/btf for BTF, and what this kernel version has (bpf_loop 5.17+, uprobe_multi 6.6+).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { runCli } from './cli-process.js';

const uname = (flag: string) => execFileSync('uname', [flag], { encoding: 'utf8' }).trim();
const [major = 0, minor = 0] = uname('-r').split('.').map(Number);
const atLeast = (a: number, b: number) => major > a || (major === a && minor >= b);

test('--info: System, Build, Kernel helpers, Kernel features, Probe types, each cell 35 columns', async () => {
  const result = await runCli(['--info']);
  assert.is(result.code, 0, result.stderr);
  const lines = result.stdout.split('\n');
  assert.equal(lines.slice(0, 3), ['System', `  OS: ${uname('-s')} ${uname('-r')} ${uname('-v')}`, `  Arch: ${uname('-m')}`]);
  const titles = lines.filter((line) => /^[A-Z]/.test(line));
  assert.equal(titles, ['System', 'Build', 'Kernel helpers', 'Kernel features', 'Probe types']);
  const cells = new Map<string, string>();
  for (const line of lines.slice(lines.indexOf('Kernel helpers'))) {
    if (!line.startsWith('  ')) continue;
    assert.ok(line.length === 35 || line.length === 70, `a line of one or two 35-column cells: ${JSON.stringify(line)}`);
    for (const cell of [line.slice(0, 35), line.slice(35)]) {
      const match = /^\s*([^:]+): (\S+)\s*$/.exec(cell);
      if (match) cells.set(match[1]!, match[2]!);
    }
  }
  assert.is(cells.get('btf'), existsSync('/sys/kernel/btf/vmlinux') ? 'yes' : 'no');
  assert.is(cells.get('Instruction limit'), '1000000');
  if (atLeast(5, 17)) assert.is(cells.get('loop'), 'yes');
  if (atLeast(6, 6)) assert.is(cells.get('uprobe_multi'), 'yes');
  assert.equal([...cells.keys()], ['dpath', 'get_tai_ns', 'get_func_ip', 'lookup_percpu_elem', 'loop', 'Instruction limit', 'btf', 'module btf', 'kprobe_multi', 'uprobe_multi', 'kprobe_session', 'iter']);
});

test.run();
