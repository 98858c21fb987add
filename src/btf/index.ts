// BTF: build blobs for programs and maps (writer, func_info) and read the kernel's own type
// information (reader) for struct layouts and function prototypes. Loading a blob (BPF_BTF_LOAD) is
// the loader's (loader/btf-load.ts).
export { BtfError, type BtfKind, type Linkage, POINTER_SIZE } from './format.js';
export type { BtfEnumValue, BtfMember, BtfParam, BtfSectionVariable, BtfType, BtfTypeOf, BtfTypeSource, TypeId } from './types.js';
export { BtfWriter, type IntOptions, type MemberSpec, type ParamSpec, type SectionVariableSpec } from './writer.js';
export {
  encodeFuncInfo, encodeLineInfo, FUNC_INFO_RECORD_SIZE, type FuncInfoRecord, type FuncInfoSection,
  LINE_INFO_RECORD_SIZE, type LineInfoRecord, type LineInfoSection,
} from './func-info.js';
export { BtfReader, openVmlinuxBtf, parseBtf, VMLINUX_BTF_PATH } from './reader.js';
export { BtfLookupError, type MemberLocation } from './layout.js';
export { globToRegExp, isGlob } from './glob.js';
