// The pid namespace tsbpf runs in, as a Host fact: read from /proc/self/ns/pid (none in the initial
// namespace), and what the compiler makes of it without a kernel — programs that number processes as
// tsbpf's namespace does (the CLI tests in test/cli/pid-namespace.test.ts run them).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { disassembleProgram } from '../../src/bpf/index.js';
import { compile } from '../../src/compile.js';
import { liveHost } from '../../src/host/live.js';
import { kernelDevice, ownPidNamespace } from '../../src/host/pid-namespace.js';
import { feature, needs, tool } from '../support/skip.js';

const root = feature('root (pid namespaces)', process.getuid?.() === 0);
const initialNamespace = feature('tests running in the initial pid namespace', statSync('/proc/self/ns/pid').ino === 0xeffffffc);

needs(test, 'in the initial pid namespace there is none to name', [initialNamespace], () => {
  assert.is(ownPidNamespace(), undefined);
});

needs(test, 'in a new pid namespace: its inode, and nsfs\'s device in the kernel\'s encoding', [root, tool('unshare'), tool('stat')], () => {
  const module = fileURLToPath(new URL('../../src/host/pid-namespace.js', import.meta.url));
  const output = execFileSync('unshare', ['--fork', '--pid', '--mount-proc', 'sh', '-c',
    `stat -Lc '%i %Hd %Ld' /proc/self/ns/pid && "$0" -e "import('${module}').then((m) => console.log(JSON.stringify(m.ownPidNamespace())))"`, process.execPath,
  ], { encoding: 'utf8' }).trim().split('\n');
  const [inode, major, minor] = output[0]!.split(' ').map(Number) as [number, number, number];
  assert.ok(inode !== 0xeffffffc, 'a namespace of its own');
  assert.equal(JSON.parse(output[1]!), { device: major * 2 ** 20 + minor, inode });
});

test('device numbers: glibc\'s stat encoding to the kernel\'s major << 20 | minor', () => {
  // glibc's makedev().
  const userDevice = (major: bigint, minor: bigint) => ((major & 0xfffn) << 8n) | ((major & ~0xfffn) << 32n) | (minor & 0xffn) | ((minor & ~0xffn) << 12n);
  for (const [major, minor] of [[0, 4], [0, 300], [8, 1], [259, 70000]] as const) {
    assert.is(kernelDevice(userDevice(BigInt(major), BigInt(minor))), major * 2 ** 20 + minor, `${major}:${minor}`);
  }
});

test('compiled for a host in a pid namespace: pid asks bpf_get_ns_current_pid_tgid for it, pid(init) does not', () => {
  const namespace = { device: 4, inode: 0xf000014f };
  const host = { ...liveHost(), pidNamespace: () => namespace };
  const listing = (source: string) => disassembleProgram(compile(source, { host }).script!.programs[0]!.assembled).join('\n');
  const current = listing('BEGIN { printf("%d\\n", pid); }');
  assert.match(current, /r1 = 4\n.*r2 = 0xf000014f\n(.*\n){3}.*call bpf_get_ns_current_pid_tgid#120/);
  assert.not.match(current, /bpf_get_current_pid_tgid/);
  // Read twice: asked once, at entry, into the slot later reads load from.
  assert.is(listing('BEGIN { printf("%d %d\\n", pid, tid); }').match(/bpf_get_ns_current_pid_tgid/g)?.length, 1);
  const initial = listing('BEGIN { printf("%d\\n", tid(init)); }');
  assert.match(initial, /call bpf_get_current_pid_tgid#14/);
  assert.not.match(initial, /bpf_get_ns_current_pid_tgid/);
});

test.run();
