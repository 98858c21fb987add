// `tsbpf --info`: the system, the build and what the kernel's BPF offers, in today's bpftrace's layout
// (System, Build, then Kernel helpers, Kernel features and Probe types, two `name: value` cells a line,
// 35 columns wide). Every answer is asked of this kernel (a program loaded, a link tried, a file read).
import { readdirSync } from 'node:fs';
import { machine, release, type, version } from 'node:os';
import { ProgramType, helperId } from '../bpf/uapi.generated.js';
import { hasHelper } from '../loader/features.js';
import { liveHost } from '../host/live.js';
import { packageVersion } from './version.js';
import type { Output } from './output-target.js';

type Cell = readonly [string, string];

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

/** bpftrace's tabulate(): cells in pairs, each padded to 35 columns. */
function table(title: string, cells: readonly Cell[]): string {
  let text = `${title}\n`;
  for (let index = 0; index < cells.length; index += 2) {
    const first = `  ${cells[index]![0]}: ${cells[index]![1]}`;
    const second = cells[index + 1];
    text += second ? `${first.padEnd(35)}${`${second[0]}: ${second[1]}`.padEnd(35)}\n` : `${first.padEnd(35)}\n`;
  }
  return text;
}

export function printInfo(io: Output): number {
  const host = liveHost();
  const btf = host.kernelBtf();
  const fentryTarget = ['bpf_fentry_test1', 'vfs_read'].map((name) => btf?.findType(name, 'func')).find((found) => found !== undefined);
  const trampolines = fentryTarget !== undefined && host.trampolineSupport(fentryTarget.id).kind === 'available';
  const kprobes = host.dynamicPmu('kprobe') !== undefined || host.kprobeEventsFile() !== undefined;
  const moduleBtf = (() => {
    try {
      return readdirSync('/sys/kernel/btf').some((name) => name !== 'vmlinux');
    } catch {
      return false;
    }
  })();
  const helper = (id: number) => yesNo(hasHelper(ProgramType.KPROBE, id));
  let text = `System\n  OS: ${type()} ${release()} ${version()}\n  Arch: ${machine()}\n\n`;
  text += `Build\n  version: v${packageVersion() ?? 'unknown'}\n  Node.js: ${process.version}\n  BPF code generation: tsbpf (no LLVM, no clang)\n\n`;
  text += table('Kernel helpers', [
    // bpf_d_path is allowed only in trampoline (fentry/LSM/iter) programs.
    ['dpath', yesNo(trampolines)],
    ['get_tai_ns', helper(helperId.ktime_get_tai_ns)],
    ['get_func_ip', helper(helperId.get_func_ip)],
    ['lookup_percpu_elem', helper(helperId.map_lookup_percpu_elem)],
    ['loop', helper(helperId.loop)],
  ]);
  text += '\n';
  text += table('Kernel features', [['Instruction limit', '1000000'], ['btf', yesNo(btf !== undefined)], ['module btf', yesNo(moduleBtf)]]);
  text += '\n';
  text += table('Probe types', [
    // kprobe_multi and kprobe_session links need kprobes first (and fprobe behind them).
    ['kprobe_multi', kprobes ? 'unknown' : 'no'],
    ['uprobe_multi', yesNo(host.uprobeMulti())],
    ['kprobe_session', kprobes ? 'unknown' : 'no'],
    ['iter', yesNo(trampolines)],
  ]);
  io.out(`${text}\n`);
  return 0;
}
