// Issue 9, part 2: random well-typed programs drawn from the whole language must compile and load
// into the real verifier. A rejection is a compiler bug: the failure names the seed and prints the
// program (shrunk to the lines that matter) and the verifier's summary. A sample also runs for a
// moment, attached for real, and must stop cleanly. FUZZ_SEED / FUZZ_GENERATED explore further.
import { readdirSync, readlinkSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSession } from '../../src/index.js';
import { generatedOutcome, type GeneratedOutcome } from './generated-outcome.js';
import { knownBugFor } from './known-bugs.js';
import { minimizeProgram } from './minimize.js';
import { generateProgram } from './program-generator.js';
import { inputSeed, seedFromEnvironment } from './random.js';

const runSeed = seedFromEnvironment(7);
const count = Number(process.env['FUZZ_GENERATED'] ?? 300);
const runCount = Math.min(count, 25);

function signature(outcome: GeneratedOutcome): string {
  return outcome.kind === 'failure' ? `${outcome.stage}: ${outcome.text.split('\n')[0]!.replace(/\d+/g, 'N')}` : outcome.kind;
}

function report(seed: number, source: string, outcome: Extract<GeneratedOutcome, { kind: 'failure' }>): string {
  const wanted = signature(outcome);
  const minimal = minimizeProgram(source, (candidate) => signature(generatedOutcome(candidate)) === wanted, 300);
  const log = outcome.log ? `\n--- verifier log (last lines):\n${outcome.log.slice(-12).join('\n')}` : '';
  return `program seed ${seed} (generateProgram(${seed})): ${outcome.stage} failed: ${outcome.text}${log}\n--- minimal program:\n${minimal}\n--- generated program:\n${source}`;
}

test(`${count} generated programs compile and load into the verifier (seed ${runSeed})`, () => {
  const failures: string[] = [];
  const limits: number[] = [];
  let loaded = 0;
  for (let index = 0; index < count; index++) {
    const seed = inputSeed(runSeed, index);
    const source = generateProgram(seed);
    const outcome = generatedOutcome(source);
    if (outcome.kind === 'loaded') loaded++;
    else if (outcome.kind === 'limit') limits.push(seed);
    else {
      const known = knownBugFor(outcome.text);
      if (known) console.log(`KNOWN ${known.id}: program seed ${seed}`);
      else failures.push(report(seed, source, outcome));
    }
  }
  console.log(`${loaded} of ${count} loaded; ${limits.length} hit a code generation limit${limits.length ? ` (seeds ${limits.join(', ')})` : ''}`);
  assert.ok(failures.length === 0, `${failures.length} generated programs failed:\n\n${failures.slice(0, 3).join('\n\n')}`);
  assert.ok(limits.length <= count * 0.03, `${limits.length} programs hit a limit: the generator writes too much into one probe`);
});

/** Open file descriptors of this process by kind (bpf-prog, bpf-map, bpf_link, perf_event, …). */
function openDescriptors(): Map<string, number> {
  const kinds = new Map<string, number>();
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    const kind = /^anon_inode:\[?([\w-]+)/.exec(target)?.[1];
    if (kind) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return kinds;
}

test(`${runCount} generated programs run attached for a moment and stop cleanly, closing every descriptor`, async () => {
  const before = openDescriptors();
  let ran = 0;
  for (let index = 0; index < count && ran < runCount; index++) {
    const seed = inputSeed(runSeed, index);
    const source = generateProgram(seed);
    const outcome = generatedOutcome(source);
    if (outcome.kind !== 'loaded') continue;
    ran++;
    let output = 0;
    const session = startSession(outcome.script, {
      banner: false,
      output: { stdout: { write: (text: string) => (output += text.length) }, stderr: { write: (text: string) => (output += text.length) } },
    });
    const exitCodes: number[] = [];
    const collected = (async () => {
      for await (const event of session) if (event.kind === 'exit') exitCodes.push(event.code);
    })();
    const timer = setTimeout(() => void session.stop(), 60);
    const code = await session.done;
    clearTimeout(timer);
    await collected;
    assert.ok(!session.failure, `program seed ${seed} failed while running: ${session.failure?.stack}\n${source}`);
    // Stopped from here, the code is 0; ended by the program's exit(N), it is that N.
    assert.ok(code === 0 || exitCodes.includes(code), `exit code ${code}, exit() records ${JSON.stringify(exitCodes)}\n${source}`);
  }
  assert.is(ran, runCount);
  const after = openDescriptors();
  for (const kind of new Set([...before.keys(), ...after.keys()])) {
    if (!/bpf|perf/.test(kind)) continue;
    assert.is(after.get(kind) ?? 0, before.get(kind) ?? 0, `${kind} descriptors left open after ${ran} sessions`);
  }
});

test.run();
