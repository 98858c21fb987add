// Every known bug still reproduces as described. When one stops reproducing it has been fixed: this
// test then fails and names it, so that its entry (and the generator's detour around it) goes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';
import { startSession } from '../../src/index.js';
import { generatedOutcome } from './generated-outcome.js';
import { knownBugs, type KnownBug } from './known-bugs.js';

/** How the reproducer fails today, as text to match the signature against ('' when it does not fail). */
async function failureText(bug: KnownBug): Promise<string> {
  if (bug.stage === 'compile' || bug.stage === 'load') {
    const outcome = generatedOutcome(bug.reproducer);
    return outcome.kind === 'failure' && outcome.stage === bug.stage ? outcome.text : '';
  }
  const script = compile(bug.reproducer, { fileName: 'bug.bt' }).script;
  if (!script) return '';
  let output = '';
  try {
    const session = startSession(script, { banner: false, printMapsAtExit: false, output: { stdout: { write: (text: string) => (output += text) } } });
    const timer = setTimeout(() => void session.stop(), 200);
    await session.done;
    clearTimeout(timer);
  } catch (error) {
    return bug.stage === 'attach' ? String(error instanceof Error ? error.message : error) : '';
  }
  if (bug.stage === 'run' && output !== bug.expectedOutput) return output;
  return '';
}

for (const bug of knownBugs) {
  test(`known bug ${bug.id} still reproduces (${bug.summary})`, async () => {
    const text = await failureText(bug);
    assert.ok(bug.signature.test(text), `${bug.id} no longer fails as recorded: it looks fixed. Remove it from test/fuzz/known-bugs.ts `
      + `(and the generator's detour around it).\nReproducer: ${bug.reproducer}\nNow: ${JSON.stringify(text)}`);
  });
}

test.run();
