// `dispatch (selector) { … }` against the real kernel: each case is its own program in a program
// array, entered with bpf_tail_call. The tests make known syscalls from this thread and check which
// case ran, that a case replaces the rest of the probe, and that an index without a program falls
// through. Node makes other syscalls too, so only the ones the test makes are counted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProgramType } from '../../src/bpf/index.js';
import type { CompiledScript } from '../../src/model/artifact.js';
import { callGetppid, compileErrors, compileScript, run, self } from './harness.js';

function repeat(times: number, action: () => void): void {
  for (let index = 0; index < times; index++) action();
}

/** The tail-called programs of a script: name → program type and indices. */
function tailPrograms(script: CompiledScript): Record<string, { type: number; array: string; indices: readonly number[] }> {
  return Object.fromEntries(script.programs.filter((program) => program.tailCall).map((program) => [
    program.name, { type: program.programType, array: program.tailCall!.arrayMap, indices: program.tailCall!.indices },
  ]));
}

const syscalls = `rawtracepoint:sys_enter /pid == ${self.pid}/ {
  dispatch (arg1) {
    110: { printf("getppid %d\\n", arg1); @cases[arg1] = count(); }
    102, 104: { @cases[arg1] = count(); }
  }
  if (arg1 == 62 || arg1 == 102 || arg1 == 104 || arg1 == 110) { @fellThrough[arg1] = count(); }
}`;

test('a case runs instead of the rest of the probe; a syscall without a case falls through', async () => {
  const script = compileScript(syscalls);
  assert.equal(tailPrograms(script), {
    tail0_0: { type: ProgramType.RAW_TRACEPOINT, array: 'tsbpf_tail0', indices: [110] },
    tail0_1: { type: ProgramType.RAW_TRACEPOINT, array: 'tsbpf_tail0', indices: [102, 104] },
  });
  assert.is(script.maps.find((map) => map.name === 'tsbpf_tail0')?.maxEntries, 111);
  const result = await run(syscalls, {
    trigger: () => {
      callGetppid(3);
      repeat(4, () => process.getuid!());
      repeat(5, () => process.getgid!());
      repeat(2, () => process.kill(self.pid, 0));
    },
  });
  assert.is(result.stdout, 'getppid 110\n'.repeat(3) + '\n\n@cases[110]: 3\n@cases[102]: 4\n@cases[104]: 5\n@fellThrough[62]: 2\n');
  assert.is(result.stderr, '');
});

test('nested dispatch: a case dispatches again on a map value; its own fall-through continues the case', async () => {
  const source = `rawtracepoint:sys_enter /pid == ${self.pid} && arg1 == 110/ {
    @calls++;
    dispatch (arg1) {
      110: {
        dispatch (@calls) {
          2: { printf("second getppid from %s, pid %d, syscall %d\\n", comm, pid, arg1); }
          3: { @third[tid == ${self.pid}] = count(); }
        }
        printf("getppid %d fell through the inner dispatch\\n", @calls);
      }
    }
    printf("not reached\\n");
  }`;
  assert.equal(Object.keys(tailPrograms(compileScript(source))).sort(), ['tail0_0', 'tail1_0', 'tail1_1']);
  const result = await run(source, { trigger: () => callGetppid(4) });
  assert.is(result.stdout, [
    'getppid 1 fell through the inner dispatch',
    `second getppid from ${self.comm}, pid ${self.pid}, syscall 110`,
    'getppid 4 fell through the inner dispatch',
    '', '',
    '@calls: 4',
    '@third[true]: 1',
    '',
  ].join('\n'));
});

test('in a tracepoint probe the cases are tracepoint programs and read args; a selector past the array falls through', async () => {
  const source = `tracepoint:syscalls:sys_enter_kill /pid == ${self.pid}/ {
    dispatch (args->sig) {
      0: {
        printf("probe of %s from %s\\n", args->pid == ${self.pid} ? "self" : "another process", comm);
        @probes[args->pid == ${self.pid} ? "self" : "other"] = count();
      }
    }
    printf("signal %d to %s\\n", args->sig, args->pid == ${self.pid} ? "self" : "another process");
  }`;
  assert.equal(tailPrograms(compileScript(source)), { tail0_0: { type: ProgramType.TRACEPOINT, array: 'tsbpf_tail0', indices: [0] } });
  const result = await run(source, {
    trigger: () => {
      process.kill(self.pid, 0);
      process.kill(1, 0);
      process.kill(self.pid, 0);
      // SIGURG is ignored unless handled: the process goes on.
      process.kill(self.pid, 'SIGURG');
    },
  });
  assert.is(result.stdout, [
    `probe of self from ${self.comm}`,
    `probe of another process from ${self.comm}`,
    `probe of self from ${self.comm}`,
    'signal 23 to self',
    '', '',
    '@probes[other]: 1',
    '@probes[self]: 2',
    '',
  ].join('\n'));
});

test('in BEGIN: the chosen case ends the program with its own exit()', async () => {
  const source = 'BEGIN { @selector = 2; dispatch (@selector) { 1: { printf("one\\n"); exit(); } 2: { printf("two of %d\\n", @selector); exit(); } } printf("none\\n"); exit(); }';
  const result = await run(source, { awaitExit: true });
  assert.is(result.stdout, 'two of 2\n\n\n@selector: 2\n');
  assert.is(result.exitCode, 0);
});

test('in BEGIN: selectors outside the cases fall through (past the array, negative, an index without a program)', async () => {
  for (const selector of ['7', '-1', '2']) {
    const source = `BEGIN { dispatch (${selector}) { 1: { printf("one\\n"); } 3: { printf("three\\n"); } } printf("none for ${selector}\\n"); exit(); }`;
    const result = await run(source, { awaitExit: true });
    assert.is(result.stdout, `none for ${selector}\n\n\n`);
  }
});

test('in END, after the probes have run', async () => {
  const source = 'BEGIN { @ends = 1; exit(); } END { dispatch (@ends) { 1: { printf("end case %d\\n", @ends); } } printf("not reached\\n"); }';
  const result = await run(source, { awaitExit: true });
  assert.is(result.stdout, 'end case 1\n\n\n@ends: 1\n');
});

/** `depth` dispatches, each the only case of the one around it; the innermost prints its depth. */
function nestedDispatch(depth: number): string {
  let body = `printf("innermost at depth ${depth}\\n"); exit();`;
  for (let level = depth - 1; level >= 0; level--) {
    body = `@depth = ${level}; dispatch (1) { 1: { ${body} } } printf("fell through at depth ${level}\\n"); exit();`;
  }
  return `BEGIN { ${body} }`;
}

test('33 nested dispatches, the kernel\'s whole tail-call chain, reach the innermost case', async () => {
  const script = compileScript(nestedDispatch(33));
  assert.is(script.programs.filter((program) => program.tailCall).length, 33);
  const result = await run(nestedDispatch(33), { awaitExit: true });
  assert.is(result.stdout, 'innermost at depth 33\n\n\n@depth: 32\n');
});

test('a 34th nested dispatch is rejected: the kernel would silently fall through', () => {
  const rendered = compileErrors(nestedDispatch(34));
  assert.match(rendered, /^test\.bt:1:\d+-\d+: ERROR: dispatch nested 34 deep: the kernel allows a chain of at most 33 tail calls\n/);
  assert.is(rendered.match(/ERROR/g)!.length, 1);
});

test('a variable of the enclosing block cannot be read in a case: the case is another program', () => {
  assert.is(compileErrors('BEGIN { $x = 1; dispatch (1) { 1: { printf("%d\\n", $x); } } }'), [
    'test.bt:1:52-54: ERROR: $x is declared outside this dispatch case',
    'BEGIN { $x = 1; dispatch (1) { 1: { printf("%d\\n", $x); } } }',
    '                                                   ~~',
    'HINT: the case runs as a separate program (a tail call): pass values through a map',
    '',
  ].join('\n'));
});

test('a variable declared in a case belongs to that case, and a map carries values into it', async () => {
  assert.match(compileErrors('BEGIN { dispatch (1) { 1: { $y = 1; } } printf("%d\\n", $y); }'), /ERROR: undefined variable: \$y/);
  const result = await run('BEGIN { @x = 5; dispatch (1) { 1: { $y = @x * 2; printf("%d\\n", $y); exit(); } } }', { awaitExit: true });
  assert.is(result.stdout, '10\n\n\n@x: 5\n');
});

test('a label twice in one dispatch, a label out of range and a non-integer selector are errors', () => {
  assert.is(compileErrors('BEGIN { dispatch (1) { 1: { } 2, 1: { } } }'), [
    'test.bt:1:34-35: ERROR: case 1 appears twice in this dispatch',
    'BEGIN { dispatch (1) { 1: { } 2, 1: { } } }',
    '                                 ~',
    '',
  ].join('\n'));
  assert.match(compileErrors('BEGIN { dispatch (1) { 65536: { } } }'), /^test\.bt:1:24-29: ERROR: a dispatch case must be an integer from 0 to 65535\n/);
  assert.match(compileErrors('BEGIN { dispatch ("a") { 1: { } } }'), /^test\.bt:1:19-22: ERROR: dispatch needs an integer selector, not string\[2\]\n/);
});

test.run();
