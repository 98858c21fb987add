// cgroupid() and cgroup_path() against a cgroup this test makes: a child process moved into a new
// cgroup v2 directory is seen by the probe with that cgroup's id, which cgroupid() of the directory
// gives at compile time and cgroup_path() prints as `unified:/<name>`. The directory is removed after.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileErrors } from './harness.js';
import { runScript } from './functions-support.js';
import { feature, needs } from '../support/skip.js';

const cgroup2Root = readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' ')).find((fields) => fields[2] === 'cgroup2')?.[1];
const cgroup2 = feature('a cgroup2 mount', cgroup2Root !== undefined);

needs(test, 'a process in a new cgroup: its id is cgroupid() of the directory, and cgroup_path() names it', [cgroup2], async () => {
  const name = `tsbpf-test-${process.pid}`;
  const directory = join(cgroup2Root!, name);
  mkdirSync(directory);
  try {
    // The child waits on stdin, is moved into the cgroup, then runs `true` (an execve the probe sees).
    const child = spawn('/bin/sh', ['-c', 'read line; exec /bin/true'], { stdio: ['pipe', 'ignore', 'inherit'] });
    writeFileSync(join(directory, 'cgroup.procs'), `${child.pid}\n`);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const { stdout } = await runScript(`tracepoint:syscalls:sys_enter_execve /pid == ${child.pid}/ {
      printf("%d %s|%s\\n", cgroup == cgroupid("${directory}"), cgroup_path(cgroup, "unified"), cgroup_path(cgroupid("${directory}"), "uni*"));
      @[cgroup_path(cgroup, "unified")] = count();
    }`, { trigger: async () => { child.stdin!.end('go\n'); await exited; } });
    assert.is(stdout, `1 unified:/${name}|unified:/${name}\n\n\n@[unified:/${name}]: 1\n`);
  } finally {
    rmdirSync(directory);
  }
});

needs(test, 'cgroup_path() of the root cgroup is /; cgroupid() of a path that is no cgroup is an error', [cgroup2], async () => {
  const { stdout } = await runScript(`BEGIN { print(cgroup_path(cgroupid("${cgroup2Root}"), "unified")); exit(); }`);
  assert.is(stdout.split('\n')[0], 'unified:/');
  assert.match(compileErrors('BEGIN { print(cgroupid("/nonexistent/cgroup")); }'), /cgroupid\(\): no cgroup at \/nonexistent\/cgroup/);
});

test.run();
