// Addresses → names: kernel symbols from /proc/kallsyms, user symbols through /proc/PID/maps and
// the mapped ELF files, and the Symbolizer that the runtime uses to print stacks, ksym() and usym().
export { kallsymsText, KernelSymbols, runningKernelSymbols, type KernelSymbol } from './kernel-symbols.js';
export { FunctionIndex, type FunctionSymbol } from './function-index.js';
export { ModuleCache, type LoadedModule, type ModuleCacheOptions } from './module-cache.js';
export { PerfMap, readPerfMap, type PerfMapSymbol } from './perf-map.js';
export { isFileMapping, mappingAt, parseProcessMaps, readProcessMaps, type MemoryMapping } from './process-maps.js';
export { ProcessSymbols, type ProcessSymbolsOptions, type UserSymbol } from './process-symbols.js';
export { stackAddresses, Symbolizer, type SymbolizerOptions } from './symbolizer.js';
export { unknownAddressText } from './address-text.js';
