// The macros of the C library and kernel headers scripts include for their constants (`#include
// <linux/socket.h>` for AF_INET, `--include errno.h` for EPERM): tsbpf reads no header files, so an
// include of one of these defines its names from here. Linux x86-64 values (errno and signal numbers
// as Node's os.constants gives them on Linux, open flags as fs.constants, address families from
// include/linux/socket.h).

const errno = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EBADF: 9, ECHILD: 10,
  EAGAIN: 11, EWOULDBLOCK: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, EBUSY: 16, EEXIST: 17, EXDEV: 18,
  ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ENOTTY: 25, ETXTBSY: 26, EFBIG: 27,
  ENOSPC: 28, ESPIPE: 29, EROFS: 30, EMLINK: 31, EPIPE: 32, EDOM: 33, ERANGE: 34, EDEADLK: 35,
  ENAMETOOLONG: 36, ENOLCK: 37, ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40, ENOMSG: 42, EIDRM: 43, ENOSTR: 60,
  ENODATA: 61, ETIME: 62, ENOSR: 63, ENOLINK: 67, EPROTO: 71, EMULTIHOP: 72, EBADMSG: 74, EOVERFLOW: 75,
  EILSEQ: 84, ENOTSOCK: 88, EDESTADDRREQ: 89, EMSGSIZE: 90, EPROTOTYPE: 91, ENOPROTOOPT: 92,
  EPROTONOSUPPORT: 93, ENOTSUP: 95, EOPNOTSUPP: 95, EAFNOSUPPORT: 97, EADDRINUSE: 98, EADDRNOTAVAIL: 99,
  ENETDOWN: 100, ENETUNREACH: 101, ENETRESET: 102, ECONNABORTED: 103, ECONNRESET: 104, ENOBUFS: 105,
  EISCONN: 106, ENOTCONN: 107, ETIMEDOUT: 110, ECONNREFUSED: 111, EHOSTUNREACH: 113, EALREADY: 114,
  EINPROGRESS: 115, ESTALE: 116, EDQUOT: 122, ECANCELED: 125,
};

const signals = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSTKFLT: 16,
  SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24,
  SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPOLL: 29, SIGPWR: 30, SIGSYS: 31,
};

const openFlags = {
  O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 64, O_EXCL: 128, O_NOCTTY: 256, O_TRUNC: 512, O_APPEND: 1024,
  O_NONBLOCK: 2048, O_DSYNC: 4096, O_DIRECT: 16384, O_DIRECTORY: 65536, O_NOFOLLOW: 131072, O_NOATIME: 262144,
  O_SYNC: 1052672,
  O_CLOEXEC: 524288, O_PATH: 2097152, O_TMPFILE: 4259840,
};

const addressFamilies = {
  AF_UNSPEC: 0, AF_UNIX: 1, AF_LOCAL: 1, AF_INET: 2, AF_AX25: 3, AF_IPX: 4, AF_APPLETALK: 5, AF_BRIDGE: 7, AF_INET6: 10,
  AF_KEY: 15, AF_NETLINK: 16, AF_ROUTE: 16, AF_PACKET: 17, AF_CAN: 29, AF_TIPC: 30, AF_BLUETOOTH: 31, AF_ALG: 38,
  AF_VSOCK: 40, AF_XDP: 44, AF_MCTP: 45,
};

const byHeader: ReadonlyArray<readonly [readonly string[], Readonly<Record<string, number>>]> = [
  [['errno.h', 'linux/errno.h', 'asm/errno.h', 'asm-generic/errno.h', 'asm-generic/errno-base.h'], errno],
  [['signal.h', 'linux/signal.h', 'asm/signal.h'], signals],
  [['fcntl.h', 'linux/fcntl.h', 'asm/fcntl.h', 'asm-generic/fcntl.h'], openFlags],
  [['sys/socket.h', 'linux/socket.h', 'net/sock.h', 'linux/net.h'], addressFamilies],
];

/** The object-like macros an include of `header` defines (empty for a header without known ones). */
export function headerMacros(header: string): ReadonlyMap<string, string> {
  const macros = new Map<string, string>();
  for (const [headers, values] of byHeader) {
    if (headers.includes(header)) for (const [name, value] of Object.entries(values)) macros.set(name, String(value));
  }
  return macros;
}
