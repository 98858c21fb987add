// username: the uid of the process the probe fired in, printed as its /etc/passwd name (as bpftrace
// does, read when printed); a uid without an entry prints as the empty string.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { atExit } from './case.js';
import { compileErrors, run } from './harness.js';
import { needs, tool } from '../support/skip.js';

const myName = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();

test('username is this process\'s user in printf, print(), a variable, a map value and a map key', async () => {
  const { stdout, stderr } = await run('BEGIN { printf("[%s]\\n", username); print(username()); $u = username; @u = $u; @k[username, 1] = 2; exit(); }');
  assert.is(stderr, '');
  assert.is(stdout, `[${myName}]\n${myName}\n${atExit(`@k[${myName}, 1]: 2\n@u: ${myName}\n`)}`);
});

test('-f json: a string wherever it appears', async () => {
  const { stdout } = await run('BEGIN { print(username); @u = username; @k[username] = 1; exit(); }', { format: 'json' });
  assert.equal(stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown), [
    { type: 'value', data: myName },
    { type: 'map', data: { '@k': { [myName]: 1 } } },
    { type: 'map', data: { '@u': myName } },
  ]);
});

/** A uid /etc/passwd names, other than ours, and one it does not. */
const passwdUids = new Map(readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':')).filter((fields) => fields.length >= 3).map((fields) => [Number(fields[2]), fields[0]!]));
const otherUid = [...passwdUids.keys()].find((uid) => uid !== process.getuid!() && passwdUids.get(uid) !== myName);
let unnamedUid = 54321;
while (passwdUids.has(unnamedUid)) unnamedUid++;

needs(test, 'another user\'s process prints that user\'s name; a uid without an entry prints empty', tool('setpriv'), async () => {
  const { stdout } = await run(`tracepoint:syscalls:sys_enter_exit_group /uid == ${otherUid} || uid == ${unnamedUid}/ { printf("%d [%s]\\n", uid, username); }`, {
    trigger: () => {
      for (const uid of [otherUid!, unnamedUid]) execFileSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '/bin/true']);
    },
  });
  assert.is(stdout, `${otherUid} [${passwdUids.get(otherUid!)}]\n${unnamedUid} []\n${atExit()}`);
});

const sample = 'BEGIN { printf("%s\\n", username); print(username); @u = username; @k[username] = 1; exit(); }';

needs(test, 'username prints what bpftrace prints', tool('bpftrace'), async () => {
  const { stdout } = await run(sample);
  const theirs = execFileSync('bpftrace', ['-e', sample], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
  assert.is(stdout, theirs.replace(/^Attaching \d+ probes?\.\.\.\n/, ''));
});

test('username takes no arguments', () => {
  assert.match(compileErrors('BEGIN { print(username(1)); }'), 'username() takes 0 arguments, not 1');
});

test.run();
