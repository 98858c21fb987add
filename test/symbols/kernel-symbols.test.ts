// Kernel symbols: the running kernel's /proc/kallsyms, and hand-written tables for the rules.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { KernelSymbols, runningKernelSymbols } from '../../src/symbols/index.js';
import { kallsymsAddresses, needs } from '../support/skip.js';

const kallsyms = readFileSync('/proc/kallsyms', 'latin1');
const openat2Line = /^([0-9a-f]{16}) [tT] do_sys_openat2$/m.exec(kallsyms);

needs(test, 'do_sys_openat2: kaddr finds it, and its address resolves back with +0', [kallsymsAddresses], () => {
  assert.ok(openat2Line, '/proc/kallsyms lists do_sys_openat2 as a text symbol');
  const address = BigInt(`0x${openat2Line![1]}`);
  const symbols = runningKernelSymbols();
  assert.is(symbols.addressOf('do_sys_openat2'), address);
  assert.equal(symbols.lookup(address), { name: 'do_sys_openat2', offset: 0 });
  assert.is(symbols.frameText(address), 'do_sys_openat2+0');
  assert.is(symbols.frameText(address + 130n), 'do_sys_openat2+130');
  assert.is(symbols.symbolName(address + 130n), 'do_sys_openat2');
});

needs(test, 'a sample of kallsyms text symbols each resolve to a symbol listed at that address', [kallsymsAddresses], () => {
  const symbols = runningKernelSymbols();
  const namesAt = new Map<string, string[]>();
  for (const match of kallsyms.matchAll(/^([0-9a-f]{16}) [tTwW] (\S+)/gm)) {
    const names = namesAt.get(match[1]!) ?? [];
    names.push(match[2]!);
    namesAt.set(match[1]!, names);
  }
  const addresses = [...namesAt.keys()];
  assert.ok(addresses.length > 10000);
  for (let index = 0; index < addresses.length; index += 97) {
    const address = BigInt(`0x${addresses[index]}`);
    const found = symbols.lookup(address);
    const names = namesAt.get(addresses[index]!)!;
    // Equal addresses: the last one listed wins, as bpftrace shows `_text` for the kernel's start.
    assert.is(found?.name, names[names.length - 1], addresses[index]);
    assert.is(found?.offset, 0);
  }
});

const table = [
  'ffffffff81000000 T _stext',
  'ffffffff81000000 T _text',
  'ffffffff81000100 t helper',
  'ffffffff81000200 W weak_function',
  'ffffffff82000000 D some_data',
  'ffffffff81000300 t helper',
  'ffffffffc0001000 t module_function\t[some_module]',
  'ffffffffc0000000 t earlier_module_function\t[other]',
  '0000000000000000 A fixed_percpu_data',
].join('\n');

test('equal addresses resolve to the last listed; data only by name; modules without their tag', () => {
  const symbols = new KernelSymbols(table);
  assert.is(symbols.size, 7);
  assert.equal(symbols.lookup(0xffffffff81000000n), { name: '_text', offset: 0 });
  assert.equal(symbols.lookup(0xffffffff810000ffn), { name: '_text', offset: 255 });
  assert.equal(symbols.lookup(0xffffffff81000205n), { name: 'weak_function', offset: 5 });
  // No sizes in kallsyms: past the last function of vmlinux still belongs to it.
  assert.equal(symbols.lookup(0xffffffff82000010n), { name: 'helper', offset: 0x82000010 - 0x81000300 });
  assert.equal(symbols.lookup(0xffffffffc0001010n), { name: 'module_function', offset: 16 });
  assert.equal(symbols.lookup(0xffffffffc0000008n), { name: 'earlier_module_function', offset: 8 }, 'unsorted module lines are sorted');
  assert.is(symbols.addressOf('some_data'), 0xffffffff82000000n);
  assert.is(symbols.addressOf('helper'), 0xffffffff81000100n, 'the first of two same-named statics');
  assert.is(symbols.addressOf('module_function'), 0xffffffffc0001000n);
  assert.is(symbols.addressOf('nothing'), undefined);
});

test('unknown addresses print as bpftrace prints them: hex, and 0 for null', () => {
  const symbols = new KernelSymbols(table);
  assert.is(symbols.lookup(0x1000n), undefined);
  assert.is(symbols.frameText(0x1000n), '0x1000');
  assert.is(symbols.symbolName(0n), '0');
});

test('hidden addresses (kptr_restrict) give an empty table', () => {
  const symbols = new KernelSymbols('0000000000000000 T _text\n0000000000000000 t do_sys_openat2\n');
  assert.is(symbols.size, 0);
  assert.is(symbols.lookup(0xffffffff81000000n), undefined);
});

test.run();
