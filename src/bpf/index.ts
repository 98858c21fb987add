// The eBPF instruction layer: plain-data instructions, builders, the assembler, the decoder and
// disassembler, the opcode tables and the constants generated from the uapi header.
export * from './instruction.js';
export * from './registers.js';
export * from './asm.js';
export * from './assembler.js';
export { encode, hostLittleEndian, SLOT_BYTES } from './encode.js';
export * from './decode.js';
export * from './disassemble.js';
export * from './listing.js';
export * from './opcodes.js';
export * from './uapi.generated.js';
