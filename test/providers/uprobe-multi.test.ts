// Wildcard uprobes through uprobe_multi (Linux 6.6+), as bpftrace attaches them: one program and one
// BPF link for all the functions a wildcard matches in a binary (what the running tsbpf holds is read
// from /proc/PID/fdinfo and checked with bpftool), `func` naming the function that fired (the link's
// cookie is its index), uretprobes through the link's return flag, -p through its pid; a body that
// names `probe` gets one program and link per function. Every way out closes the link.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { startSession } from '../../src/index.js';
import { ProgramType } from '../../src/bpf/uapi.generated.js';
import type { CompiledScript } from '../../src/model/artifact.js';
import { startCli } from '../cli/cli-process.js';
import { compileScript } from '../e2e/harness.js';
import { heldObjects, remainingAfter } from '../reliability/kernel-objects.js';
import { feature, needs, tool, type Requirement } from '../support/skip.js';
import { kernelLinksUprobeMulti } from '../support/kernel-probes.js';
import { buildTarget, runCalls, ServingTarget, targetNeeds } from './target.js';

const uprobeMulti = feature('uprobe_multi links (Linux 6.6+)', kernelLinksUprobeMulti());
const requirements: readonly Requirement[] = [...targetNeeds, uprobeMulti, tool('bpftool')];
const target = requirements.every((requirement) => requirement.present) ? buildTarget('O0') : '';
const maybe = (name: string, handler: () => unknown): void => needs(test, name, requirements, handler as () => Promise<void>);
const functions = ['tsbpf_add', 'tsbpf_negate', 'tsbpf_provider_gated'];

interface LinkInfo {
  readonly id: number;
  readonly type: string;
  /** fdinfo's other `key: value` lines (uprobe_cnt, pid, path), and the cookies of its offsets. */
  readonly fields: Readonly<Record<string, string>>;
  readonly cookies: readonly number[];
}

/** The BPF links process `pid` holds, from /proc/PID/fdinfo. */
function linksOf(pid: number): LinkInfo[] {
  const links: LinkInfo[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let info: string;
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== 'anon_inode:bpf_link') continue;
      info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    } catch {
      continue;
    }
    const fields = Object.fromEntries(info.split('\n').map((line) => /^(\w+):\s+(.*)$/.exec(line)).filter((match) => match).map((match) => [match![1]!, match![2]!]));
    const table = info.split('\n').findIndex((line) => line.startsWith('cookie'));
    const cookies = table < 0 ? [] : info.split('\n').slice(table + 1).filter((line) => line.trim()).map((line) => Number(line.trim().split(/\s+/)[0]));
    links.push({ id: Number(fields.link_id), type: fields.link_type ?? '', fields, cookies });
  }
  return links;
}

/** bpftool's word on link `id`: its type (bpftool before 7.3 prints uprobe_multi as `type 12`). */
function bpftoolLinkType(id: number): string {
  const line = execFileSync('bpftool', ['link', 'show', 'id', String(id)], { encoding: 'utf8' }).split('\n')[0]!;
  return /^\d+: (uprobe_multi|type \d+|\w+)/.exec(line)![1]!;
}

const sortedLines = (text: string) => text.trim().split('\n').sort();

maybe('uprobe:BINARY:prefix*: one uprobe_multi link for every matching function; func names the one that fired', async () => {
  const running = startCli(['-e', `uprobe:${target}:tsbpf_* { @[func] = count(); }`]);
  await running.waitFor('Attached 3 probes');
  const pid = running.child.pid!;
  const links = linksOf(pid);
  const held = heldObjects(pid);
  assert.is(links.length, 1, JSON.stringify(links));
  assert.is(links[0]!.type, 'uprobe_multi');
  assert.is(bpftoolLinkType(links[0]!.id).replace('type 12', 'uprobe_multi'), 'uprobe_multi');
  assert.equal([links[0]!.fields.uprobe_cnt, links[0]!.fields.path, links[0]!.fields.pid], ['3', target, '0']);
  assert.equal(links[0]!.cookies, [0, 1, 2]);
  assert.is(held.programs.length, 1, 'one program');
  runCalls(target, 3);
  running.child.kill('SIGINT');
  const result = await running.result;
  assert.is(result.code, 0, result.stderr);
  assert.equal(sortedLines(result.stdout), functions.map((name) => `@[${name}]: 3`));
  assert.equal(await remainingAfter(held), [], 'the link, program and maps are gone');
});

maybe('uretprobe:BINARY:prefix*: one link with the return flag: retval and func of each function', async () => {
  const running = startCli(['-e', `uretprobe:${target}:tsbpf_* { @sum[func] = sum((int32)retval); @length[func] = max(strlen(func)); }`]);
  await running.waitFor('Attached 3 probes');
  const links = linksOf(running.child.pid!);
  // The kernel names a uprobe_multi link with the return flag uretprobe_multi.
  assert.equal(links.map((link) => [link.type, link.fields.uprobe_cnt]), [['uretprobe_multi', '3']]);
  runCalls(target, 3);
  running.child.kill('SIGINT');
  const result = await running.result;
  assert.is(result.code, 0, result.stderr);
  // tsbpf_add(i, 10i) = 11i, tsbpf_negate(i) = -i, tsbpf_provider_gated(i) = 0 (not enabled), for i = 1..3.
  assert.equal(sortedLines(result.stdout), [
    '', '@length[tsbpf_add]: 9', '@length[tsbpf_negate]: 12', '@length[tsbpf_provider_gated]: 20',
    '@sum[tsbpf_add]: 66', '@sum[tsbpf_negate]: -6', '@sum[tsbpf_provider_gated]: 0',
  ].filter((line) => line !== ''));
});

maybe('a body that names `probe` gets one program and one perf-event uprobe per function, as in bpftrace', async () => {
  const script = compileScript(`uprobe:${target}:tsbpf_* { @[probe] = count(); }`);
  assert.is(script.programs.length, 3);
  const running = startCli(['-e', `uprobe:${target}:tsbpf_* { @[probe] = count(); }`]);
  await running.waitFor('Attached 3 probes');
  const links = linksOf(running.child.pid!);
  assert.equal(links.map((link) => link.type), ['perf', 'perf', 'perf']);
  runCalls(target, 2);
  running.child.kill('SIGINT');
  const result = await running.result;
  assert.equal(sortedLines(result.stdout), functions.map((name) => `@[uprobe:${target}:${name}]: 2`));
});

maybe('the uprobe_multi program is loaded for its attach type, and `func` needs no program per function', () => {
  const script = compileScript(`uprobe:${target}:tsbpf_* { printf("%s\\n", func); } uprobe:${target}:tsbpf_add { }`);
  const multi = script.programs[0]!;
  assert.equal([multi.programType, multi.expectedAttachType], [ProgramType.KPROBE, 48]);
  assert.equal(multi.attachments.map((attachment) => [attachment.name, attachment.target.kind]), [[`uprobe:${target}:tsbpf_*`, 'uprobeMulti']]);
  assert.is(script.programs[1]!.expectedAttachType, undefined, 'a uprobe on one named function stays a perf-event uprobe');
});

maybe('-p: the link fires only in the target process (its pid in the link)', async () => {
  const traced = new ServingTarget(target);
  const other = new ServingTarget(target);
  try {
    await traced.rounds(0);
    const running = startCli(['-p', String(traced.pid), '-e', `uprobe:${target}:tsbpf_* { @[pid, func] = count(); }`]);
    await running.waitFor('Attached 3 probes');
    const links = linksOf(running.child.pid!);
    assert.equal(links.map((link) => [link.type, link.fields.pid]), [['uprobe_multi', String(traced.pid)]]);
    await other.rounds(2);
    await traced.rounds(1);
    running.child.kill('SIGINT');
    const result = await running.result;
    assert.equal(sortedLines(result.stdout), functions.map((name) => `@[${traced.pid}, ${name}]: 1`));
  } finally {
    await Promise.all([traced.close(), other.close()]);
  }
});

maybe('uprobe:*:prefix* with -p: every binary the process maps is searched; one link for the binary that has them', async () => {
  const traced = new ServingTarget(target);
  try {
    await traced.rounds(0);
    const running = startCli(['-p', String(traced.pid), '-e', 'uprobe:*:tsbpf_* { @[func] = count(); }']);
    await running.waitFor('Attached 3 probes');
    const links = linksOf(running.child.pid!);
    assert.equal(links.map((link) => [link.type, link.fields.path, link.fields.uprobe_cnt]), [['uprobe_multi', target, '3']], 'libc and ld.so have no tsbpf_* functions: no link for them');
    await traced.rounds(2);
    running.child.kill('SIGINT');
    const result = await running.result;
    assert.equal(sortedLines(result.stdout), functions.map((name) => `@[${name}]: 2`));
  } finally {
    await traced.close();
  }
});

maybe('a path glob as the target: each matching binary, named by its path; a glob matching nothing is an error', async () => {
  const glob = `${target.slice(0, -2)}*`;
  const script = compileScript(`uprobe:${glob}:tsbpf_add { @[probe] = count(); }`);
  assert.equal(script.programs.flatMap((program) => program.attachments.map((attachment) => attachment.name)), [`uprobe:${target}:tsbpf_add`]);
  const missing = startCli(['-e', 'uprobe:/nonexistent-tsbpf-*/x:f { }']);
  const failed = await missing.result;
  assert.is(failed.code, 1);
  assert.match(failed.stderr, /^stdin:1:1-\d+: ERROR: uprobe target file '\/nonexistent-tsbpf-\*\/x' does not exist or is not executable$/m);
  const nowhere = startCli(['-p', String(process.pid), '-e', 'uprobe:*:tsbpf_no_such_function { }']);
  assert.match((await nowhere.result).stderr, /ERROR: No matches for uprobe \*:tsbpf_no_such_function\./);
});

maybe('an attach failing after the uprobe_multi link exists closes the link (and everything else)', () => {
  // Probes in reverse order: the wildcard's link is made first, then the uprobe the kernel refuses
  // (its file offset, set here, lies far past the end of the binary).
  const script = compileScript(`uprobe:${target}:tsbpf_add { } uprobe:${target}:tsbpf_* { }`);
  const refused = script.programs[0]!.attachments[0]!;
  const broken: CompiledScript = {
    ...script,
    programs: [{ ...script.programs[0]!, attachments: [{ ...refused, target: { ...refused.target, offset: 1 << 30 } as typeof refused.target }] }, ...script.programs.slice(1)],
  };
  const before = heldObjects('self');
  assert.throws(() => startSession(broken, { banner: false, output: { stdout: { write: () => true }, stderr: { write: () => true } } }));
  const after = heldObjects('self');
  assert.equal([after.links, after.programs, after.maps], [before.links, before.programs, before.maps]);
});

test.run();
