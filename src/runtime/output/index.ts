// Output formatting: decoded values in, bpftrace's text or JSON out. See values.ts for the model.
export * from './values.js';
export { formatValue, formatStack, hexFormatBuffer } from './value-text.js';
export {
  log2BucketIndex,
  linearBucketIndex,
  buildLog2Histogram,
  buildLinearHistogram,
  formatHistogramRows,
  type Histogram,
  type HistogramLabel,
} from './histogram.js';
export { layoutMap, type PrintOptions, type LaidOutMap, type LaidOutEntry, type LaidOutValue } from './map-layout.js';
export { formatMapText, formatMapsAtExitText, keyText } from './map-text.js';
export { jsonString, jsonInteger, jsonValue, jsonHistogram, jsonMessage, jsonMap } from './json.js';
export {
  parseFormat,
  maxFieldSize,
  type ArgumentClass,
  type Conversion,
  type FormatError,
  type FormatPiece,
  type LengthModifier,
  type ParsedFormat,
  type ParseFormatResult,
  type Specifier,
} from '../../model/format-string.js';
export { formatPrintf, formatConversion } from './printf.js';
export { formatStrftime, defaultTimeFormat, type StrftimeOptions } from './strftime.js';
export { errnoMessage } from './errno-messages.js';
export { textFormat, jsonFormat, type OutputFormat, type Emission, type RuntimeError, type SourceLookup } from './formats.js';
