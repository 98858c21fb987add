// What the providers hand the kernel, byte for byte, for the probe kinds this kernel cannot attach
// (kprobe, fentry) as well as those it can: perf_event_attr for the dynamic PMUs, the kprobe_events
// lines, the PROG_LOAD fields of a trampoline program, and the sysfs format parsing behind them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachType, ProgramType } from '../../src/bpf/uapi.generated.js';
import { openVmlinuxBtf } from '../../src/btf/index.js';
import { packPerfEventAttr } from '../../src/loader/attr/perf-event-attr.js';
import { packProgLoad } from '../../src/loader/attr/prog-load.js';
import { argumentFields } from '../../src/providers/btf-arguments.js';
import { fentryProvider } from '../../src/providers/fentry.js';
import { rawTracepointProvider } from '../../src/providers/rawtracepoint.js';
import { uprobeProvider } from '../../src/providers/uprobe.js';
import { dynamicPmu, hasHardwarePmu, parseFormatBit } from '../../src/host/kernel-support.js';
import { kprobeEventDefinition } from '../../src/providers/kprobe-events.js';
import { pmuProbeAttr } from '../../src/providers/probe-pmu.js';

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

test('uretprobe with a semaphore: type, retprobe bit and ref_ctr_offset in config, path pointer, file offset', () => {
  const pmu = { type: 8, retprobeBit: 0, refCtrShift: 32 };
  const attr = packPerfEventAttr(pmuProbeAttr({ pmu, target: '/bin/true', offset: 0x1234, isReturn: true, refCtrOffset: 0x4060 }, 0xdead_beefn));
  const fields = view(attr);
  assert.is(fields.getUint32(0, true), 8); // type
  assert.is(fields.getUint32(4, true), 128); // size
  assert.is(fields.getBigUint64(8, true), (0x4060n << 32n) | 1n); // config
  assert.is(fields.getBigUint64(16, true), 1n); // sample_period: every hit
  assert.is(fields.getUint32(48, true), 1); // wakeup_events
  assert.is(fields.getBigUint64(56, true), 0xdead_beefn); // config1: the path
  assert.is(fields.getBigUint64(64, true), 0x1234n); // config2: the file offset
});

test('kprobe through the PMU: symbol pointer and offset, no return bit', () => {
  const attr = view(packPerfEventAttr(pmuProbeAttr({ pmu: { type: 6, retprobeBit: 0 }, target: 'vfs_read', offset: 16, isReturn: false }, 0x1000n)));
  assert.is(attr.getUint32(0, true), 6);
  assert.is(attr.getBigUint64(8, true), 0n);
  assert.is(attr.getBigUint64(56, true), 0x1000n);
  assert.is(attr.getBigUint64(64, true), 16n);
  const kretprobe = view(packPerfEventAttr(pmuProbeAttr({ pmu: { type: 6, retprobeBit: 0 }, target: 'vfs_read', offset: 0, isReturn: true }, 0x1000n)));
  assert.is(kretprobe.getBigUint64(8, true), 1n);
});

test('a semaphore needs a PMU with ref_ctr_offset', () => {
  assert.throws(() => pmuProbeAttr({ pmu: { type: 8, retprobeBit: 0 }, target: '/bin/true', offset: 0, isReturn: false, refCtrOffset: 8 }, 1n), /ref_ctr_offset/);
});

test('kprobe_events definitions and their removal', () => {
  assert.equal(kprobeEventDefinition('vfs_read', 0, false, 1234, 0), {
    event: 'p_1234_0_vfs_read', line: 'p:tsbpf/p_1234_0_vfs_read vfs_read+0\n', removal: '-:tsbpf/p_1234_0_vfs_read\n',
  });
  assert.equal(kprobeEventDefinition('ext4:ext4_sync_file', 8, true, 7, 3), {
    event: 'r_7_3_ext4_ext4_sync_file', line: 'r:tsbpf/r_7_3_ext4_ext4_sync_file ext4:ext4_sync_file\n', removal: '-:tsbpf/r_7_3_ext4_ext4_sync_file\n',
  });
});

test('sysfs PMU format bits', () => {
  assert.is(parseFormatBit('config:0\n'), 0);
  assert.is(parseFormatBit('config:32-63\n'), 32);
  assert.is(parseFormatBit('config1:0-63'), undefined);
  const root = mkdtempSync(join(tmpdir(), 'tsbpf-pmu-'));
  mkdirSync(join(root, 'uprobe', 'format'), { recursive: true });
  writeFileSync(join(root, 'uprobe', 'type'), '8\n');
  writeFileSync(join(root, 'uprobe', 'format', 'retprobe'), 'config:0\n');
  writeFileSync(join(root, 'uprobe', 'format', 'ref_ctr_offset'), 'config:32-63\n');
  assert.equal(dynamicPmu('uprobe', root), { type: 8, retprobeBit: 0, refCtrShift: 32 });
  assert.is(dynamicPmu('kprobe', root), undefined);
  assert.is(hasHardwarePmu(root), false);
  for (const name of ['software', 'tracepoint', 'msr']) mkdirSync(join(root, name));
  assert.is(hasHardwarePmu(root), false);
  mkdirSync(join(root, 'cpu'));
  assert.is(hasHardwarePmu(root), true);
});

test('fentry/fexit load as TRACING with the function\'s BTF id; fexit\'s retval follows the arguments', () => {
  const btf = openVmlinuxBtf();
  const vfsRead = btf.findType('vfs_read', 'func')!;
  const { fields, slotCount } = argumentFields(btf, btf.funcPrototype(vfsRead.id)!.params);
  assert.equal(fields.map((field) => [field.name, field.offset]), [['file', 0], ['buf', 8], ['count', 16], ['pos', 24]]);
  assert.is(slotCount, 4);
  const kernelFunction = { name: 'vfs_read', btfId: vfsRead.id, isReturn: true, returnSlot: slotCount };
  const load = fentryProvider.programLoad({ kind: 'rawtracepoint', fields, kernelFunction });
  assert.equal(load, { programType: ProgramType.TRACING, expectedAttachType: AttachType.TRACE_FEXIT, attachBtfId: vfsRead.id });
  assert.is(fentryProvider.programLoad({ kind: 'rawtracepoint', kernelFunction: { ...kernelFunction, isReturn: false } }).expectedAttachType, AttachType.TRACE_FENTRY);
  const attr = view(packProgLoad({ programType: load.programType, instructionCount: 2, instructions: 1n, license: 2n, expectedAttachType: load.expectedAttachType, attachBtfId: load.attachBtfId }));
  assert.is(attr.getUint32(0, true), 26);
  assert.is(attr.getUint32(68, true), 25);
  assert.is(attr.getUint32(108, true), vfsRead.id);
  assert.equal(rawTracepointProvider.programLoad({ kind: 'rawtracepoint' }), { programType: ProgramType.RAW_TRACEPOINT });
  assert.equal(uprobeProvider.programLoad({ kind: 'registers', space: 'user', isReturn: false }), { programType: ProgramType.KPROBE });
});

test.run();
