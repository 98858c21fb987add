// Expressions over the kernel's own types for the program generator (issue 15): field chains from
// curtask through task pointers, mm, fs, files, creds and embedded structs, with `->` and `.` mixed,
// casts to and from struct pointers, dereferences, pointer arithmetic and comparison, array indexes,
// char arrays and char pointers, kernel enums; on raw tracepoints the BTF-typed `args`. Every field
// is one this kernel's BTF has (a fixed table, so that the corpus is the same on every machine).
import type { ProbeSpec } from './program-model.js';
import type { Random } from './random.js';

/** Ways to write the current task as a `struct task_struct *`. */
const taskBases = [
  'curtask', 'curtask', 'curtask', '((struct task_struct *)curtask)', '((struct task_struct *)(uint64)curtask)',
  '(*curtask).real_parent', '(curtask + 0)',
];
/** Members that are task pointers again. */
const taskHops = ['real_parent', 'parent', 'group_leader'];
/** Integer leaves of a task, some through further pointers and embedded structs. */
const taskIntegers = [
  'pid', 'tgid', 'prio', 'static_prio', 'flags', 'exit_code', '__state', 'nvcsw', 'utime', 'on_cpu', 'policy',
  'nr_cpus_allowed', 'se.load.weight', 'se.vruntime', 'mm->mmap_base', 'mm->map_count', 'comm[0]', 'comm[3]',
  'thread_pid->numbers[0].nr', 'signal->nr_threads', 'fs->users', 'cred->uid.val', 'real_cred->euid.val',
  'files->next_fd', 'nsproxy->pid_ns_for_children->level', 'mm->exe_file->f_flags',
];
/** String leaves of a task: a char array, and char pointers read with str(). */
const taskStrings = ['comm', 'str(#->fs->root.dentry->d_name.name)', 'str(#->mm->exe_file->f_path.dentry->d_name.name)'];
const kernelEnums = ['BPF_MAP_TYPE_RINGBUF', 'BPF_MAP_TYPE_HASH', 'BPF_PROG_TYPE_KPROBE'];

/** A task pointer: a base and up to two hops, each written with `->` or `.`. */
function task(random: Random): string {
  let text = random.pick(taskBases);
  for (let hops = random.integer(0, 2); hops > 0; hops--) text += `${random.pick(['->', '.'])}${random.pick(taskHops)}`;
  return text;
}

/** `task->a.b->c` with each `->` possibly written `.` (bpftrace's auto-dereference). */
function access(random: Random, base: string, path: string): string {
  const written = path.replace(/->/g, () => (random.chance(0.3) ? '.' : '->'));
  return `${base}${random.chance(0.3) ? '.' : '->'}${written}`;
}

/** An integer read from kernel memory (or computed from kernel pointers). */
export function kernelInteger(random: Random, probe: ProbeSpec): string {
  return random.weighted<() => string>([
    [8, () => access(random, task(random), random.pick(taskIntegers))],
    [1, () => `*(uint32 *)((uint64)curtask + offsetof(struct task_struct, pid))`],
    [1, () => `(int64)(${task(random)} == curtask)`],
    [1, () => `(uint64)(${task(random)} + ${random.integer(0, 3)}) - (uint64)curtask`],
    [1, () => `sizeof(struct task_struct) + offsetof(struct task_struct, comm)`],
    [1, () => `(uint64)${access(random, task(random), 'mm')}`],
    [1, () => random.pick(kernelEnums)],
    [1, () => `(uint8)${access(random, task(random), 'comm')}[${random.integer(0, 15)}]`],
    [probe.header === 'rawtracepoint:sys_enter' ? 4 : 0, () => `args.regs${random.pick(['->', '.'])}${random.pick(['di', 'si', 'orig_ax', 'ax', 'sp'])}`],
    [probe.header === 'rawtracepoint:sys_enter' ? 1 : 0, () => 'args.id'],
    [probe.header === 'tracepoint:syscalls:sys_enter_openat' ? 2 : 0, () => random.pick(['*args.filename', 'args.filename[1]', '(uint64)args.filename'])],
    [probe.header === 'tracepoint:syscalls:sys_enter_write' ? 2 : 0, () => random.pick(['*args.buf', 'args.buf[0]', '(uint64)(args.buf + 1)'])],
  ])();
}

/** A string read from kernel memory: a char array, or a char pointer through str(). */
export function kernelString(random: Random): string {
  const leaf = random.pick(taskStrings);
  return leaf.startsWith('str(') ? leaf.replace('#', task(random)) : access(random, task(random), leaf);
}
