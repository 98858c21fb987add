// /proc/PID/maps parsing and lookup.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isFileMapping, mappingAt, parseProcessMaps, readProcessMaps } from '../../src/symbols/index.js';

const sample = [
  '55e92b673000-55e92b674000 r--p 00000000 fd:01 1315432                    /tmp/st',
  '55e92b674000-55e92b675000 r-xp 00001000 fd:01 1315432                    /tmp/st',
  '55e92c000000-55e92c021000 rw-p 00000000 00:00 0                          [heap]',
  '7f755bb9a000-7f755bbc2000 r--p 00000000 fd:01 2000001                    /usr/lib/x86_64-linux-gnu/libc.so.6',
  '7f755bbc2000-7f755bd17000 r-xp 00028000 fd:01 2000001                    /usr/lib/x86_64-linux-gnu/libc.so.6',
  '7f755be00000-7f755be01000 r-xp 00000000 00:00 0 ',
  '7f755bf00000-7f755bf01000 r-xp 00000000 fd:01 3000001                    /tmp/old lib.so (deleted)',
  '7ffd1b5f2000-7ffd1b5f4000 r-xp 00000000 00:00 0                          [vdso]',
].join('\n');

test('fields, deleted files, paths with spaces, anonymous memory', () => {
  const mappings = parseProcessMaps(sample);
  assert.is(mappings.length, 8);
  assert.equal(mappings[4], {
    start: 0x7f755bbc2000n, end: 0x7f755bd17000n, permissions: 'r-xp', offset: 0x28000n,
    device: 'fd:01', inode: 2000001, path: '/usr/lib/x86_64-linux-gnu/libc.so.6', deleted: false,
  });
  assert.is(mappings[5]!.path, '');
  assert.equal([mappings[6]!.path, mappings[6]!.deleted], ['/tmp/old lib.so', true]);
  assert.equal(mappings.map(isFileMapping), [true, true, false, true, true, false, true, false]);
});

test('mappingAt: inclusive start, exclusive end, gaps', () => {
  const mappings = parseProcessMaps(sample);
  assert.is(mappingAt(mappings, 0x55e92b674000n), mappings[1]);
  assert.is(mappingAt(mappings, 0x55e92b674fffn), mappings[1]);
  assert.is(mappingAt(mappings, 0x55e92b675000n), undefined);
  assert.is(mappingAt(mappings, 0x1000n), undefined);
  assert.is(mappingAt(mappings, 0x7ffd1b5f3000n), mappings[7]);
  assert.is(mappingAt(mappings, 0xffffffffffffffffn), undefined);
});

test('this process has maps; a pid that does not exist has none', () => {
  const own = readProcessMaps('self');
  assert.ok(own && own.some((mapping) => mapping.path === process.execPath || mapping.path.endsWith('/node')));
  assert.is(readProcessMaps(2 ** 22 + 1), undefined);
});

test.run();
