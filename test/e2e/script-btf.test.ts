// bpftrace's runtime cases for BTF types, curtask, tracepoint `args` pointers and addresses of
// variables (tests/runtime/btf, addrspace, and the args/curtask cases of call, regression and
// variable), followed with test/fixtures/c/script-types-target.c where a process has to act.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { self } from './harness.js';
import { defineScriptCases, runTarget, targetComm, type ScriptCase } from './script-cases.js';
import { file } from '../support/skip.js';

const byTarget = `/comm == "${targetComm}"/`;
const execArgument = 'struct-array';
const directory = mkdtempSync(join(tmpdir(), 'tsbpf-script-btf-'));
const created = join(directory, 'created-by-openat');
const tracepoint = (name: string) => file(`/sys/kernel/tracing/events/${name}`, `the tracepoint ${name}`);

const cases: ScriptCase[] = [
  {
    name: 'btf: user_supplied_c_def_using_btf', lines: ['0'],
    program: 'struct foo { struct task_struct t; } begin { printf("%d\\n", sizeof(struct foo) - sizeof(struct task_struct)); }',
  },
  {
    name: 'btf: tracepoint_pointer_type_resolution', mode: ['nanosleep'], lines: ['0 4321'],
    program: `tracepoint:syscalls:sys_enter_nanosleep ${byTarget} { args.rqtp.tv_sec; printf("%d %d\\n", args.rqtp.tv_sec, args.rqtp->tv_nsec); exit(); }`,
  },
  { name: 'btf: tracepoint_nested_pointer_type_resolution', requires: [tracepoint('napi/napi_poll')], program: 'tracepoint:napi:napi_poll { args.napi.dev.name; exit(); }' },
  { name: 'btf: enum_value_reference', lines: ['8 0'], program: 'begin { printf("%d %d\\n", sizeof(BTF_VAR_STATIC), BTF_VAR_STATIC); }' },
  { name: 'btf: redefine_btf_type', matches: [/^-?\d+\n/], program: 'struct task_struct { int x; } begin { printf("%d\\n", curtask.x); exit() }' },
  {
    // tsbpf keeps the other kernel types when one is redefined (docs/bpftrace-differences.md): thread_info comes from BTF.
    name: 'btf: redefine_btf_type_missing_def', matches: [/^\d+\n/],
    program: 'struct task_struct { struct thread_info x; } begin { printf("%d\\n", curtask.x.status); }',
  },
  {
    name: 'btf: kernel_module_tracepoint', awaitExit: true, requires: [tracepoint('xfs/xfs_setfilesize')],
    program: 'tracepoint:xfs:xfs_setfilesize { print(args.offset) } i:ms:1 { exit(); }',
  },
  { name: 'btf: btf_type_tag_access', lines: [`SUCCESS ${process.ppid}`], program: 'begin { printf("SUCCESS %d\\n", curtask.parent.pid); exit() }' },
  {
    name: 'btf: vmlinux integer types', lines: ['1 1 1 8'],
    program: 'begin { let $a: typeof(size_t) = 1; let $b: typeof(size_t*) = &$a; $c = (uint64_t)1; $d = (char)1; $e = (char *)&$d; printf("%d %d %d %d\\n", *$b, $c, *$e, sizeof($a)); }',
  },
  {
    name: 'btf: btf_char_array_to_string', lines: [self.comm, `comm ${self.comm}`],
    program: `begin { if (curtask.comm == "${self.comm}") { print(curtask.comm); printf("comm %s\\n", curtask.comm); } }`,
  },
  {
    name: 'btf: void pointer types', requires: [tracepoint('workqueue/workqueue_execute_start')],
    program: 'tracepoint:workqueue:workqueue_execute_start { $workfn = args->function; $workfn = (void *)0; exit(); }',
  },
  {
    name: 'btf: function pointer types', requires: [tracepoint('workqueue/workqueue_execute_start')],
    program: 'tracepoint:workqueue:workqueue_execute_start { $workfn = (void *)0; $tl = (struct timer_list *)(args->work); $workfn = $tl->function; exit(); }',
  },
  {
    name: 'addrspace: openat uptr', mode: ['openat', created], lines: [created],
    program: `t:syscalls:sys_enter_openat ${byTarget} { print(str(uptr(args.filename))) }`,
  },
  {
    // Not a bpftrace case: where uptr() changes the read (a cast in a tracepoint points into the kernel).
    name: 'uptr() makes a pointer cast in a kernel probe read user memory: the path openat was given', mode: ['openat', created], lines: [created],
    program: `tracepoint:raw_syscalls:sys_enter /args.id == 257 && ${byTarget.slice(1, -1)}/ { print(str(uptr((int8 *)args.args[1]))); }`,
  },
  {
    name: 'uptr() and kptr() take an integer or a pointer', error: /ERROR: kptr\(\) only supports integer or pointer arguments \(string\[4\] provided\)/,
    program: 'begin { print(uptr(1)); print(kptr("abc")); }',
  },
  {
    name: 'variable: 32-bit tracepoint arg', mode: ['openat', created], lines: ['openflags: 65'],
    program: `tracepoint:syscalls:sys_enter_openat ${byTarget} { $i = args.flags; printf("openflags: %d\\n", $i); if ($i == 65) { exit() } }`,
  },
  {
    name: 'variable: tracepoint arg casts in predicates', mode: ['wait4'], matches: [/^@: [1-9]\d*$/m],
    program: `tracepoint:syscalls:sys_enter_wait4 /args.ru && ${byTarget.slice(1, -1)}/ { @ru[tid] = args.ru; } tracepoint:syscalls:sys_exit_wait4 /@ru[tid]/ { @++; exit(); }`,
  },
  {
    name: 'variable: map key tuple with casted ints', lines: ['@a[-7, (-8, -9)]: 22', '@a[-3, (-9, 4)]: 20', '@a[8, (1, 2)]: 21'],
    program: 'begin { @a[(int16)-3, ((int32)-9, 4)] = 20; @a[8, (1, 2)] = 21; $c = ((int8)-7, ((int16)-8, -9)); @a[$c] = 22; }',
  },
  { name: 'variable: variable declaration with builtin', lines: [`${self.pid}`], program: 'begin { let $f: struct task_struct *; $f = curtask; print($f.pid); }' },
  { name: 'variable: variable address with int', matches: [/^\(0x[0-9a-f]+, 23\)$/m], program: 'begin { $a = 23; $b = &$a; print(($b, *$b)); }' },
  { name: 'variable: variable address with tuple', lines: ['(4, probe, 5)'], program: 'begin { $a = (4, "probe", 5); print(*(&$a)); }' },
  { name: 'variable: variable address with string', lines: ['t s b'], program: 'begin { $a = "tsbpf"; $b = (int8 *)&$a; printf("%c %c %c\\n", *$b, *++$b, *($b + 1)); }' },
  { name: 'variable: variable address with builtin', lines: [`SUCCESS ${userInfo().username}`], program: 'begin { $a = username; $b = &$a; printf("SUCCESS %s\\n", *$b); }' },
  {
    name: 'regression: access ctx struct field twice', mode: ['nanosleep'], requires: [tracepoint('sched/sched_wakeup')], lines: [targetComm],
    program: `tracepoint:sched:sched_wakeup { if (args.comm == "${targetComm}") { print(args.comm) } }`,
  },
  {
    name: 'regression: debug location does not leak across probes', lines: [`${self.pid} ${self.pid}`],
    program: 'begin { $pid = curtask->pid; printf("%d ", $pid); } end { $pid = curtask->pid; printf("%d\\n", $pid); }',
  },
  {
    name: 'call: str', trigger: () => runTarget(execArgument), lines: ['P: TARGET'],
    program: 't:syscalls:sys_enter_execve { printf("P: %s\\n", str(args.filename)); }',
  },
  {
    name: 'call: str_data_loc', trigger: () => runTarget(execArgument), lines: ['P: TARGET'],
    program: 't:sched:sched_process_exec { printf("P: %s\\n", str(args.filename)); }',
  },
  {
    name: 'call: join', trigger: () => runTarget(execArgument), lines: [`TARGET ${execArgument}`],
    program: 't:syscalls:sys_enter_execve EXEC { join(args.argv); exit(); }',
  },
  {
    name: 'call: join_delim', trigger: () => runTarget(execArgument), lines: [`TARGET,${execArgument}`],
    program: 't:syscalls:sys_enter_execve EXEC { join(args.argv, ","); exit(); }',
  },
  {
    name: 'call: explicit string truncation', trigger: () => runTarget(execArgument), lines: [execArgument.slice(0, 4)],
    program: 'tracepoint:syscalls:sys_enter_execve EXEC { print(str(args.argv[1], 5)); exit(); }',
  },
  {
    name: 'call: string truncation variable length', trigger: () => runTarget(execArgument), lines: [execArgument.slice(0, 6)],
    program: 'tracepoint:syscalls:sys_enter_execve EXEC { $a = (uint16)7; print(str(args.argv[1], $a)); exit(); }',
  },
  {
    name: 'call: explicit string truncation with expression', trigger: () => runTarget(execArgument), lines: [execArgument.slice(0, 3)],
    program: 'tracepoint:syscalls:sys_enter_execve EXEC { $a = 1; print(str(args.argv[1], $a + 3)); exit(); }',
  },
];

defineScriptCases(cases.map((one) => ({ ...one, program: one.program.replace('EXEC', `/str(args.argv[0]) == "TARGET"/`) })));
process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
