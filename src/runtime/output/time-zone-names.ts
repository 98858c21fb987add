// The time zone abbreviation C's strftime prints for `%Z` (`CET`, `EDT`, `IST`). Node's Intl names
// zones per locale (`GMT+1` in en-US for CET), so this reads the zone's TZif file as the C library
// does: `TZ` names a file under /usr/share/zoneinfo (or a path), unset means /etc/localtime. Without
// a readable file it falls back to Intl.

import { readFileSync } from 'node:fs';

interface ZoneType {
  offsetSeconds: number;
  abbreviation: string;
}

interface Zone {
  transitions: number[];
  transitionTypes: number[];
  types: ZoneType[];
  /** From the POSIX TZ rule after the last transition: names for standard and daylight time. */
  rule: { standard: string; standardOffsetSeconds: number; daylight: string | undefined } | undefined;
}

let cached: { setting: string | undefined; zone: Zone | undefined } | undefined;

/** The abbreviation in force at `epochSeconds`, whose UTC offset is `offsetSeconds`. */
export function zoneAbbreviation(date: Date, epochSeconds: number, offsetSeconds: number): string {
  const setting = process.env['TZ'];
  if (!cached || cached.setting !== setting) cached = { setting, zone: loadZone(setting) };
  const zone = cached.zone;
  if (!zone) return intlName(date);
  const { transitions } = zone;
  if (transitions.length > 0 && (epochSeconds < transitions[transitions.length - 1]! || !zone.rule)) {
    let low = 0;
    let high = transitions.length - 1;
    if (epochSeconds < transitions[0]!) return zone.types[0]?.abbreviation ?? intlName(date);
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (transitions[middle]! <= epochSeconds) low = middle;
      else high = middle - 1;
    }
    return zone.types[zone.transitionTypes[low]!]?.abbreviation ?? intlName(date);
  }
  if (zone.rule) {
    const { standard, standardOffsetSeconds, daylight } = zone.rule;
    return daylight !== undefined && offsetSeconds !== standardOffsetSeconds ? daylight : standard;
  }
  return zone.types[0]?.abbreviation ?? intlName(date);
}

function loadZone(setting: string | undefined): Zone | undefined {
  const name = setting?.startsWith(':') ? setting.slice(1) : setting;
  const path = name === undefined || name === '' ? '/etc/localtime' : name.startsWith('/') ? name : `/usr/share/zoneinfo/${name}`;
  try {
    return parseTzif(readFileSync(path));
  } catch {
    return undefined;
  }
}

function parseTzif(data: Buffer): Zone | undefined {
  if (data.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const version = data[4]!;
  let header = 0;
  let timeSize = 4;
  if (version >= 0x32) {
    // Skip the 32-bit block; the 64-bit one follows with its own header.
    header = 44 + blockSize(data, 0, 4);
    timeSize = 8;
  }
  const counts = [0, 1, 2, 3, 4, 5].map((index) => data.readUInt32BE(header + 20 + index * 4));
  const [utCount, standardCount, leapCount, timeCount, typeCount, charCount] = counts as [number, number, number, number, number, number];
  let position = header + 44;
  const transitions: number[] = [];
  for (let index = 0; index < timeCount; index++, position += timeSize) {
    transitions.push(timeSize === 8 ? Number(data.readBigInt64BE(position)) : data.readInt32BE(position));
  }
  const transitionTypes = Array.from(data.subarray(position, position + timeCount));
  position += timeCount;
  const typeStart = position;
  const charStart = typeStart + typeCount * 6;
  const types: ZoneType[] = [];
  for (let index = 0; index < typeCount; index++) {
    const entry = typeStart + index * 6;
    const abbreviationStart = charStart + data[entry + 5]!;
    const end = data.indexOf(0, abbreviationStart);
    types.push({ offsetSeconds: data.readInt32BE(entry), abbreviation: data.toString('latin1', abbreviationStart, end) });
  }
  position = charStart + charCount + leapCount * (timeSize + 4) + standardCount + utCount;
  let rule: Zone['rule'];
  if (timeSize === 8 && data[position] === 0x0a) {
    const footerEnd = data.indexOf(0x0a, position + 1);
    rule = parseRule(data.toString('latin1', position + 1, footerEnd === -1 ? data.length : footerEnd));
  }
  return { transitions, transitionTypes, types, rule };
}

function blockSize(data: Buffer, header: number, timeSize: number): number {
  const count = (index: number) => data.readUInt32BE(header + 20 + index * 4);
  return count(3) * (timeSize + 1) + count(4) * 6 + count(5) + count(2) * (timeSize + 4) + count(1) + count(0);
}

// A POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3` or `<+0530>-5:30`: the standard name, its
// offset (west of UTC positive), then an optional daylight name.
function parseRule(rule: string): Zone['rule'] {
  const match = /^(<[^>]*>|[A-Za-z]+)([+-]?\d+(?::\d+){0,2})(<[^>]*>|[A-Za-z]+)?/.exec(rule);
  if (!match) return undefined;
  const unquote = (name: string) => (name.startsWith('<') ? name.slice(1, -1) : name);
  const [hours = '0', minutes = '0', seconds = '0'] = match[2]!.replace(/^[+-]/, '').split(':');
  const west = Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
  return {
    standard: unquote(match[1]!),
    standardOffsetSeconds: match[2]!.startsWith('-') ? west : -west,
    daylight: match[3] === undefined ? undefined : unquote(match[3]),
  };
}

let intlFormatter: { setting: string | undefined; format: Intl.DateTimeFormat } | undefined;

function intlName(date: Date): string {
  const setting = process.env['TZ'];
  if (!intlFormatter || intlFormatter.setting !== setting) {
    intlFormatter = { setting, format: new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }) };
  }
  return intlFormatter.format.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? '';
}
