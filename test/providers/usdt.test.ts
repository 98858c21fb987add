// USDT probes against the real kernel, in the traced program built twice: at -O0 its probes' arguments
// sit in memory off %rbp, at -O2 in registers and at a %rip-relative global; a constant in both.
// The `gated` probe has a semaphore, which the program reads: it fires only while we are attached.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileErrors, compileScript, run } from '../e2e/harness.js';
import { readUsdtProbes, ElfFile, parseUsdtArguments } from '../../src/elf/index.js';
import { needs } from '../support/skip.js';
import { buildTarget, runCalls, usdtTargetNeeds, type Optimization } from './target.js';

const maybe = (name: string, handler: () => unknown): void => needs(test, name, usdtTargetNeeds, handler as () => Promise<void>);

function argumentKinds(path: string, name: string): string[] {
  const elf = ElfFile.open(path);
  try {
    const probe = readUsdtProbes(elf).find((candidate) => candidate.name === name)!;
    const parsed = parseUsdtArguments(probe.argumentSpec);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.arguments.map((argument) => argument.location.kind === 'memory' && argument.location.symbol ? 'symbol' : argument.location.kind);
  } finally {
    elf.close();
  }
}

for (const optimization of ['O0', 'O2'] as Optimization[]) {
  maybe(`usdt arguments at -${optimization}: registers, memory, constants and a global`, async () => {
    const target = buildTarget(optimization);
    // The build must exercise what the test is about.
    const kinds = [...argumentKinds(target, 'args'), ...argumentKinds(target, 'global')];
    assert.equal(kinds, optimization === 'O0' ? ['memory', 'memory', 'memory', 'register'] : ['register', 'register', 'register', 'symbol']);
    let targetOutput = '';
    const result = await run(`
      usdt:${target}:tsbpf_test:args { printf("args %d %d %d\\n", arg0, arg1, (int32)arg2); }
      usdt:${target}:tsbpf_test:constant { printf("constant %d\\n", arg0); }
      usdt:${target}:global { printf("global %d\\n", arg0); }`, { trigger: () => (targetOutput = runCalls(target, 2)) });
    assert.is(result.stdout, 'args 1 11 -1\nconstant 7\nglobal 100\nargs 2 22 -2\nconstant 7\nglobal 200\n\n\n');
    assert.is(targetOutput, 'gated 0\n');
  });
}

maybe('usdt with a semaphore: attaching raises it, so the probe fires', async () => {
  const target = buildTarget('O2');
  let targetOutput = '';
  const result = await run(`usdt:${target}:tsbpf_test:gated { printf("%s %d\\n", probe, arg0); }`, { trigger: () => (targetOutput = runCalls(target, 3)) });
  const name = `usdt:${target}:tsbpf_test:gated`;
  assert.is(result.stdout, `${name} 1\n${name} 2\n${name} 3\n\n\n`);
  assert.is(targetOutput, 'gated 3\n');
  // Detached again: the semaphore is back to 0.
  assert.is(runCalls(target, 2), 'gated 0\n');
});

maybe('a usdt wildcard expands over the probes; one program per argument layout', async () => {
  const target = buildTarget('O0');
  const script = compileScript(`usdt:${target}:tsbpf_test:* { @[probe] = count(); }`);
  assert.equal(script.programs.flatMap((program) => program.attachments.map((attachment) => attachment.name)).sort(),
    ['args', 'constant', 'gated', 'global'].map((name) => `usdt:${target}:tsbpf_test:${name}`));
  // A body that reads no argument runs the same code at every location.
  assert.is(compileScript(`usdt:${target}:tsbpf_test:* { @ = count(); }`).programs.length, 1);
  // One that does needs a program per layout: args (memory ×3), constant ($7), global (%rax), gated (-4(%rbp)).
  assert.is(compileScript(`usdt:${target}:tsbpf_test:* { @ = arg0; }`).programs.length, 4);
  const result = await run(`usdt:${target}:tsbpf_test:* { @ = count(); }`, { trigger: () => runCalls(target, 5) });
  assert.is(result.stdout, '\n\n@: 20\n');
});

maybe('usdt errors: a missing probe, and an argument the probe does not have', () => {
  const target = buildTarget('O0');
  const point = `usdt:${target}:tsbpf_test:nothing*`;
  assert.is(compileErrors(`${point} { }`),
    `test.bt:1:1-${point.length + 1}: ERROR: no USDT probe in ${target} matches tsbpf_test:nothing*\n${point} { }\n${'~'.repeat(point.length)}\nHINT: its USDT probes: tsbpf_test:args, tsbpf_test:constant, tsbpf_test:gated, tsbpf_test:global\n`);
  assert.match(compileErrors(`usdt:${target}:absent { }`), `ERROR: USDT probe absent not found in ${target}`);
  assert.match(compileErrors(`usdt:${target}:tsbpf_test:constant { print(arg1); }`), 'ERROR: this USDT probe has one argument, arg0\n');
  assert.match(compileErrors(`usdt:${target}:tsbpf_test:args { print(arg3); }`), 'ERROR: this USDT probe has 3 arguments, arg0 to arg2\n');
});

test.run();
