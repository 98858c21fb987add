// The function table is built from every record the modules of src/functions/ export: a name or a
// ring-buffer action kind used by two records would silently lose one of them, so each must be unique.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { modules } from '../../src/functions/modules.generated.js';
import { functionTable } from '../../src/functions/index.js';

test('every record has its own name', () => {
  const names = modules.flatMap((module) => Object.values(module)).filter((value): value is { name: string; check: unknown } => typeof value === 'object' && value !== null && 'check' in value).map((record) => record.name);
  assert.ok(names.length >= 40, `only ${names.length} records found`);
  assert.is(functionTable.size, names.length, `names: ${names.sort().join(', ')}`);
});

test('every action kind belongs to one record, and each record prints what it decodes or says why not', () => {
  const owners = new Map<string, string>();
  for (const record of functionTable.values()) {
    for (const kind of Object.keys(record.actions ?? {})) {
      assert.not.ok(owners.has(kind), `${kind} is declared by ${owners.get(kind)} and ${record.name}`);
      owners.set(kind, record.name);
    }
  }
  // clear, zero and exit act on the session and print nothing; every other output prints.
  const silent = [...functionTable.values()].flatMap((record) => Object.entries(record.actions ?? {}).filter(([, output]) => !output.print).map(([kind]) => kind));
  assert.equal(silent.sort(), ['clear', 'exit', 'zero']);
});

test.run();
