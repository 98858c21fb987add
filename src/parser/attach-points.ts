/**
 * Turns the raw text of one attach point (a single token from the lexer) into its structured form,
 * or a diagnostic that points at the offending field. This module splits the fields and finds the
 * provider; the provider's syntax entry (from its record, handed in by the caller) reads the rest,
 * with readNumber and splitOffset from here.
 */
import { errorAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineMap } from '../diagnostics/line-map.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { AttachPoint } from './attach-point-ast.js';
import { readInteger } from './literals.js';
import type { AttachPointReader, ProviderSyntaxTable } from '../model/provider-syntax.js';

export type AttachPointResult = { ok: true; attachPoint: AttachPoint } | { ok: false; diagnostic: Diagnostic };

interface Field {
  readonly text: string;
  /** Offset of the field's first character in the source. */
  readonly offset: number;
  readonly length: number;
  readonly wildcard: boolean;
}

/** Words that start other top-level constructs that tsbpf does not support yet. */
const unsupportedTopLevelWords: ReadonlySet<string> = new Set(['macro', 'fn', 'import']);

/** Splits at `:` outside double quotes; quotes are removed and protect `*`, `?` and `:`. */
function splitFields(raw: string, offset: number): Field[] {
  const fields: Field[] = [];
  if (!raw.includes('"')) {
    let start = 0;
    for (const text of raw.split(':')) {
      fields.push({ text, offset: offset + start, length: text.length, wildcard: text.includes('*') || text.includes('?') });
      start += text.length + 1;
    }
    return fields;
  }
  let text = '';
  let start = 0;
  let wildcard = false;
  let quoted = false;
  for (let index = 0; index <= raw.length; index += 1) {
    const char = raw[index];
    if (index === raw.length || (char === ':' && !quoted)) {
      fields.push({ text, offset: offset + start, length: index - start, wildcard });
      text = '';
      start = index + 1;
      wildcard = false;
    } else if (char === '"') quoted = !quoted;
    else {
      if (!quoted && (char === '*' || char === '?')) wildcard = true;
      text += char;
    }
  }
  return fields;
}

/**
 * A number as the language reads one (`1000000`, `1e6`, `0x10`, `1_000`, `017` octal), as bpftrace
 * reads the numbers of an attach point; undefined if the text is not one.
 */
export function readNumber(text: string): bigint | undefined {
  const reading = readInteger(text);
  return reading.ok ? reading.value : undefined;
}

/** `name+offset` → [name, offset]; a `+` not followed by a number is part of the name. */
export function splitOffset(text: string): { name: string; offset?: bigint } {
  const plus = text.lastIndexOf('+');
  if (plus > 0) {
    const offset = readNumber(text.slice(plus + 1));
    if (offset !== undefined) return { name: text.slice(0, plus), offset };
  }
  return { name: text };
}

/**
 * `span` is where `raw` is written; `lines` places the fields of a bad one. The provider's entry in
 * `providers` reads its own fields (each provider record says how).
 */
export function readAttachPoint(raw: string, span: SourceSpan, lines: LineMap, providers: ProviderSyntaxTable): AttachPointResult {
  const all = splitFields(raw, span.offset);
  const providerField = all[0]!;
  const fields = all.slice(1);
  const whole = span;
  const fail = (message: string, at = whole, hint?: string): AttachPointResult => ({
    ok: false,
    diagnostic: errorAt(at, message, hint),
  });
  const spanOf = (field: Field) => lines.span(field.offset, field.length);

  const syntax = providers.named(providerField.text);
  if (syntax === undefined) {
    if (fields.length === 0 && unsupportedTopLevelWords.has(providerField.text)) {
      return fail(`'${providerField.text}' definitions are not supported`);
    }
    if (fields.length === 0) return fail(`expected a probe, found '${raw}'`, whole, 'a probe looks like tracepoint:syscalls:sys_enter_openat or BEGIN');
    return fail(`unknown probe type '${providerField.text}'`, spanOf(providerField));
  }
  const provider = syntax.name;
  const usage = syntax.usage;
  for (const field of fields) {
    if (field.text === '' && field.length === 0) return fail(`empty field in ${provider} probe '${raw}'`, spanOf(field), `expected ${usage}`);
  }
  const common = {
    kind: 'attachPoint' as const,
    span: whole,
    raw,
    providerSpelling: providerField.text,
    fields: fields.map((field) => field.text),
    wildcard: fields.some((field) => field.wildcard),
  };
  let refusal: AttachPointResult | undefined;
  const reader: AttachPointReader = {
    provider,
    spelling: providerField.text,
    raw,
    usage,
    texts: common.fields,
    wildcard: common.wildcard,
    fail(message, field, hint) {
      refusal = fail(message, field === undefined ? whole : spanOf(fields[field]!), hint);
      return undefined;
    },
    wrongShape: () => reader.fail(`${provider} probe '${raw}' does not have the form ${usage}`),
  };
  const own = syntax.read(reader);
  if (own === undefined) return refusal ?? fail(`${provider} probe '${raw}' does not have the form ${usage}`);
  return { ok: true, attachPoint: { ...common, provider, ...own } as AttachPoint };
}
