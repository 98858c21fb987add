// pton("address"): the literal's bytes in network order, a uint8[4] or uint8[16] made at compile time,
// printed as bpftrace prints arrays and read back by ntop() (family from the array's size or given).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { atExit } from './case.js';
import { compileErrors, run } from './harness.js';

test('IPv4 and IPv6 literals as byte arrays in print(), a variable and a map', async () => {
  const { stdout, stderr } = await run('BEGIN { print(pton("127.0.0.1")); print(pton("::1")); $x = pton("2001:db8::ff:1"); print($x); @a = pton("10.1.2.255"); exit(); }');
  assert.is(stderr, '');
  assert.is(stdout, '[127,0,0,1]\n[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]\n[32,1,13,184,0,0,0,0,0,0,0,0,0,255,0,1]\n'
    + atExit('@a: [10,1,2,255]\n'));
});

test('ntop() reads them back: with the family given, or from the array\'s size', async () => {
  const { stdout } = await run('BEGIN { printf("%s|%s|%s|%s\\n", ntop(2, pton("127.0.0.1")), ntop(10, pton("::1")), ntop(pton("fe80::2:aa")), ntop(pton("192.168.0.9"))); exit(); }');
  assert.is(stdout, `127.0.0.1|::1|fe80::2:aa|192.168.0.9\n${atExit()}`);
});

test('-f json: an array of numbers', async () => {
  const { stdout } = await run('BEGIN { print(pton("1.2.3.4")); exit(); }', { format: 'json' });
  assert.equal(JSON.parse(stdout.trim()), { type: 'value', data: [1, 2, 3, 4] });
});

test('what inet_pton refuses, a word that is no address, and a value that is no literal: located errors', () => {
  assert.match(compileErrors('BEGIN { print(pton("1.2.3")); }'), 'test.bt:1:20-27: ERROR: pton() expects a valid IPv4/IPv6 address, got 1.2.3');
  assert.match(compileErrors('BEGIN { print(pton("01.2.3.4")); }'), 'pton() expects a valid IPv4/IPv6 address, got 01.2.3.4');
  assert.match(compileErrors('BEGIN { print(pton("1:::2")); }'), 'pton() expects a valid IPv4/IPv6 address, got 1:::2');
  assert.match(compileErrors('BEGIN { print(pton("1:2:3:4:5:6:7:8:9")); }'), 'pton() expects a valid IPv4/IPv6 address');
  assert.match(compileErrors('BEGIN { print(pton("abc")); }'), 'pton() expects an string argument of an IPv4/IPv6 address, got abc');
  assert.match(compileErrors('BEGIN { print(pton(comm)); }'), 'test.bt:1:20-24: ERROR: pton() expects an string literal at the first argument');
  assert.match(compileErrors('BEGIN { print(pton()); }'), 'pton() takes 1 argument, not 0');
});

test.run();
