// to_char for timestamp, timestamptz and interval (formatting.c DCH_to_char): PostgreSQL's
// template patterns with the FM/TM prefixes and TH/th suffixes, double-quoted literal text,
// and the C locale's English month and day names.
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY, USECS_PER_SEC, date2j, timestampToParts } from '../datetime-core.js';
import { offsetAtTimestamp, sessionZone } from '../datetime-types.js';
import type { Interval } from '../interval.js';
import type { FormatSettings } from '../api.js';
import { defineFunction } from './define.js';
import { cdiv, dayOfWeek, isoWeek, isoYear, isoWeekToJulian } from './datetime-fields.js';
import { Oid } from './oids.js';

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const romanMonths = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/** Keywords as formatting.c lists them; matched longest first at each position. */
const keywords = [
  'A.D.', 'A.M.', 'AD', 'AM', 'B.C.', 'BC', 'CC', 'DAY', 'DDD', 'DD', 'DY', 'Day', 'Dy', 'D', 'FF1', 'FF2', 'FF3', 'FF4', 'FF5', 'FF6', 'FX',
  'HH24', 'HH12', 'HH', 'IDDD', 'ID', 'IW', 'IYYY', 'IYY', 'IY', 'I', 'J', 'MI', 'MM', 'MONTH', 'MON', 'MS', 'Month', 'Mon', 'OF', 'P.M.', 'PM',
  'Q', 'RM', 'SSSSS', 'SSSS', 'SS', 'TZH', 'TZM', 'TZ', 'US', 'WW', 'W', 'Y,YYY', 'YYYY', 'YYY', 'YY', 'Y',
  'a.d.', 'a.m.', 'ad', 'am', 'b.c.', 'bc', 'cc', 'day', 'ddd', 'dd', 'dy', 'd', 'ff1', 'ff2', 'ff3', 'ff4', 'ff5', 'ff6', 'fx',
  'hh24', 'hh12', 'hh', 'iddd', 'id', 'iw', 'iyyy', 'iyy', 'iy', 'i', 'j', 'mi', 'mm', 'month', 'mon', 'ms', 'of', 'p.m.', 'pm',
  'q', 'rm', 'sssss', 'ssss', 'ss', 'tz', 'us', 'ww', 'w', 'y,yyy', 'yyyy', 'yyy', 'yy', 'y',
].sort((a, b) => b.length - a.length);

type Node = { kind: 'literal'; text: string } | { kind: 'field'; key: string; fill: boolean; suffix: '' | 'TH' | 'th' };

const templateCache = new Map<string, Node[]>();
const templateCacheSizeMax = 256;

/** Splits a template into fields and literal text (parse_format). */
export function parseTemplate(template: string): Node[] {
  const cached = templateCache.get(template);
  if (cached) return cached;
  const nodes: Node[] = [];
  let i = 0;
  const literal = (text: string) => {
    const last = nodes[nodes.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else nodes.push({ kind: 'literal', text });
  };
  while (i < template.length) {
    let fill = false;
    let j = i;
    // Prefixes: FM (fill mode), TM (translation: the C locale is English anyway), FX.
    for (;;) {
      const prefix = template.slice(j, j + 2);
      if (prefix === 'FM' || prefix === 'fm') {
        fill = true;
        j += 2;
      } else if (prefix === 'TM' || prefix === 'tm') j += 2;
      else break;
    }
    const key = keywords.find((k) => template.startsWith(k, j));
    if (key !== undefined) {
      j += key.length;
      let suffix: '' | 'TH' | 'th' = '';
      if (template.startsWith('TH', j)) suffix = 'TH';
      else if (template.startsWith('th', j)) suffix = 'th';
      if (suffix) j += 2;
      if (template.startsWith('SP', j) || template.startsWith('sp', j)) j += 2;
      if (key !== 'FX' && key !== 'fx') nodes.push({ kind: 'field', key, fill, suffix });
      i = j;
      continue;
    }
    if (j > i) {
      // A lone prefix with no keyword after it prints nothing.
      i = j;
      continue;
    }
    const c = template[i]!;
    if (c === '"') {
      // Quoted literal; \" inside inserts a quote.
      i++;
      let text = '';
      while (i < template.length && template[i] !== '"') {
        if (template[i] === '\\' && template[i + 1] === '"') i++;
        text += template[i++]!;
      }
      i++;
      literal(text);
    } else if (c === '\\' && template[i + 1] === '"') {
      literal('"');
      i += 2;
    } else {
      literal(c);
      i++;
    }
  }
  if (templateCache.size >= templateCacheSizeMax) templateCache.clear();
  templateCache.set(template, nodes);
  return nodes;
}

/** Broken-down time as formatting.c sees it (tm_year astronomical for timestamps). */
interface Moment {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  /** Offset east of UTC in seconds, and the zone abbreviation, for timestamptz. */
  offset?: number;
  zoneName?: string;
  interval: boolean;
}

function ordinal(n: number, upper: boolean): string {
  const last2 = Math.abs(n) % 100;
  const last = Math.abs(n) % 10;
  const suffix = last2 >= 11 && last2 <= 13 ? 'th' : last === 1 ? 'st' : last === 2 ? 'nd' : last === 3 ? 'rd' : 'th';
  return upper ? suffix.toUpperCase() : suffix;
}

/** printf("%0*d"): the width counts the sign; `signWidens` is PostgreSQL's (n >= 0 ? w : w + 1). */
function zeroPad(n: number, width: number, fill: boolean, signWidens = false): string {
  if (fill) return String(n);
  const negative = n < 0;
  const digits = String(Math.abs(n)).padStart(negative && !signWidens ? width - 1 : width, '0');
  return negative ? '-' + digits : digits;
}

function casing(text: string, key: string): string {
  if (key === key.toUpperCase()) return text.toUpperCase();
  if (key === key.toLowerCase()) return text.toLowerCase();
  return text;
}

function formatField(node: Extract<Node, { kind: 'field' }>, m: Moment): string {
  const { key, fill } = node;
  const upper = key.toUpperCase();
  const displayYear = m.interval ? m.year : m.year <= 0 ? 1 - m.year : m.year;
  const julian = m.interval ? 0 : date2j(m.year, m.month, m.day);
  const withOrdinal = (n: number, text: string) => (node.suffix ? text + ordinal(n, node.suffix === 'TH') : text);
  const number = (n: number, width: number) => withOrdinal(n, zeroPad(n, width, fill));
  const signed = (n: number, width: number) => withOrdinal(n, zeroPad(n, width, fill, true));
  switch (upper) {
    case 'HH':
    case 'HH12': {
      const hour = m.hour % 12 === 0 ? 12 : m.hour % 12;
      return signed(hour, 2);
    }
    case 'HH24':
      return signed(m.hour, 2);
    case 'MI':
      return signed(m.minute, 2);
    case 'SS':
      return signed(m.second, 2);
    case 'MS':
      return number(Math.floor(m.microsecond / 1000), 3);
    case 'US':
      return number(m.microsecond, 6);
    case 'FF1': case 'FF2': case 'FF3': case 'FF4': case 'FF5': case 'FF6': {
      const digits = Number(upper[2]);
      return number(Math.floor(m.microsecond / 10 ** (6 - digits)), digits);
    }
    case 'SSSS':
    case 'SSSSS':
      return withOrdinal(0, String(m.hour * 3600 + m.minute * 60 + m.second));
    case 'AM': case 'PM':
      return casing(m.hour >= 12 ? 'PM' : 'AM', key);
    case 'A.M.': case 'P.M.':
      return casing(m.hour >= 12 ? 'P.M.' : 'A.M.', key);
    case 'AD': case 'BC':
      return casing(m.year <= 0 && !m.interval ? 'BC' : 'AD', key);
    case 'A.D.': case 'B.C.':
      return casing(m.year <= 0 && !m.interval ? 'B.C.' : 'A.D.', key);
    case 'Y,YYY':
      return withOrdinal(displayYear, `${cdiv(displayYear, 1000)},${String(Math.abs(displayYear % 1000)).padStart(3, '0')}`);
    case 'YYYY':
      return signed(displayYear, 4);
    case 'YYY':
      return number(displayYear % 1000, 3);
    case 'YY':
      return number(displayYear % 100, 2);
    case 'Y':
      return number(displayYear % 10, 1);
    case 'IYYY': case 'IYY': case 'IY': case 'I': {
      const iso = isoYear(m.year, m.month, m.day);
      const shown = iso <= 0 ? 1 - iso : iso;
      const width = upper.length;
      return number(width === 4 ? shown : shown % 10 ** width, width);
    }
    case 'MONTH': {
      const name = casing(monthNames[m.month - 1] ?? '', key);
      return fill ? name : name.padEnd(9);
    }
    case 'MON':
      return casing((monthNames[m.month - 1] ?? '').slice(0, 3), key);
    case 'MM':
      return number(m.month, 2);
    case 'DAY': {
      const name = casing(dayNames[dayOfWeek(julian)]!, key);
      return fill ? name : name.padEnd(9);
    }
    case 'DY':
      return casing(dayNames[dayOfWeek(julian)]!.slice(0, 3), key);
    case 'DDD':
      // For intervals: tm_yday = (years × 12 + months) × 30 + days.
      return number(m.interval ? (m.year * 12 + m.month) * 30 + m.day : julian - date2j(m.year, 1, 1) + 1, 3);
    case 'IDDD': {
      const iso = isoYear(m.year, m.month, m.day);
      return number(julian - isoWeekToJulian(iso, 1) + 1, 3);
    }
    case 'DD':
      return number(m.day, 2);
    case 'D':
      return number(dayOfWeek(julian) + 1, 1);
    case 'ID': {
      const dow = dayOfWeek(julian);
      return number(dow === 0 ? 7 : dow, 1);
    }
    case 'W':
      return number(cdiv(m.day - 1, 7) + 1, 1);
    case 'WW':
      return number(cdiv(julian - date2j(m.year, 1, 1), 7) + 1, 2);
    case 'IW':
      return number(isoWeek(m.year, m.month, m.day), 2);
    case 'CC': {
      const century = m.interval ? cdiv(m.year, 100) : m.year > 0 ? cdiv(m.year - 1, 100) + 1 : cdiv(m.year, 100) - 1;
      return century <= 99 && century >= -99 ? withOrdinal(century, zeroPad(century, century >= 0 ? 2 : 3, fill)) : withOrdinal(century, String(century));
    }
    case 'J':
      return withOrdinal(julian, String(julian));
    case 'Q':
      return number(cdiv(m.month - 1, 3) + 1, 1);
    case 'RM': {
      const roman = casing(romanMonths[m.month - 1] ?? '', key);
      return fill ? roman : roman.padEnd(4);
    }
    case 'TZ':
      return m.zoneName === undefined ? '' : casing(m.zoneName, key);
    case 'TZH': {
      if (m.offset === undefined) return '';
      return `${m.offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(m.offset) / 3600)).padStart(2, '0')}`;
    }
    case 'TZM':
      return m.offset === undefined ? '' : String(Math.floor((Math.abs(m.offset) % 3600) / 60)).padStart(2, '0');
    case 'OF': {
      if (m.offset === undefined) return '';
      const magnitude = Math.abs(m.offset);
      const minutes = Math.floor((magnitude % 3600) / 60);
      return `${m.offset < 0 ? '-' : '+'}${String(Math.floor(magnitude / 3600)).padStart(fill ? 0 : 2, '0')}${minutes ? ':' + String(minutes).padStart(2, '0') : ''}`;
    }
    default:
      return '';
  }
}

export function formatMoment(template: string, moment: Moment): string {
  return parseTemplate(template)
    .map((node) => (node.kind === 'literal' ? node.text : formatField(node, moment)))
    .join('');
}

function zoneAbbreviation(zoneName: string, utcMicros: bigint, offset: number): string {
  const lower = zoneName.toLowerCase();
  if (lower === 'utc' || lower === 'etc/utc' || lower === 'gmt' || lower === 'z') return zoneName.toUpperCase() === 'Z' ? 'UTC' : zoneName.toUpperCase();
  try {
    const milliseconds = Number(utcMicros / 1000n) + Date.UTC(2000, 0, 1);
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zoneName, timeZoneName: 'short' }).formatToParts(new Date(milliseconds)).find((p) => p.type === 'timeZoneName');
    if (part && !/^GMT[+-]/.test(part.value)) return part.value;
  } catch {
    // Not an IANA name: fall through to the numeric form.
  }
  const magnitude = Math.abs(offset);
  const minutes = Math.floor((magnitude % 3600) / 60);
  return `${offset < 0 ? '-' : '+'}${String(Math.floor(magnitude / 3600)).padStart(2, '0')}${minutes ? String(minutes).padStart(2, '0') : ''}`;
}

function timestampMoment(local: bigint, offset?: number, zoneName?: string): Moment {
  const p = timestampToParts(local);
  return { ...p, offset, zoneName, interval: false };
}

function toCharTimestamp(value: bigint, template: string, zone: { settings: FormatSettings } | undefined): string | null {
  if (value === TIMESTAMP_INFINITY || value === TIMESTAMP_MINUS_INFINITY) return null;
  if (template === '') return null;
  // Without a zone the offset fields print UTC's (+00, 00) and TZ prints nothing.
  if (!zone) return formatMoment(template, timestampMoment(value, 0));
  const offset = offsetAtTimestamp(sessionZone(zone.settings), value);
  return formatMoment(template, timestampMoment(value + BigInt(offset) * USECS_PER_SEC, offset, zoneAbbreviation(zone.settings.timeZone, value, offset)));
}

function toCharInterval(value: Interval, template: string): string | null {
  if (template === '') return null;
  const micros = value.micros;
  const hour = Number(micros / 3_600_000_000n);
  const minute = Number((micros / 60_000_000n) % 60n);
  const second = Number((micros / USECS_PER_SEC) % 60n);
  const microsecond = Number(micros % USECS_PER_SEC);
  return formatMoment(template, {
    year: cdiv(value.months, 12),
    month: value.months % 12,
    day: value.days,
    hour,
    minute,
    second,
    microsecond,
    interval: true,
  });
}

defineFunction('to_char', [Oid.timestamp, Oid.text], Oid.text, ([v, t]) => toCharTimestamp(v as bigint, t as string, undefined), { volatility: 'stable' });
defineFunction('to_char', [Oid.timestamptz, Oid.text], Oid.text, ([v, t], c) => toCharTimestamp(v as bigint, t as string, { settings: c.settings }), { volatility: 'stable' });
defineFunction('to_char', [Oid.interval, Oid.text], Oid.text, ([v, t]) => toCharInterval(v as Interval, t as string), { volatility: 'stable' });
