// When a kernel cannot attach kprobes or fentry, the nearest stable tracepoint usually answers the
// same question: the syscall tracepoints for syscall entry points and the VFS calls behind them, the
// sched/block/tcp/kmem tracepoints for the functions they sit in. Only tracepoints this kernel has
// are suggested; otherwise the hint says how to look for one.
import type { Host } from '../model/host.js';
import { tracepointExists } from './tracepoint.js';

/** Kernel function → tracepoint (category:name) at entry and, where different, at return. */
const nearestTracepoints: Readonly<Record<string, { readonly entry: string; readonly return?: string }>> = {
  do_sys_open: { entry: 'syscalls:sys_enter_openat', return: 'syscalls:sys_exit_openat' },
  do_sys_openat2: { entry: 'syscalls:sys_enter_openat', return: 'syscalls:sys_exit_openat' },
  do_filp_open: { entry: 'syscalls:sys_enter_openat', return: 'syscalls:sys_exit_openat' },
  vfs_open: { entry: 'syscalls:sys_enter_openat', return: 'syscalls:sys_exit_openat' },
  vfs_read: { entry: 'syscalls:sys_enter_read', return: 'syscalls:sys_exit_read' },
  vfs_readv: { entry: 'syscalls:sys_enter_readv', return: 'syscalls:sys_exit_readv' },
  vfs_write: { entry: 'syscalls:sys_enter_write', return: 'syscalls:sys_exit_write' },
  vfs_writev: { entry: 'syscalls:sys_enter_writev', return: 'syscalls:sys_exit_writev' },
  vfs_fsync: { entry: 'syscalls:sys_enter_fsync', return: 'syscalls:sys_exit_fsync' },
  vfs_unlink: { entry: 'syscalls:sys_enter_unlinkat', return: 'syscalls:sys_exit_unlinkat' },
  vfs_rename: { entry: 'syscalls:sys_enter_renameat2', return: 'syscalls:sys_exit_renameat2' },
  vfs_mkdir: { entry: 'syscalls:sys_enter_mkdirat', return: 'syscalls:sys_exit_mkdirat' },
  vfs_statx: { entry: 'syscalls:sys_enter_statx', return: 'syscalls:sys_exit_statx' },
  filp_close: { entry: 'syscalls:sys_enter_close', return: 'syscalls:sys_exit_close' },
  do_execve: { entry: 'syscalls:sys_enter_execve', return: 'sched:sched_process_exec' },
  do_execveat_common: { entry: 'syscalls:sys_enter_execve', return: 'sched:sched_process_exec' },
  bprm_execve: { entry: 'syscalls:sys_enter_execve', return: 'sched:sched_process_exec' },
  do_exit: { entry: 'sched:sched_process_exit' },
  do_group_exit: { entry: 'sched:sched_process_exit' },
  kernel_clone: { entry: 'sched:sched_process_fork' },
  _do_fork: { entry: 'sched:sched_process_fork' },
  do_fork: { entry: 'sched:sched_process_fork' },
  copy_process: { entry: 'sched:sched_process_fork' },
  wake_up_new_task: { entry: 'sched:sched_wakeup_new' },
  try_to_wake_up: { entry: 'sched:sched_waking' },
  ttwu_do_wakeup: { entry: 'sched:sched_wakeup' },
  finish_task_switch: { entry: 'sched:sched_switch' },
  __schedule: { entry: 'sched:sched_switch' },
  schedule: { entry: 'sched:sched_switch' },
  handle_mm_fault: { entry: 'exceptions:page_fault_user' },
  do_user_addr_fault: { entry: 'exceptions:page_fault_user' },
  __kmalloc: { entry: 'kmem:kmalloc' },
  kmalloc: { entry: 'kmem:kmalloc' },
  kfree: { entry: 'kmem:kfree' },
  kmem_cache_alloc: { entry: 'kmem:kmem_cache_alloc' },
  kmem_cache_free: { entry: 'kmem:kmem_cache_free' },
  blk_account_io_start: { entry: 'block:block_io_start' },
  blk_account_io_done: { entry: 'block:block_io_done' },
  blk_mq_start_request: { entry: 'block:block_rq_issue' },
  blk_mq_end_request: { entry: 'block:block_rq_complete' },
  blk_mq_complete_request: { entry: 'block:block_rq_complete' },
  submit_bio: { entry: 'block:block_bio_queue' },
  tcp_retransmit_skb: { entry: 'tcp:tcp_retransmit_skb' },
  tcp_send_reset: { entry: 'tcp:tcp_send_reset' },
  tcp_v4_send_reset: { entry: 'tcp:tcp_send_reset' },
  tcp_set_state: { entry: 'sock:inet_sock_set_state' },
  tcp_v4_connect: { entry: 'sock:inet_sock_set_state' },
  tcp_v6_connect: { entry: 'sock:inet_sock_set_state' },
  tcp_connect: { entry: 'sock:inet_sock_set_state' },
  inet_csk_accept: { entry: 'sock:inet_sock_set_state' },
  tcp_close: { entry: 'sock:inet_sock_set_state' },
  tcp_rcv_established: { entry: 'tcp:tcp_probe' },
  kfree_skb: { entry: 'skb:kfree_skb' },
  kfree_skb_reason: { entry: 'skb:kfree_skb' },
  tcp_drop: { entry: 'skb:kfree_skb' },
  consume_skb: { entry: 'skb:consume_skb' },
  __netif_receive_skb: { entry: 'net:netif_receive_skb' },
  dev_queue_xmit: { entry: 'net:net_dev_queue' },
  __dev_queue_xmit: { entry: 'net:net_dev_queue' },
  oom_kill_process: { entry: 'oom:mark_victim' },
  do_signal: { entry: 'signal:signal_deliver' },
  send_signal: { entry: 'signal:signal_generate' },
  __send_signal: { entry: 'signal:signal_generate' },
  irq_enter: { entry: 'irq:irq_handler_entry' },
  __do_softirq: { entry: 'irq:softirq_entry' },
  mm_page_alloc: { entry: 'kmem:mm_page_alloc' },
  __alloc_pages: { entry: 'kmem:mm_page_alloc' },
  cpu_idle: { entry: 'power:cpu_idle' },
  do_idle: { entry: 'power:cpu_idle' },
};

/** Entry points of syscall NAME: __x64_sys_NAME, __arm64_sys_NAME, __se_sys_NAME, __do_sys_NAME, ksys_NAME, sys_NAME. */
const syscallFunction = /^(?:__(?:x64|ia32|x32|arm64|riscv|s390x?|powerpc|se|do)_sys_|ksys_|sys_)(\w+)$/;

/** `category:name` of the tracepoint nearest to kernel function `name` on this kernel, if one is known. */
export function nearestTracepoint(host: Host, functionName: string, isReturn: boolean): string | undefined {
  const candidates: string[] = [];
  const known = nearestTracepoints[functionName];
  if (known) candidates.push(isReturn ? known.return ?? known.entry : known.entry);
  const syscall = syscallFunction.exec(functionName);
  if (syscall) candidates.push(`syscalls:sys_${isReturn ? 'exit' : 'enter'}_${syscall[1]}`);
  return candidates.find((candidate) => {
    const [category, name] = candidate.split(':') as [string, string];
    return tracepointExists(host, category, name);
  });
}

/** The HINT for a kprobe/fentry on `functionName` that this kernel cannot attach. */
export function tracepointHint(host: Host, functionName: string, isReturn: boolean): string {
  const nearest = nearestTracepoint(host, functionName, isReturn);
  if (nearest) return `the nearest tracepoint is tracepoint:${nearest}`;
  const stem = functionName.replace(/^_+/, '').replace(/[*?[\]]/g, '') || functionName;
  return `look for a tracepoint instead: tsbpf -l 'tracepoint:*${stem}*'`;
}
