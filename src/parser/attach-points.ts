/**
 * Turns the raw text of one attach point (a single token from the lexer) into its structured form,
 * or a diagnostic that points at the offending field.
 */
import { errorAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineMap } from '../diagnostics/line-map.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { AttachPoint, ProviderName, TimerUnit } from './attach-point-ast.js';
import { readInteger } from './literals.js';
import { providerNamed, providerSyntax, unsupportedTopLevelWords } from '../model/provider-syntax.js';

export type AttachPointResult = { ok: true; attachPoint: AttachPoint } | { ok: false; diagnostic: Diagnostic };

interface Field {
  readonly text: string;
  /** Offset of the field's first character in the source. */
  readonly offset: number;
  readonly length: number;
  readonly wildcard: boolean;
}

const timerUnits: ReadonlySet<string> = new Set<TimerUnit>(['ns', 'us', 'ms', 's', 'm', 'h', 'd', 'hz']);
const uprobeLanguages: ReadonlySet<string> = new Set(['cpp', 'c']);

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
function readNumber(text: string): bigint | undefined {
  const reading = readInteger(text);
  return reading.ok ? reading.value : undefined;
}

/** `name+offset` → [name, offset]; a `+` not followed by a number is part of the name. */
function splitOffset(text: string): { name: string; offset?: bigint } {
  const plus = text.lastIndexOf('+');
  if (plus > 0) {
    const offset = readNumber(text.slice(plus + 1));
    if (offset !== undefined) return { name: text.slice(0, plus), offset };
  }
  return { name: text };
}

/** `span` is where `raw` is written; `lines` places the fields of a bad one. */
export function readAttachPoint(raw: string, span: SourceSpan, lines: LineMap): AttachPointResult {
  const all = splitFields(raw, span.offset);
  const providerField = all[0]!;
  const fields = all.slice(1);
  const whole = span;
  const fail = (message: string, at = whole, hint?: string): AttachPointResult => ({
    ok: false,
    diagnostic: errorAt(at, message, hint),
  });
  const spanOf = (field: Field) => lines.span(field.offset, field.length);

  const provider = providerNamed(providerField.text);
  if (provider === undefined) {
    if (fields.length === 0 && unsupportedTopLevelWords.has(providerField.text)) {
      return fail(`'${providerField.text}' definitions are not supported`);
    }
    if (fields.length === 0) return fail(`expected a probe, found '${raw}'`, whole, 'a probe looks like tracepoint:syscalls:sys_enter_openat or BEGIN');
    return fail(`unknown probe type '${providerField.text}'`, spanOf(providerField));
  }
  const usage = providerSyntax[provider].usage;
  const wrongShape = (): AttachPointResult => fail(`${provider} probe '${raw}' does not have the form ${usage}`);
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
  const ok = (attachPoint: AttachPoint): AttachPointResult => ({ ok: true, attachPoint });
  const noWildcard = (kind: ProviderName): AttachPointResult | undefined =>
    common.wildcard ? fail(`wildcards are not allowed in ${kind} probes`, whole) : undefined;
  const texts = common.fields;

  switch (provider) {
    case 'begin':
    case 'end':
      if (fields.length > 0) return fail(`${providerField.text} takes no arguments`);
      return ok({ ...common, provider });
    case 'tracepoint':
      if (fields.length !== 2) return wrongShape();
      return ok({ ...common, provider, category: texts[0]!, event: texts[1]! });
    case 'rawtracepoint':
      if (fields.length === 1) return ok({ ...common, provider, event: texts[0]! });
      if (fields.length === 2) return ok({ ...common, provider, module: texts[0]!, event: texts[1]! });
      return wrongShape();
    case 'kprobe':
    case 'kretprobe': {
      if (fields.length !== 1 && fields.length !== 2) return wrongShape();
      const module = fields.length === 2 ? texts[0]! : undefined;
      const { name, offset: functionOffset } = splitOffset(texts[fields.length - 1]!);
      if (functionOffset !== undefined && provider === 'kretprobe') {
        return fail('a kretprobe cannot have an offset', spanOf(fields[fields.length - 1]!));
      }
      return ok({
        ...common,
        provider,
        ...(module === undefined ? {} : { module }),
        function: name,
        ...(functionOffset === undefined ? {} : { offset: functionOffset }),
      });
    }
    case 'uprobe':
    case 'uretprobe': {
      if (fields.length === 0) return wrongShape();
      let target: string | undefined;
      let language: string | undefined;
      let rest = texts;
      if (fields.length >= 2) {
        target = texts[0]!;
        rest = texts.slice(1);
        if (rest.length >= 2) {
          if (!uprobeLanguages.has(rest[0]!)) return wrongShape();
          language = rest[0]!;
          rest = [rest.slice(1).join(':')];
        }
      }
      const last = fields[fields.length - 1]!;
      const address = language === undefined ? readNumber(rest[0]!) : undefined;
      const split = address === undefined && language === undefined ? splitOffset(rest[0]!) : { name: rest[0]! };
      if (split.offset !== undefined && provider === 'uretprobe') return fail('a uretprobe cannot have an offset', spanOf(last));
      return ok({
        ...common,
        provider,
        ...(target === undefined ? {} : { target }),
        ...(language === undefined ? {} : { language }),
        ...(address === undefined ? { function: split.name } : { address }),
        ...(split.offset === undefined ? {} : { offset: split.offset }),
      });
    }
    case 'usdt':
      if (fields.length === 1) return ok({ ...common, provider, name: texts[0]! });
      if (fields.length === 2) return ok({ ...common, provider, target: texts[0]!, name: texts[1]! });
      if (fields.length === 3) return ok({ ...common, provider, target: texts[0]!, namespace: texts[1]!, name: texts[2]! });
      return wrongShape();
    case 'profile':
    case 'interval': {
      const refused = noWildcard(provider);
      if (refused) return refused;
      if (fields.length === 2) {
        const unit = texts[0]!;
        if (!timerUnits.has(unit)) {
          return fail(`unknown unit '${unit}' in ${provider} probe`, spanOf(fields[0]!), 'units are ns, us, ms, s, m, h, d and hz');
        }
        const value = readNumber(texts[1]!);
        if (value === undefined) return fail(`expected a number, found '${texts[1]}'`, spanOf(fields[1]!));
        return ok({ ...common, provider, unit: unit as TimerUnit, value });
      }
      if (fields.length === 1) {
        const match = /^([0-9][0-9_]*)([a-z]*)$/.exec(texts[0]!);
        const unit = match?.[2] === '' ? 'ns' : match?.[2];
        if (!match || unit === undefined || !timerUnits.has(unit)) {
          return fail(`expected a period such as 1s or 100ms, found '${texts[0]}'`, spanOf(fields[0]!), `expected ${usage}`);
        }
        return ok({ ...common, provider, unit: unit as TimerUnit, value: BigInt(match[1]!.replace(/_/g, '')) });
      }
      return wrongShape();
    }
    case 'software':
    case 'hardware': {
      if (fields.length !== 1 && fields.length !== 2) return wrongShape();
      if (fields.length === 1) return ok({ ...common, provider, event: texts[0]! });
      const count = readNumber(texts[1]!);
      if (count === undefined) return fail(`expected a count, found '${texts[1]}'`, spanOf(fields[1]!));
      return ok({ ...common, provider, event: texts[0]!, count });
    }
    case 'fentry':
    case 'fexit':
      if (fields.length === 1) return ok({ ...common, provider, function: texts[0]! });
      if (fields.length === 2) return ok({ ...common, provider, module: texts[0]!, function: texts[1]! });
      return wrongShape();
    case 'watchpoint':
    case 'asyncwatchpoint': {
      if (fields.length !== 3) return wrongShape();
      const length = readNumber(texts[1]!);
      if (length === undefined) return fail(`expected a length, found '${texts[1]}'`, spanOf(fields[1]!));
      if (!/^[rwx]+$/.test(texts[2]!)) return fail(`expected a mode made of r, w and x, found '${texts[2]}'`, spanOf(fields[2]!));
      return ok({ ...common, provider, target: texts[0]!, length, mode: texts[2]! });
    }
    case 'iter':
      if (fields.length === 1) return ok({ ...common, provider, object: texts[0]! });
      if (fields.length === 2) return ok({ ...common, provider, object: texts[0]!, pin: texts[1]! });
      return wrongShape();
  }
}
