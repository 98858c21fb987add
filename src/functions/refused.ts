// Functions of bpftrace's standard library that tsbpf knows but cannot run in the probes it attaches:
// each is checked (so a script using one is told why at the call, not "unknown function") and refused.
// The reasons are the kernel's rules for the helper behind each, which do not depend on the machine.
import { s64 } from '../model/types.js';
import type { FunctionRecord } from './record.js';

function refused(name: string, reason: string, hint: string): FunctionRecord {
  return {
    name,
    check(context, call) {
      for (const argument of call.arguments) context.expression(argument);
      context.diagnostics.error(call.span, `${name}() cannot be used here: ${reason}`, hint);
      return s64;
    },
    lower: () => {
      throw new Error(`internal error: ${name}() reached code generation`);
    },
  };
}

export const override = refused('override', 'bpf_override_return is allowed only in kprobe probes on functions marked for error injection',
  'tsbpf attaches no such probe; a uprobe cannot change a return value');
export const skboutput = refused('skboutput', 'bpf_skb_output needs a BTF-typed sk_buff, which only fentry/fexit probes have',
  'tracepoint args with an skb pointer can be read field by field instead');
export const socketCookie = refused('socket_cookie', 'bpf_get_socket_cookie needs a BTF-typed socket, which only fentry/fexit probes have',
  'read the socket\'s fields through its pointer instead (args.skaddr->…)');
export const path = refused('path', 'bpf_d_path is allowed only in fentry/fexit, LSM and iterator probes',
  'str() of a dentry name (…->f_path.dentry->d_name.name) gives the last component');
export const unwatch = refused('unwatch', 'it removes a watchpoint probe\'s breakpoint, and tsbpf has no watchpoint probes',
  'uprobes and tracepoints cover most uses of watchpoints');
export const dwUstack = refused('dw_ustack', 'tsbpf walks user stacks by frame pointers and has no DWARF unwinder',
  'ustack gives the frame-pointer stack (build the program with -fno-omit-frame-pointer)');
export const writeUser = refused('write_user', 'tsbpf does not write into user memory (bpf_probe_write_user)',
  'signal() or system() (with --unsafe) can act on the process instead');
export const kfuncExist = refused('kfunc_exist', 'tsbpf does not call kernel functions (kfuncs) yet', 'the helpers behind the stdlib functions cover what tsbpf calls');
export const kfuncAllowed = refused('kfunc_allowed', 'tsbpf does not call kernel functions (kfuncs) yet', 'the helpers behind the stdlib functions cover what tsbpf calls');
