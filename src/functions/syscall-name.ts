// syscall_name(n): an x86-64 system call number as its name (`openat`), as bpftrace's syscall_name()
// prints it: the number is taken as an int32; a number with no system call is `Unknown syscall`.
import { syscallNumbers } from '../codegen/syscalls.generated.js';
import { numberAsText } from './formatted-number.js';

// The x32 ABI's own entry points, numbered from 512 in the kernel's syscall_64.tbl (the rest of x32
// shares the 64-bit numbers); bpftrace names them too.
const x32Names = [
  'rt_sigaction', 'rt_sigreturn', 'ioctl', 'readv', 'writev', 'recvfrom', 'sendmsg', 'recvmsg', 'execve',
  'ptrace', 'rt_sigpending', 'rt_sigtimedwait', 'rt_sigqueueinfo', 'sigaltstack', 'timer_create', 'mq_notify',
  'kexec_load', 'waitid', 'set_robust_list', 'get_robust_list', 'vmsplice', 'move_pages', 'preadv', 'pwritev',
  'rt_tgsigqueueinfo', 'recvmmsg', 'sendmmsg', 'process_vm_readv', 'process_vm_writev', 'setsockopt',
  'getsockopt', 'io_setup', 'io_submit', 'execveat', 'preadv2', 'pwritev2',
];

const names = new Map<number, string>([
  ...Object.entries(syscallNumbers).map(([name, number]) => [number, name] as [number, string]),
  ...x32Names.map((name, index) => [512 + index, name] as [number, string]),
]);

export const syscall_name = numberAsText('syscall_name', (value) => names.get(Number(BigInt.asIntN(32, value))) ?? 'Unknown syscall');
