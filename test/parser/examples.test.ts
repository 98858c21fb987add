import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseOk } from './helpers.js';
import { loadExamples } from './examples.js';

const classicTools = [
  'execsnoop', 'opensnoop', 'syscount', 'biolatency', 'bitesize', 'killsnoop', 'runqlat', 'cpuwalk', 'pidpersec',
  'vfsstat', 'statsnoop', 'mdflush', 'oomkill', 'tcpconnect', 'capable', 'gethostlatency', 'bashreadline', 'naptime',
  'setuids', 'syncsnoop', 'signals',
];

/** Providers that attach on this project's kernel (no kprobes, no fentry). */
const attachable = new Set(['begin', 'end', 'tracepoint', 'rawtracepoint', 'interval', 'profile', 'software', 'uprobe', 'uretprobe']);

test('the classic tools are all present, and every example parses', () => {
  const examples = loadExamples();
  const names = examples.map((example) => example.name.replace(/\.tsbpf$/, ''));
  for (const tool of classicTools) assert.ok(names.includes(tool), `missing examples/${tool}.tsbpf`);
  for (const example of examples) {
    const program = parseOk(example.source, example.name);
    assert.ok(program.probes.length > 0, `${example.name} has no probes`);
  }
});

test('the classic tools only use providers that attach here', () => {
  for (const example of loadExamples()) {
    if (!classicTools.includes(example.name.replace(/\.tsbpf$/, ''))) continue;
    for (const probe of parseOk(example.source, example.name).probes) {
      for (const point of probe.attachPoints) {
        assert.ok(attachable.has(point.provider), `${example.name}: ${point.raw}`);
      }
    }
  }
});

test('execsnoop reads as expected', () => {
  const source = loadExamples().find((example) => example.name === 'execsnoop.tsbpf')!.source;
  const program = parseOk(source, 'execsnoop.tsbpf');
  assert.is(program.shebang, '#!/usr/bin/env tsbpf');
  assert.equal(program.probes.map((probe) => probe.attachPoints.map((point) => point.raw)), [
    ['BEGIN'],
    ['tracepoint:syscalls:sys_enter_execve', 'tracepoint:syscalls:sys_enter_execveat'],
  ]);
  const calls = program.probes[1]!.body.statements.map((statement) =>
    statement.kind === 'expression' && statement.expression.kind === 'call' ? statement.expression.name : statement.kind,
  );
  assert.equal(calls, ['printf', 'join']);
});

test('the language tour covers every kind of top-level item', () => {
  const source = loadExamples().find((example) => example.name === 'language-tour.tsbpf')!.source;
  const program = parseOk(source, 'language-tour.tsbpf');
  assert.equal([...new Set(program.definitions.map((definition) => definition.kind))].sort(), ['define', 'enum', 'include', 'record']);
  assert.is(program.configs.length, 1);
  assert.is(program.mapDeclarations.length, 1);
  const providers = new Set(program.probes.flatMap((probe) => probe.attachPoints.map((point) => point.provider)));
  for (const provider of ['begin', 'end', 'tracepoint', 'uprobe', 'usdt', 'kprobe', 'software', 'interval', 'profile']) {
    assert.ok(providers.has(provider as never), provider);
  }
});

test.run();
