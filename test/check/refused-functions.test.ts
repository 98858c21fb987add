// bpftrace stdlib functions tsbpf knows but cannot run in the probes it attaches: each is refused at
// the call with the kernel's rule behind it (issue 16), never "unknown function".
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.js';

function errors(source: string): string[] {
  return compile(source, { fileName: 'test.bt' }).diagnostics.map((diagnostic) => `${diagnostic.span.column}: ${diagnostic.message}`);
}

test('each refused function says why, at its call', () => {
  const source = 'BEGIN { path(1); override(1); socket_cookie(1); skboutput(1, 2, 3, 4); unwatch(1); }';
  assert.equal(errors(source), [
    `${source.indexOf('path') + 1}: path() cannot be used here: bpf_d_path is allowed only in fentry/fexit, LSM and iterator probes`,
    `${source.indexOf('override') + 1}: override() cannot be used here: bpf_override_return is allowed only in kprobe probes on functions marked for error injection`,
    `${source.indexOf('socket_cookie') + 1}: socket_cookie() cannot be used here: bpf_get_socket_cookie needs a BTF-typed socket, which only fentry/fexit probes have`,
    `${source.indexOf('skboutput') + 1}: skboutput() cannot be used here: bpf_skb_output needs a BTF-typed sk_buff, which only fentry/fexit probes have`,
    `${source.indexOf('unwatch') + 1}: unwatch() cannot be used here: it removes a watchpoint probe's breakpoint, and tsbpf has no watchpoint probes`,
  ]);
});

test('their arguments are still checked', () => {
  assert.equal(errors('BEGIN { path($nope); }').filter((message) => message.includes('$nope')).length, 1);
});

test.run();
