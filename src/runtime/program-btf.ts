// The small BTF a program with local functions needs: the kernel accepts a BPF_PSEUDO_FUNC (a
// bpf_loop callback) only when func_info names every function of the program. All are `static`, so
// the verifier does not check their argument types against it; the prototypes only have to be valid.
import type { CompiledProgram } from '../model/artifact.js';
import { BtfWriter, encodeFuncInfo } from '../btf/index.js';
import { loadBtf, type BtfHandle } from '../loader/btf-load.js';
import type { ProgramBtf } from '../loader/programs.js';

export interface FunctionBtf {
  /** Close once the program is loaded: the program keeps its own reference. */
  readonly handle: BtfHandle;
  readonly programBtf: ProgramBtf;
}

/** The BTF blob and func_info records for `program` and its local functions. */
function functionBtf(program: Pick<CompiledProgram, 'name' | 'functions'>): { blob: Uint8Array; funcInfo: ReturnType<typeof encodeFuncInfo> } {
  const writer = new BtfWriter();
  const long = writer.int('long', 8, { signed: true });
  const u64 = writer.int('unsigned long', 8);
  const voidPointer = writer.pointer(0);
  const mainPrototype = writer.funcProto(long, [{ name: 'ctx', type: voidPointer }]);
  const callbackPrototype = writer.funcProto(long, [{ name: 'index', type: u64 }, { name: 'ctx', type: voidPointer }]);
  const records = [{ instructionOffset: 0, typeId: writer.func(identifier(program.name), mainPrototype, 'static') }];
  for (const local of program.functions) {
    records.push({ instructionOffset: local.slot, typeId: writer.func(identifier(local.name), callbackPrototype, 'static') });
  }
  return { blob: writer.toBytes(), funcInfo: encodeFuncInfo(records) };
}

export function loadFunctionBtf(program: Pick<CompiledProgram, 'name' | 'functions'>): FunctionBtf {
  const { blob, funcInfo } = functionBtf(program);
  const handle = loadBtf(blob);
  return { handle, programBtf: { fd: handle.fd, ...funcInfo } };
}

/** BTF names must be C identifiers; program and label names may hold other characters. */
function identifier(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}
