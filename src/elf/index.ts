// The ELF reader: headers, symbols, notes, USDT probes, address ↔ file-offset conversion, and
// uprobe target resolution.
export { ElfFile } from './elf-file.js';
export { ElfError, type ElfErrorKind } from './errors.js';
export type { ElfHeader, ElfSection, ElfSegment } from './headers.js';
export { ElfType, ElfMachine, SectionType, SegmentType, type SymbolType, type SymbolBinding, type SymbolVisibility } from './constants.js';
export { isDefinedFunction, versionedName, type ElfSymbol, type SymbolTableKind } from './symbols.js';
export type { SymbolVersion } from './versions.js';
export type { ElfNote } from './notes.js';
export { StringTable } from './strings.js';
export { debugLink, findDebugFile } from './debug-file.js';
export { fileOffsetOfAddress, addressOfFileOffset } from './address.js';
export { readUsdtProbes, type UsdtProbe } from './usdt.js';
export { lookupRegister, parseUsdtArgument, parseUsdtArguments, ptRegsOffset, type NamedRegister, type UsdtArgumentsResult } from './usdt-arguments.js';
export { type UsdtArgument, type UsdtLocation } from '../model/probe.js';
export type { X86Register } from '../model/x86-registers.js';
export { functionTargets, matchFunctions, type FunctionTarget } from './functions.js';
export { parseLdCache, readLdCache, nativeCacheFlags, type LdCacheEntry } from './ld-cache.js';
export { findInLdCache, libraryNamePrefixes, resolveTarget, type TargetOptions, type TargetResolution, type TargetSource } from './target.js';
export { expandTargetPattern, isTargetPattern, type TargetPatternOptions } from './target-pattern.js';
export { x86InstructionBoundary, x86InstructionLength, type InstructionBoundary } from './x86-instruction-length.js';
