// Diagnostics today's bpftrace gives and tsbpf once did not (issue 14): unknown and misused config
// keys, an invalid license, len() of a map without keys, code after exit(). No kernel needed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';

function messages(source: string): string[] {
  return compile(source, { fileName: 'test.bt' }).diagnostics.map((diagnostic) => `${diagnostic.severity}: ${diagnostic.message}`);
}

test('config keys: unknown is an error, renamed and unused ones warn, environment-only ones are refused', () => {
  assert.equal(messages('config = { bad_config = 1 } BEGIN { exit(); }'), ['error: bad_config: not a known configuration option']);
  assert.equal(messages('config = { strlen = 32; BPFTRACE_MAX_MAP_KEYS = 8 } BEGIN { exit(); }'), ["warning: strlen: key has been renamed to 'max_strlen'"]);
  assert.equal(messages('config = { print_maps_on_exit = 0 } BEGIN { exit(); }'), ['warning: print_maps_on_exit: tsbpf does not use this option yet; it has no effect']);
  assert.equal(messages('config = { unstable_macro = 1 } BEGIN { exit(); }'), ['warning: unstable_macro is deprecated and has no effect']);
  assert.equal(messages('config = { vmlinux = 1 } BEGIN { exit(); }'), ['error: vmlinux: can only be set as an environment variable']);
});

test('config values take effect: max_strlen sizes str(), the license is the programs\'', () => {
  const result = compile('config = { max_strlen = 32; license = "Dual MIT/GPL" } BEGIN { @s = str(0); exit(); }', { fileName: 'test.bt' });
  assert.is(result.script!.license, 'Dual MIT/GPL');
  const map = result.script!.maps.find((description) => description.scriptName === '@s')!;
  assert.is(map.valueSize, 32);
});

test('an invalid license lists the valid ones', () => {
  const [message] = messages('config = { license = "Potato" } BEGIN { exit(); }');
  assert.ok(message!.startsWith('error: Invalid value for license. Found: Potato. Valid values: GPL, GPL v2, GPL and additional rights, Dual BSD/GPL, Dual MIT/GPL, Dual MPL/GPL.'), message);
});

test('len() of a map without keys is an error', () => {
  assert.equal(messages('BEGIN { @n = 1; print(len(@n)); exit(); }'), ['error: call to len() expects a map with explicit keys (non-scalar map)']);
  assert.equal(messages('BEGIN { @n[1] = 1; print(len(@n)); exit(); }'), []);
});

test('the first statement after exit(), return, break or continue is unreachable (a warning)', () => {
  assert.equal(messages('BEGIN { @n = 1; exit(); @n++; @n++; }'), ['warning: Unreachable statement.']);
  assert.equal(messages('BEGIN { for ($i : 0..3) { break; @n = 1; } return; @m = 1; }'), ['warning: Unreachable statement.', 'warning: Unreachable statement.']);
  assert.equal(messages('BEGIN { if (pid) { exit(); } @n = 1; }'), []);
});

test.run();
