// C types over user memory: a small C program built here (test/fixtures/c/types-target.c) passes its
// functions pointers to structs of the kernel's uapi that it filled with known values; uprobes cast
// argN to the kernel's BTF type of the same name and read them. Every width and sign, unions,
// bitfields, arrays by constant and variable index, char arrays, nested structs, a pointer to a
// pointer; struct values printed, kept in maps, used as keys, in text and in JSON.
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileErrors, run } from './harness.js';
import { cc, kernelBtf, needs } from '../support/skip.js';
import { typesTargetPath } from './types-target.js';

const requirements = [kernelBtf, cc];
const target = (): string => typesTargetPath();
const calls = (count: number) => () => execFileSync(target(), ['calls', String(count)]);
const lock = '{ .l_type = -2, .l_whence = 1, .l_start = -5000000000, .l_len = 42, .l_pid = -7 }';
const lockJson = '{"l_type": -2, "l_whence": 1, "l_start": -5000000000, "l_len": 42, "l_pid": -7}';
const lockKey = '{.l_type=-2,.l_whence=1,.l_start=-5000000000,.l_len=42,.l_pid=-7}';

needs(test, 'integers of every width and sign, read from user memory at BTF\'s offsets', requirements, async () => {
  const { stdout } = await run(`uprobe:${target()}:tsbpf_serial {
    $s = (struct serial_struct *)arg0;
    printf("%d %d %u %u %d %d %u %u %u %lu\\n", $s->type, $s->line, $s->port, $s->io_type, $s->custom_divisor, $s->hub6,
      $s->close_delay, $s->closing_wait, *$s->iomem_base, $s->iomap_base);
    $l = (struct flock *)arg2;
    printf("%d %d %ld %ld %d\\n", $l->l_type, $l->l_whence, $l->l_start, $l->l_len, $l->l_pid);
    $k = (struct ethtool_link_settings *)arg3;
    printf("%d %u %u %u\\n", $k->link_mode_masks_nwords, $k->duplex, $k.speed, $k.reserved[6]);
  }`, { trigger: calls(1) });
  // The kernel builds with -funsigned-char: its `char io_type` holds -5 as 251.
  assert.is(stdout, `-3 -70000 4000000000 251 -1 7 60000 65535 250 ${0xfedcba9876543210n}\n-2 1 -5000000000 42 -7\n-3 200 10000 ${0xfeedface}\n\n\n`);
});

needs(test, 'a pointer to a pointer: -> and . look through both levels, * takes one', requirements, async () => {
  const { stdout } = await run(`uprobe:${target()}:tsbpf_serial {
    $pp = (struct serial_struct **)arg1;
    printf("%d %d %d %x\\n", $pp->line, (*$pp)->irq, $pp.hub6, (**$pp).port_high);
  }`, { trigger: calls(1) });
  assert.is(stdout, '-70000 17 7 deadbeef\n\n\n');
});

needs(test, 'struct values: printed, kept in maps and tuples, used as map keys', requirements, async () => {
  const { stdout } = await run(`uprobe:${target()}:tsbpf_serial {
    $l = (struct flock *)arg2;
    print(*$l);
    @locks[*$l] = count();
    @last = *$l;
    @tuple = (arg4, *$l);
    $copy = *$l;
    printf("%d %ld\\n", $copy.l_pid, @last.l_start);
  }`, { trigger: calls(2) });
  assert.is(stdout, [
    lock, '-7 -5000000000', lock, '-7 -5000000000', '', '',
    `@last: ${lock}`,
    `@locks[${lock}]: 2`,
    `@tuple: (1, ${lock})`, '',
  ].join('\n'));
});

needs(test, 'struct values in JSON: objects, and map keys as their text without spaces', requirements, async () => {
  const { stdout } = await run(`uprobe:${target()}:tsbpf_serial {
    $l = (struct flock *)arg2;
    print(*$l);
    @locks[*$l, 7] = count();
    @tuple = (1, *$l);
  }`, { trigger: calls(1), format: 'json' });
  assert.is(stdout, [
    `{"type": "value", "data": ${lockJson}}`,
    `{"type": "map", "data": {"@locks": {"${lockKey},7": 1}}}`,
    `{"type": "map", "data": {"@tuple": [1,${lockJson}]}}`, '',
  ].join('\n'));
});

needs(test, 'unions and bitfields: every member of a union reads the same bytes; bitfields are shifted and masked', requirements, async () => {
  const { stdout } = await run(`uprobe:${target()}:tsbpf_system {
    $a = (struct perf_event_attr *)arg0;
    printf("%u %lu %lu %u %u %u %u %u %u %u\\n", $a->type, $a->sample_freq, $a->sample_period, $a->freq, $a->disabled,
      $a->inherit, $a->pinned, $a->exclude_kernel, $a->precise_ip, $a->sigtrap);
    printf("%u %u %lx %lx %d %u %u\\n", $a->wakeup_events, $a->wakeup_watermark, $a->config1, $a->kprobe_func, $a->clockid,
      $a->sample_max_stack, $a->aux_start_paused);
  }`, { trigger: calls(1) });
  assert.is(stdout, '1 4000 4000 1 1 0 0 1 3 1\n9 9 8000000000000001 8000000000000001 -1 127 0\n\n\n');
});

needs(test, 'arrays by constant and by variable index; an index past the end warns at run time and reads on', requirements, async () => {
  const { stdout, stderr } = await run(`uprobe:${target()}:tsbpf_system {
    $i = (struct sysinfo *)arg1;
    printf("%d %lu %lu %u %u\\n", $i->uptime, $i->loads[1], $i->loads[arg4], $i->procs, $i->mem_unit);
    @loads = $i->loads;
  }`, { trigger: calls(4) });
  assert.is(stdout, [
    '-12345 200 100 65535 4096', '-12345 200 200 65535 4096', '-12345 200 300 65535 4096', `-12345 200 ${1n << 40n} 65535 4096`,
    '', '', '@loads: [100,200,300]', '',
  ].join('\n'));
  assert.match(stderr, /WARNING: Array access out of bounds\. This can lead to unexpected results\./);
  assert.is(stderr.match(/Array access out of bounds/g)!.length, 1);
});

needs(test, 'char arrays are strings: printf %s, map keys, indexing a byte', requirements, async () => {
  const { stdout } = await run(`uprobe:${target()}:tsbpf_system {
    $n = (struct new_utsname *)arg2;
    printf("%s %s|%s %d\\n", $n->sysname, $n->release, $n.machine, $n->sysname[1]);
    @[$n->nodename] = count();
  }`, { trigger: calls(1) });
  assert.is(stdout, `Linux 6.18.0-test|x86_64 ${'i'.charCodeAt(0)}\n\n\n@[tsbpf-node]: 1\n`);
});

needs(test, 'nested structs: a member\'s members, and whole nested values printed', requirements, async () => {
  const { stdout } = await run(`uprobe:${target()}:tsbpf_system {
    $u = (struct rusage *)arg3;
    printf("%d %d %d\\n", $u->ru_utime.tv_sec, $u.ru_stime.tv_usec, $u->ru_maxrss);
    print($u->ru_utime);
    @stime = $u->ru_stime;
  }`, { trigger: calls(1) });
  assert.is(stdout, '3 250 -9\n{ .tv_sec = 3, .tv_usec = 500000 }\n\n\n@stime: { .tv_sec = 1, .tv_usec = 250 }\n');
});

needs(test, 'a constant index past a known array bound is an error at compile time', requirements, () => {
  const program = `uprobe:${target()}:tsbpf_system { $i = (struct sysinfo *)arg1; print($i->loads[3]); }`;
  const at = program.indexOf('$i->loads[3]') + 1;
  assert.is(compileErrors(program), [
    `test.bt:1:${at}-${at + 12}: ERROR: the index 3 is out of bounds for array of size 3`,
    program,
    `${' '.repeat(at - 1)}${'~'.repeat(12)}`,
    '',
  ].join('\n'));
});

test.run();
