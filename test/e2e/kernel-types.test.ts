// The kernel's own structures read through BTF, checked against values known independently: the test
// process's ids and names from Node and /proc, what the test passed to a syscall itself, what a
// tracepoint's record says about the same event, and what bpftool reads from the same BTF.
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { basename } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { begin, compileErrors, run, self } from './harness.js';
import { cc, kernelBtf, needs, tool } from '../support/skip.js';
import { typesTargetPath } from './types-target.js';

/** A process's parent pid, from /proc/PID/stat (the field after the parenthesised comm). */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** `bpftool btf dump` of vmlinux, once. */
let dump: string | undefined;
function btfDump(): string {
  dump ??= execFileSync('bpftool', ['btf', 'dump', 'file', '/sys/kernel/btf/vmlinux'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return dump;
}

needs(test, 'curtask is struct task_struct *: its pid, tgid, comm and parent are this process\'s', [kernelBtf], async () => {
  const { stdout } = await run('BEGIN { printf("%d %d %s %d %d|%s|\\n", curtask->pid, curtask.tgid, curtask->comm, curtask->real_parent->pid, curtask.group_leader.pid, curtask->real_parent->comm); exit(); }');
  const parentComm = readFileSync(`/proc/${process.ppid}/comm`, 'utf8').trim();
  assert.is(stdout, `${self.pid} ${self.pid} ${self.comm} ${process.ppid} ${self.pid}|${parentComm}|\n\n\n`);
});

needs(test, 'walks through three and more pointers: the grandparent, the executable\'s name, the root directory', [kernelBtf], async () => {
  const { stdout } = await run(`BEGIN {
    printf("%d\\n", curtask->real_parent->real_parent->pid);
    printf("%s\\n", str(curtask->mm->exe_file->f_path.dentry->d_name.name));
    $fs = curtask->fs;
    printf("%s\\n", str($fs->root.dentry->d_name.name));
    exit();
  }`);
  assert.is(stdout, `${parentOf(process.ppid)}\n${basename(readlinkSync('/proc/self/exe'))}\n/\n\n\n`);
});

needs(test, 'a struct from a pointer chain is a value: printed, stored in a map, compared by its fields', [kernelBtf], async () => {
  const { stdout } = await run('BEGIN { $root = curtask->fs->root; print($root); @root = $root; printf("%d\\n", @root.dentry == curtask->fs->root.dentry); exit(); }');
  const match = /^\{ \.mnt = 0x([0-9a-f]+), \.dentry = 0x([0-9a-f]+) \}\n1\n\n\n@root: \{ \.mnt = 0x\1, \.dentry = 0x\2 \}\n$/.exec(stdout);
  assert.ok(match, stdout);
  assert.ok(BigInt(`0x${match![1]}`) >= 0xffff800000000000n);
});

needs(test, 'a syscall tracepoint\'s struct argument is user memory: nanosleep\'s timespec, as the test passed it', [kernelBtf, cc], async () => {
  const target = typesTargetPath();
  const { stdout } = await run(`tracepoint:syscalls:sys_enter_nanosleep /comm == "types-target"/ {
    printf("%d %d\\n", args.rqtp->tv_sec, args->rqtp->tv_nsec);
    print(*args.rqtp);
  }`, { trigger: () => execFileSync(target, ['nanosleep', '0', '23456789']) });
  assert.is(stdout, '0 23456789\n{ .tv_sec = 0, .tv_nsec = 23456789 }\n\n\n');
});

needs(test, 'a syscall tracepoint\'s char * argument indexes and dereferences as user memory', [kernelBtf, cc], async () => {
  const target = typesTargetPath();
  const path = '/tsbpf-types-test-no-such-file';
  const { stdout } = await run(`tracepoint:syscalls:sys_enter_openat /comm == "types-target" && str(args.filename) == "${path}"/ {
    printf("%s %d %d\\n", str(args.filename), *args.filename, args.filename[1]);
  }`, { trigger: () => execFileSync(target, ['openat', path], { stdio: 'ignore' }) });
  assert.is(stdout, `${path} ${path.charCodeAt(0)} ${path.charCodeAt(1)}\n\n\n`);
});

needs(test, 'rawtracepoint sched_switch: args.prev and args.next are task_struct pointers, as the tracepoint records them', [kernelBtf], async () => {
  const { stdout } = await run(`
    rawtracepoint:sched_switch { @raw[args.next->pid] = args.next->comm; @prev[args.prev->pid == tid, args.prev.tgid == pid] = count(); }
    tracepoint:sched:sched_switch { @record[args.next_pid] = args.next_comm; }
  `, { format: 'json', trigger: () => new Promise((resolve) => setTimeout(resolve, 300)) });
  const maps = new Map<string, Record<string, unknown>>();
  for (const line of stdout.split('\n').filter(Boolean)) {
    const message = JSON.parse(line) as { type: string; data: Record<string, Record<string, unknown>> };
    if (message.type === 'map') for (const [name, data] of Object.entries(message.data)) maps.set(name, data);
  }
  const raw = maps.get('@raw')!;
  const record = maps.get('@record')!;
  const common = Object.keys(raw).filter((pid) => pid in record);
  assert.ok(common.length > 0, stdout);
  // A task's name changes only at exec: the same next task has the same name in both.
  const same = common.filter((pid) => raw[pid] === record[pid]);
  assert.ok(same.length >= common.length - 1, `${same.length} of ${common.length} agree:\n${stdout}`);
  assert.equal(Object.keys(maps.get('@prev')!), ['true,true']);
});

needs(test, 'structs and arrays compare byte for byte with their own type', [kernelBtf], async () => {
  const { stdout } = await run(`BEGIN {
    @paths[1] = curtask->fs->root; @paths[2] = curtask->fs->pwd;
    for ($kv : @paths) { printf("%d %d\\n", $kv.0, $kv.1 == curtask->fs->root); }
    printf("%d %d\\n", curtask->fs->root != curtask->fs->root, (int8[2])(int16)258 == (int8[2])(int16)258);
    exit();
  }`);
  // The test process runs from its checkout, not from /: its pwd is not its root.
  const lines = stdout.split('\n');
  assert.equal([lines[0], lines[1]].sort(), ['1 1', '2 0'], stdout);
  assert.is(lines[2], '0 1');
  assert.match(compileErrors('BEGIN { $x = curtask->fs->root == curtask->se.load; $y = curtask->fs->root < curtask->fs->pwd; }'),
    /Type mismatch for '==': comparing struct path with struct load_weight[\s\S]*The < operator cannot be used on structs\./);
});

needs(test, 'kernel enums and struct sizes come from BTF, as bpftool reads them', [kernelBtf, tool('bpftool')], async () => {
  const ringbuf = /'BPF_MAP_TYPE_RINGBUF' val=(\d+)/.exec(btfDump())![1];
  const taskSize = /STRUCT 'task_struct' size=(\d+)/.exec(btfDump())![1];
  const { stdout } = await run('BEGIN { printf("%d %d %d %s\\n", BPF_MAP_TYPE_RINGBUF, sizeof(BPF_MAP_TYPE_RINGBUF), sizeof(struct task_struct), BPF_MAP_TYPE_RINGBUF); @type = BPF_MAP_TYPE_HASH; @types[BPF_MAP_TYPE_ARRAY] = 1; exit(); }');
  assert.is(stdout, `${ringbuf} 8 ${taskSize} BPF_MAP_TYPE_RINGBUF\n\n\n@type: BPF_MAP_TYPE_HASH\n@types[BPF_MAP_TYPE_ARRAY]: 1\n`);
});

needs(test, 'a tracepoint field of an enum type prints its enumerator\'s name (kfree_skb\'s reason for a SYN to a closed port)', [kernelBtf], async () => {
  const { stdout } = await run(`tracepoint:skb:kfree_skb /args.reason == SKB_DROP_REASON_NO_SOCKET/ {
    @reasons[args.reason] = 1; @numbers[(int64)args.reason] = 1; $r = args.reason; @text = $r;
  }
  END { printf("%d\\n", SKB_DROP_REASON_NO_SOCKET); }`, {
    trigger: () => new Promise<void>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: 1 });
      socket.on('error', () => resolve());
      socket.on('connect', () => (socket.destroy(), resolve()));
    }),
  });
  const [value] = stdout.split('\n');
  assert.is(stdout, `${value}\n\n\n@numbers[${value}]: 1\n@reasons[SKB_DROP_REASON_NO_SOCKET]: 1\n@text: SKB_DROP_REASON_NO_SOCKET\n`);
});

needs(test, 'bitfields are shifted and masked; a signed one is sign-extended as C does (bpf_reg_state\'s iter.depth)', [kernelBtf, tool('bpftool')], async () => {
  // struct bpf_reg_state's anonymous `iter` struct: btf, btf_id, then `state: 2` and `int depth: 30`.
  const depth = /'depth' type_id=\d+ bits_offset=(\d+) bitfield_size=30/.exec(btfDump());
  assert.ok(depth, 'no 30-bit depth bitfield in this BTF');
  const bitOffset = Number(depth![1]);
  const wordOffset = Math.floor(bitOffset / 32) * 4;
  const shift = bitOffset % 32;
  // A word holding state = 1 below the depth's bits, and depth = -3 in its 30 bits.
  const word = (((-3 & 0x3fffffff) << shift) | 1) >>> 0;
  const { stdout } = await run(begin(`
    $word = (uint64)${word};
    $state = (struct bpf_reg_state *)((uint64)&$word - offsetof(struct bpf_reg_state, iter) - ${wordOffset});
    printf("%d %d %d\\n", $state->iter.depth, (int64)$state->iter.state, $state.iter.depth < 0);`));
  assert.is(stdout, '-3 1 1\n\n\n');
});

needs(test, 'misused C types are diagnostics in bpftrace\'s words, with the closest name as a hint', [kernelBtf], () => {
  assert.is(compileErrors('BEGIN { $x = 1; print($x->y); print(curtask->pidd); $p = (struct task_strct *)0; }'), [
    "test.bt:1:23-28: ERROR: Can not access field 'y' on expression of type 'int64'",
    'BEGIN { $x = 1; print($x->y); print(curtask->pidd); $p = (struct task_strct *)0; }',
    '                      ~~~~~',
    "test.bt:1:37-50: ERROR: Struct/union of type 'struct task_struct' does not contain a field named 'pidd'",
    'BEGIN { $x = 1; print($x->y); print(curtask->pidd); $p = (struct task_strct *)0; }',
    '                                    ~~~~~~~~~~~~~',
    "HINT: did you mean 'pid'?",
    'test.bt:1:59-78: ERROR: Cannot resolve unknown type "struct task_strct"',
    'BEGIN { $x = 1; print($x->y); print(curtask->pidd); $p = (struct task_strct *)0; }',
    '                                                          ~~~~~~~~~~~~~~~~~~~',
    "HINT: did you mean 'struct task_struct'?",
    '',
  ].join('\n'));
});

test.run();
