// The generated uapi constants must agree with the header they came from: regenerate in memory and
// compare with the committed file, and spot-check ids that the rest of tsbpf relies on.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AttachType, BpfCommand, helperId, helperName, helpers, LinkType, MapType, ProgramType, uapiHeaderSha256,
} from '../../src/bpf/uapi.generated.js';
import { file, needs } from '../support/skip.js';

interface Generator {
  defaultHeaderPath: string;
  generateUapi(headerText: string, headerLabel?: string): string;
  parseEnum(headerText: string, name: string): { name: string; value: number }[];
  parseHelperIds(headerText: string): { name: string; id: number }[];
  parseHelperSignatures(headerText: string): Map<string, { returnType: string; args: string[] }>;
}

const root = new URL('../../../', import.meta.url);
const generator = (await import(new URL('scripts/gen-uapi.mjs', root).href)) as Generator;
const committed = readFileSync(fileURLToPath(new URL('src/bpf/uapi.generated.ts', root)), 'utf8');

needs(test, 'the committed file is what the generator makes from the installed header', [file(generator.defaultHeaderPath, 'linux-libc-dev')], () => {
  const header = readFileSync(generator.defaultHeaderPath, 'utf8');
  assert.fixture(generator.generateUapi(header, generator.defaultHeaderPath), committed);
  assert.fixture(generator.generateUapi(header, generator.defaultHeaderPath), generator.generateUapi(header, generator.defaultHeaderPath));
});

test('the committed file names the header hash it was made from', () => {
  assert.match(committed, new RegExp(`sha256 ${uapiHeaderSha256}`));
  assert.match(uapiHeaderSha256, /^[0-9a-f]{64}$/);
});

test('helper ids tsbpf depends on', () => {
  const expected: [keyof typeof helperId, number][] = [
    ['map_lookup_elem', 1], ['map_update_elem', 2], ['map_delete_elem', 3], ['probe_read', 4], ['ktime_get_ns', 5],
    ['trace_printk', 6], ['get_smp_processor_id', 8], ['tail_call', 12], ['get_current_pid_tgid', 14],
    ['get_current_uid_gid', 15], ['get_current_comm', 16], ['perf_event_output', 25], ['get_stackid', 27],
    ['get_current_task', 35], ['probe_read_str', 45], ['get_stack', 67], ['get_current_cgroup_id', 80],
    ['send_signal', 109], ['probe_read_user', 112], ['probe_read_kernel', 113], ['probe_read_user_str', 114],
    ['probe_read_kernel_str', 115], ['jiffies64', 118], ['ktime_get_boot_ns', 125], ['ringbuf_output', 130],
    ['ringbuf_reserve', 131], ['ringbuf_submit', 132], ['ringbuf_discard', 133], ['get_current_task_btf', 158],
    ['snprintf', 165], ['get_func_ip', 173], ['get_attach_cookie', 174], ['loop', 181], ['get_func_arg', 183],
  ];
  for (const [name, id] of expected) {
    assert.is(helperId[name], id, name);
    assert.is(helperName(id), name, `helperName(${id})`);
  }
  assert.is(helperName(0), undefined);
  assert.is(helperName(100000), undefined);
});

test('helper table: ascending unique ids, signatures from the doc comment', () => {
  for (let index = 1; index < helpers.length; index++) assert.ok(helpers[index]!.id > helpers[index - 1]!.id);
  assert.ok(helpers.length >= 200, `only ${helpers.length} helpers`);
  const lookup = helpers.find((helper) => helper.name === 'map_lookup_elem')!;
  assert.equal(lookup, { id: 1, name: 'map_lookup_elem', returnType: 'void *', args: ['struct bpf_map *map', 'const void *key'] });
  const pidTgid = helpers.find((helper) => helper.name === 'get_current_pid_tgid')!;
  assert.equal([pidTgid.returnType, pidTgid.args], ['u64', []]);
  const printk = helpers.find((helper) => helper.name === 'trace_printk')!;
  assert.equal(printk.args, ['const char *fmt', 'u32 fmt_size', '...']);
  const taskBtf = helpers.find((helper) => helper.name === 'get_current_task_btf')!;
  assert.is(taskBtf.returnType, 'struct task_struct *');
});

test('enums: the values the loader and attach code use', () => {
  assert.is(BpfCommand.MAP_CREATE, 0);
  assert.is(BpfCommand.PROG_LOAD, 5);
  assert.is(BpfCommand.PROG_TEST_RUN, 10);
  assert.is(BpfCommand.PROG_RUN, 10); // an alias in the header
  assert.is(BpfCommand.OBJ_GET_INFO_BY_FD, 15);
  assert.is(BpfCommand.RAW_TRACEPOINT_OPEN, 17);
  assert.is(BpfCommand.BTF_LOAD, 18);
  assert.is(BpfCommand.LINK_CREATE, 28);
  assert.is(BpfCommand.ENABLE_STATS, 32);
  assert.is(MapType.HASH, 1);
  assert.is(MapType.ARRAY, 2);
  assert.is(MapType.PERF_EVENT_ARRAY, 4);
  assert.is(MapType.PERCPU_HASH, 5);
  assert.is(MapType.PERCPU_ARRAY, 6);
  assert.is(MapType.STACK_TRACE, 7);
  assert.is(MapType.RINGBUF, 27);
  assert.is(ProgramType.KPROBE, 2);
  assert.is(ProgramType.TRACEPOINT, 5);
  assert.is(ProgramType.PERF_EVENT, 7);
  assert.is(ProgramType.RAW_TRACEPOINT, 17);
  assert.is(AttachType.TRACE_RAW_TP, 23);
  assert.is(AttachType.PERF_EVENT, 41);
  assert.is(LinkType.PERF_EVENT, 7);
  assert.not.ok('MAX_BPF_LINK_TYPE' in LinkType);
  assert.not.ok('__MAX_BPF_ATTACH_TYPE' in AttachType);
});

// Newer headers (6.2+) number helpers explicitly in ___BPF_FUNC_MAPPER; the generator must read both.
const newStyleHeader = `
enum bpf_cmd { BPF_MAP_CREATE, BPF_PROG_LOAD = 5, BPF_X, BPF_Y = BPF_MAP_CREATE, /* c */ };
/*
 * Start of BPF helper function descriptions:
 *
 * void *bpf_map_lookup_elem(struct bpf_map *map, const void *key)
 * 	Description
 * 		Look up.
 *
 * long bpf_new_thing(u64 flags, ...)
 * 	Description
 * 		New.
 */
#define ___BPF_FUNC_MAPPER(FN, ctx...)			\\
	FN(unspec, 0, ##ctx)				\\
	FN(map_lookup_elem, 1, ##ctx)			\\
	FN(new_thing, 212, ##ctx)			\\
	/* */

#define __BPF_FUNC_MAPPER_APPLY(name, value, FN) FN(name),
#define __BPF_FUNC_MAPPER(FN) ___BPF_FUNC_MAPPER(__BPF_FUNC_MAPPER_APPLY, FN)
`;

test('generator: explicit helper ids, enum initializers and aliases', () => {
  assert.equal(generator.parseHelperIds(newStyleHeader), [
    { name: 'unspec', id: 0 }, { name: 'map_lookup_elem', id: 1 }, { name: 'new_thing', id: 212 },
  ]);
  assert.equal(generator.parseEnum(newStyleHeader, 'bpf_cmd'), [
    { name: 'BPF_MAP_CREATE', value: 0 }, { name: 'BPF_PROG_LOAD', value: 5 }, { name: 'BPF_X', value: 6 }, { name: 'BPF_Y', value: 0 },
  ]);
  const signatures = generator.parseHelperSignatures(newStyleHeader);
  assert.equal(signatures.get('new_thing'), { returnType: 'long', args: ['u64 flags', '...'] });
});

test('generator: positional helper ids in older headers', () => {
  const oldStyle = '#define __BPF_FUNC_MAPPER(FN)\t\t\\\n\tFN(unspec),\t\t\\\n\tFN(map_lookup_elem),\t\\\n\tFN(map_update_elem),\t\\\n\t/* */\n';
  assert.equal(generator.parseHelperIds(oldStyle), [
    { name: 'unspec', id: 0 }, { name: 'map_lookup_elem', id: 1 }, { name: 'map_update_elem', id: 2 },
  ]);
});

test('generator: a helper without a documented signature is an error, not a silent gap', () => {
  const enums = ['bpf_map_type { BPF_MAP_TYPE_UNSPEC }', 'bpf_prog_type { BPF_PROG_TYPE_UNSPEC }',
    'bpf_attach_type { BPF_CGROUP_INET_INGRESS }', 'bpf_link_type { BPF_LINK_TYPE_UNSPEC = 0 }'].map((body) => `enum ${body};`).join('\n');
  const complete = newStyleHeader + enums;
  assert.match(generator.generateUapi(complete), /new_thing: 212,/);
  const undocumented = complete.replace(' * long bpf_new_thing(u64 flags, ...)\n', ' * no signature here\n');
  assert.throws(() => generator.generateUapi(undocumented), /helper new_thing \(#212\) has no signature/);
});

test.run();
