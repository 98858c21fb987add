// -o and -B: what has reached the file at each point, read back from the file itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOutputTarget, OutputFileError } from '../../src/cli/output-target.js';

const scratch = mkdtempSync(join(tmpdir(), 'tsbpf-output-'));
let counter = 0;
const fresh = () => join(scratch, `out-${counter++}.txt`);
const noBrokenPipe = () => {
  throw new Error('a file has no broken pipe');
};

test('without -B (and with -B none) every write reaches the file at once', () => {
  for (const buffering of [undefined, 'none'] as const) {
    const path = fresh();
    const target = openOutputTarget({ file: path, buffering }, noBrokenPipe);
    target.write('partial');
    assert.is(readFileSync(path, 'utf8'), 'partial');
    target.write(' line\n');
    assert.is(readFileSync(path, 'utf8'), 'partial line\n');
    target.close();
  }
});

test('-B line writes complete lines and holds an unfinished one until the end', () => {
  const path = fresh();
  const target = openOutputTarget({ file: path, buffering: 'line' }, noBrokenPipe);
  target.write('one\ntw');
  assert.is(readFileSync(path, 'utf8'), 'one\n');
  target.write('o');
  assert.is(readFileSync(path, 'utf8'), 'one\n');
  target.write('\nthree');
  assert.is(readFileSync(path, 'utf8'), 'one\ntwo\n');
  target.close();
  assert.is(readFileSync(path, 'utf8'), 'one\ntwo\nthree');
});

test('-B full writes whole blocks, and the rest at the end', () => {
  const path = fresh();
  const target = openOutputTarget({ file: path, buffering: 'full' }, noBrokenPipe);
  target.write('small\n');
  assert.is(readFileSync(path, 'utf8'), '');
  const block = 'x'.repeat(70 * 1024);
  target.write(block);
  assert.is(readFileSync(path, 'utf8'), `small\n${block}`);
  target.write('tail\n');
  assert.is(readFileSync(path, 'utf8').length, 6 + block.length);
  target.flush();
  assert.is(readFileSync(path, 'utf8'), `small\n${block}tail\n`);
  target.close();
});

test('-o truncates an existing file, and an unopenable path is an OutputFileError', () => {
  const path = fresh();
  const first = openOutputTarget({ file: path }, noBrokenPipe);
  first.write('a long first run\n');
  first.close();
  const second = openOutputTarget({ file: path }, noBrokenPipe);
  second.write('short\n');
  second.close();
  assert.is(readFileSync(path, 'utf8'), 'short\n');
  assert.throws(() => openOutputTarget({ file: join(scratch, 'missing', 'dir', 'x') }, noBrokenPipe), (error: unknown) => error instanceof OutputFileError && /ENOENT/.test(error.message));
});

test.run();
