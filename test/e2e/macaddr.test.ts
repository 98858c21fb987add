// macaddr(mac): six bytes as `XX:XX:XX:XX:XX:XX` (upper-case hex), from a user pointer (read with
// probe_read_user) or from an array or a string value (a char[6] member) of at least six bytes,
// wherever a value goes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, openSync, writeSync } from 'node:fs';
import { atExit } from './case.js';
import { compileErrors, run, self } from './harness.js';

const mac = Buffer.from([0x05, 0x04, 0x03, 0xc2, 0x7f, 0xff]);

test('from a user pointer: the six bytes this process writes, in printf, a map key and a map value', async () => {
  const { stdout, stderr } = await run(`tracepoint:syscalls:sys_enter_write /pid == ${self.pid} && args.count == 6/ { printf("P: %s\\n", macaddr(args.buf)); @[macaddr(args.buf)] = 1; @v = macaddr(args.buf); exit(); }`, {
    trigger: () => {
      const fd = openSync('/dev/null', 'w');
      writeSync(fd, mac);
      closeSync(fd);
    },
    awaitExit: true,
  });
  assert.is(stderr, '');
  assert.is(stdout, `P: 05:04:03:C2:7F:FF\n${atExit('@[05:04:03:C2:7F:FF]: 1\n@v: 05:04:03:C2:7F:FF\n')}`);
});

test('from an array: its first six bytes; -f json prints a string', async () => {
  const { stdout } = await run('BEGIN { print(macaddr(pton("1:2:3::ab"))); exit(); }', { format: 'json' });
  assert.equal(JSON.parse(stdout.trim()), { type: 'value', data: '00:01:00:02:00:03' });
});

test('from a string value: its first six bytes (comm is a char[16])', async () => {
  const bytes = Buffer.alloc(6);
  bytes.write(self.comm.slice(0, 6), 'latin1');
  const expected = [...bytes].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(':');
  const { stdout } = await run(`tracepoint:syscalls:sys_enter_getppid /pid == ${self.pid}/ { $c = comm; print(macaddr($c)); exit(); }`, {
    trigger: () => process.ppid,
  });
  assert.is(stdout, `${expected}\n${atExit()}`);
});

test('arrays and strings shorter than six bytes, string literals and booleans are refused, located', () => {
  assert.match(compileErrors('BEGIN { print(macaddr(pton("1.2.3.4"))); }'), 'test.bt:1:23-38: ERROR: macaddr() argument must be at least 6 bytes in size');
  assert.match(compileErrors('BEGIN { print(macaddr("ab")); }'), 'macaddr() does not support literal string arguments');
  assert.match(compileErrors('BEGIN { $s = "abcd"; print(macaddr($s)); }'), 'macaddr() argument must be at least 6 bytes in size');
  assert.match(compileErrors('BEGIN { print(macaddr(1 == 1)); }'), 'macaddr() only supports array or pointer arguments (bool provided)');
  assert.match(compileErrors('BEGIN { print(macaddr()); }'), 'macaddr() takes 1 argument, not 0');
});

test.run();
