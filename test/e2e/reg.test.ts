// reg("name") by bpftrace's x86_64 register names, read from a uprobe's pt_regs: the argument
// registers are argN's, the instruction pointer is the probed function's entry; misuse is located.
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileErrors, run } from './harness.js';
import { cc, needs } from '../support/skip.js';
import { typesTargetPath } from './types-target.js';

needs(test, 'reg("di"), reg("si"), reg("dx") are arg0-2; reg("ip") (= reg("pc")) is the probed function\'s entry', [cc], async () => {
  // The binary is position-independent: the entry's offset within its page is the symbol's.
  const symbol = execFileSync('nm', [typesTargetPath()], { encoding: 'utf8' }).split('\n').find((line) => line.endsWith(' T tsbpf_serial'))!;
  const pageOffset = Number.parseInt(symbol.split(' ')[0]!, 16) & 0xfff;
  const { stdout } = await run(`uprobe:${typesTargetPath()}:tsbpf_serial {
    printf("%d %d %d %d %d %d\\n", reg("di") == arg0, reg("si") == arg1, reg("dx") == arg2, reg("ip") == reg("pc"), reg("ip") & 0xfff, reg("sp") > 0);
  }`, { trigger: () => execFileSync(typesTargetPath(), ['calls', '1']) });
  assert.is(stdout.split('\n')[0], `1 1 1 1 ${pageOffset} 1`);
});

needs(test, 'an unknown register, a name that is no literal, a probe without registers', [cc], () => {
  assert.match(compileErrors(`uprobe:${typesTargetPath()}:tsbpf_serial { print(reg("eax")); }`), /'eax' is not a valid register on this architecture \(x86_64\)/);
  assert.match(compileErrors('tracepoint:syscalls:sys_enter_openat { print(reg("ip")); }'), /reg\(\) can only be used in kprobe, uprobe and usdt probes/);
  assert.match(compileErrors(`uprobe:${typesTargetPath()}:tsbpf_serial { $n = "ip"; print(reg($n)); }`), /reg\(\) needs a string literal here/);
});

test.run();
