// The provider table and what the records say about their contexts, without a kernel: every provider
// spelling and target kind has exactly one record, and argN/retval/func/args mean what they did when
// the code generator and the checker each knew it themselves.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ProbeTarget } from '../../src/model/probe.js';
import { defaultProviders } from '../../src/providers/index.js';
import { fentryProvider } from '../../src/providers/fentry.js';
import { kprobeProvider } from '../../src/providers/kprobe.js';
import { rawTracepointProvider } from '../../src/providers/rawtracepoint.js';
import { tracepointProvider } from '../../src/providers/tracepoint.js';
import { usdtProvider } from '../../src/providers/usdt.js';

test('every provider name and every target kind has a record', () => {
  for (const entry of defaultProviders.syntax.entries) assert.ok(defaultProviders.forProvider(entry.name)?.syntax.some((own) => own === entry), entry.name);
  const kinds: ProbeTarget['kind'][] = ['begin', 'end', 'tracepoint', 'rawtracepoint', 'uprobe', 'usdt', 'kprobe', 'fentry', 'profile', 'interval', 'software', 'hardware'];
  for (const kind of kinds) assert.ok(defaultProviders.forTarget(kind).targets.includes(kind), kind);
});

test('a plain -l consults the providers in the records\' rank order, those without a rank last', () => {
  assert.equal(
    defaultProviders.records.filter((record) => record.listRank !== undefined).flatMap((record) => record.listedByDefault),
    ['begin', 'end', 'tracepoint', 'rawtracepoint', 'software', 'hardware', 'interval', 'profile', 'kprobe', 'fentry'],
  );
});

test('pt_regs: System V argument registers, retval in ax, only in return probes', () => {
  const entry = { kind: 'registers', space: 'kernel', isReturn: false, functionName: 'vfs_read' } as const;
  assert.equal([0, 1, 2, 3, 4, 5].map((index) => kprobeProvider.argumentPlace(entry, index)), [112, 104, 96, 88, 72, 64].map((offset) => ({ kind: 'context', offset })));
  assert.equal(kprobeProvider.argumentPlace({ ...entry, isReturn: true }, 'retval'), { kind: 'context', offset: 80 });
  assert.equal(kprobeProvider.builtin(entry, 'retval'), { available: false, message: 'retval is only available in uretprobe and kretprobe probes' });
  assert.is(kprobeProvider.builtin({ ...entry, isReturn: true }, 'retval'), undefined);
  assert.is(kprobeProvider.functionName(entry), 'vfs_read');
});

test('usdt: arguments where the note says, and only as many as it has', () => {
  const context = {
    kind: 'registers', space: 'user', isReturn: false, functionName: 'probe',
    usdtArguments: [
      { size: 4, signed: true, text: '-4@%edi', location: { kind: 'register', register: 'rdi', bitOffset: 0 } },
      { size: 1, signed: false, text: '1@$-1', location: { kind: 'constant', value: -1n } },
      { size: 8, signed: false, text: '8@-8(%rbp)', location: { kind: 'memory', base: 'rbp', offset: -8n, index: undefined, scale: 1, symbol: undefined } },
    ],
  } as const;
  assert.equal(usdtProvider.argumentPlace(context, 0), { kind: 'register', offset: 112, bitOffset: 0, size: 4, signed: true });
  assert.equal(usdtProvider.argumentPlace(context, 1), { kind: 'constant', value: 255n });
  assert.equal(usdtProvider.argumentPlace(context, 2), { kind: 'userMemory', base: 32, scale: 1, offset: -8n, size: 8, signed: false });
  assert.equal(usdtProvider.builtin(context, 'arg3'), { available: false, message: 'this USDT probe has 3 arguments, arg0 to arg2' });
  assert.equal(usdtProvider.builtin(context, 'arg2'), { available: true });
});

test('u64 slots: raw tracepoint arguments by index, fexit retval after the arguments', () => {
  const field = { name: 'prev', type: 'struct task_struct *', declaration: 'struct task_struct * prev', offset: 0, size: 8, signed: false, isDataLoc: false, isRelativeLoc: false, common: false };
  const raw = { kind: 'rawtracepoint', fields: [field] } as const;
  assert.equal(rawTracepointProvider.argumentPlace(raw, 3), { kind: 'context', offset: 24 });
  assert.equal(rawTracepointProvider.builtin(raw, 'arg1'), { available: false, message: 'arg1 is past this tracepoint\'s 1 argument', hint: 'its arguments: arg0 (prev)' });
  assert.equal(rawTracepointProvider.namedArguments(raw), { fields: [field], category: 'rawtracepoint' });
  const fexit = { kind: 'rawtracepoint', fields: [field], kernelFunction: { name: 'f', btfId: 7, isReturn: true, returnSlot: 2 } } as const;
  assert.equal(fentryProvider.argumentPlace(fexit, 'retval'), { kind: 'context', offset: 16 });
  assert.is(fentryProvider.functionName(fexit), 'f');
  assert.equal(fentryProvider.namedArguments(fexit)?.category, 'fentry');
  assert.not.ok(fentryProvider.canShareProgram(fexit, fexit, false));
});

test('tracepoints: args are the record\'s fields, and no two tracepoints share a program', () => {
  const context = { kind: 'tracepoint', category: 'syscalls', fields: [] } as const;
  assert.equal(tracepointProvider.namedArguments(context), { fields: [], category: 'syscalls' });
  assert.not.ok(tracepointProvider.canShareProgram(context, context, false));
});

test.run();
