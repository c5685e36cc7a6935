// Flexible date/time input in the spirit of PostgreSQL's ParseDateTime/DecodeDateTime: ISO
// 8601 ('1999-01-08 04:05:06.789+02', 'T' separator), 'Jan 8 1999', '8 January 1999',
// 'January 8, 1999 4:05 PM', '1/8/1999' (per DateStyle's MDY/DMY/YMD), '19990108', BC/AD,
// time zones (Z, ±hh[:mm[:ss]], abbreviations, IANA names) and the special words.
import { findZone, parseOffsetDigits, zoneAbbreviations } from './timezone.js';

export type SpecialWord = 'epoch' | 'infinity' | '-infinity' | 'now' | 'today' | 'tomorrow' | 'yesterday' | 'allballs';

export interface ParsedDateTime {
  special?: SpecialWord;
  year?: number; // astronomical
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  microsecond?: number;
  /** Explicit offset, seconds east of UTC. */
  offsetSeconds?: number;
  /** A named zone whose offset depends on the date (IANA). */
  zoneName?: string;
}

/** Parse failure kinds: bad syntax (22007) or a field out of range (22008). */
export class DateTimeParseError extends Error {
  constructor(readonly kind: 'syntax' | 'range') {
    super(kind);
  }
}

const monthNames: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11,
  dec: 12, december: 12,
};
const dayNames = new Set(['sun', 'sunday', 'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed', 'wednesday', 'thu', 'thur', 'thurs', 'thursday', 'fri', 'friday', 'sat', 'saturday']);
const specialWords = new Set<SpecialWord>(['epoch', 'infinity', '-infinity', 'now', 'today', 'tomorrow', 'yesterday', 'allballs']);

type Token =
  | { type: 'number'; text: string }
  | { type: 'date'; parts: string[] }
  | { type: 'time'; text: string }
  | { type: 'word'; text: string }
  | { type: 'offset'; sign: number; text: string };

function fail(kind: 'syntax' | 'range' = 'syntax'): never {
  throw new DateTimeParseError(kind);
}

function tokenize(input: string): Token[] {
  const text = input.toLowerCase();
  const tokens: Token[] = [];
  let i = 0;
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const isAlpha = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',') {
      i++;
      continue;
    }
    if (isDigit(c)) {
      let j = i;
      while (isDigit(text[j])) j++;
      if (text[j] === ':') {
        while (isDigit(text[j]) || text[j] === ':' || text[j] === '.') j++;
        tokens.push({ type: 'time', text: text.slice(i, j) });
      } else if (j - i >= 6 && /^[-+]\d+(?::\d+)*(?:\s|$)/.test(text.slice(j))) {
        tokens.push({ type: 'number', text: text.slice(i, j) }); // 'hhmmss-08': the sign starts a zone
      } else if (text[j] === '-' || text[j] === '/' || (text[j] === '.' && /^\.\d+\./.test(text.slice(j)))) {
        const separator = text[j]!;
        while (isDigit(text[j]) || isAlpha(text[j]) || text[j] === separator) j++;
        // ISO 8601 'T' glued to a date: '1999-01-08t04:05'
        let dateText = text.slice(i, j);
        const glued = /^(.*\d)t(\d.*)$/.exec(dateText);
        if (glued && separator === '-') {
          j = i + glued[1]!.length + 1;
          dateText = glued[1]!;
        }
        tokens.push({ type: 'date', parts: dateText.split(separator) });
      } else if (text[j] === '.') {
        j++;
        while (isDigit(text[j])) j++;
        tokens.push({ type: 'number', text: text.slice(i, j) });
      } else if (text[j] === 't' && isDigit(text[j + 1])) {
        tokens.push({ type: 'number', text: text.slice(i, j) });
        j++; // ISO 'T' between basic-format date and time
      } else {
        tokens.push({ type: 'number', text: text.slice(i, j) });
      }
      i = j;
      continue;
    }
    if (isAlpha(c)) {
      let j = i;
      while (isAlpha(text[j]) || text[j] === '/' || text[j] === '_' || (j > i && (isDigit(text[j]) || ((text[j] === '+' || text[j] === '-') && text.slice(i, j).includes('/'))))) j++;
      const word = text.slice(i, j);
      if ((text[j] === '-' || text[j] === '/' || text[j] === '.') && monthNames[word] !== undefined && isDigit(text[j + 1])) {
        const separator = text[j]!;
        while (isDigit(text[j]) || isAlpha(text[j]) || text[j] === separator) j++;
        tokens.push({ type: 'date', parts: text.slice(i, j).split(separator) });
      } else if (word === 't' && isDigit(text[j])) {
        // ISO 'T' separator
      } else tokens.push({ type: 'word', text: input.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '+' || c === '-') {
      let j = i + 1;
      if (isDigit(text[j])) {
        while (isDigit(text[j]) || text[j] === ':' || text[j] === '.') j++;
        tokens.push({ type: 'offset', sign: c === '-' ? -1 : 1, text: text.slice(i + 1, j) });
        i = j;
        continue;
      }
      if (isAlpha(text[j])) {
        while (isAlpha(text[j])) j++;
        tokens.push({ type: 'word', text: text.slice(i, j) });
        i = j;
        continue;
      }
    }
    fail();
  }
  return tokens;
}

function parseFraction(text: string): number {
  // '.123' → 123000 µs, rounded to microseconds.
  const digits = text.slice(1);
  if (digits.length === 0) return 0;
  return Math.round(Number('0.' + digits) * 1e6);
}

/** 'hh:mm[:ss[.ffffff]]'. */
function parseTime(text: string, out: ParsedDateTime): void {
  const match = /^(\d+):(\d+)(?::(\d+)(\.\d*)?)?$/.exec(text) ?? /^(\d+):(\d+)(\.\d*)$/.exec(text);
  if (!match) fail();
  if (out.hour !== undefined) fail();
  out.hour = Number(match[1]);
  out.minute = Number(match[2]);
  if (match.length === 4) {
    // 'mm:ss.fff' is not hh:mm; PostgreSQL reads '12:34.5' as minutes:seconds
    out.minute = Number(match[1]);
    out.hour = 0;
    out.second = Number(match[2]);
    out.microsecond = parseFraction(match[3]!);
  } else {
    out.second = match[3] === undefined ? 0 : Number(match[3]);
    out.microsecond = match[4] === undefined ? 0 : parseFraction(match[4]);
  }
  if (out.microsecond === 1_000_000) {
    out.microsecond = 0;
    out.second! += 1;
  }
}

type DateOrder = 'MDY' | 'DMY' | 'YMD';

export function dateOrderOf(dateStyle: string): DateOrder {
  const upper = dateStyle.toUpperCase();
  if (upper.includes('DMY') || upper.includes('EURO') || upper.includes('GERMAN')) return 'DMY';
  if (upper.includes('YMD')) return 'YMD';
  return 'MDY';
}

function setDate(out: ParsedDateTime, year: number, month: number, day: number, yearText?: string): void {
  if (out.year !== undefined) fail();
  if (year === 0 && (yearText === undefined || yearText.length > 2)) fail('range'); // there is no year 0 AD
  // Two-digit years (not written with leading zeros past 2 digits) map to 1970–2069.
  if (yearText !== undefined && yearText.length <= 2) year = year < 70 ? year + 2000 : year + 1900;
  out.year = year;
  out.month = month;
  out.day = day;
}

function decodeDateParts(parts: string[], order: DateOrder, out: ParsedDateTime): void {
  if (parts.length !== 3) {
    if (parts.length === 2 && /^\d{4}$/.test(parts[0]!) && /^\d{3}$/.test(parts[1]!)) {
      // 'YYYY.DDD' (day of year) is rare; reject rather than misread
    }
    fail();
  }
  const monthIndex = parts.findIndex((p) => monthNames[p] !== undefined);
  if (monthIndex >= 0) {
    const month = monthNames[parts[monthIndex]!]!;
    const others = parts.filter((_, i) => i !== monthIndex);
    if (!others.every((p) => /^\d+$/.test(p))) fail();
    // The year is the 3+-digit field, or the first field when the month is in the middle and order is YMD.
    let yearPosition = others.findIndex((p) => p.length > 2);
    if (yearPosition < 0) yearPosition = monthIndex === 0 ? 1 : order === 'YMD' && monthIndex === 1 ? 0 : 1;
    const yearText = others[yearPosition]!;
    const dayText = others[1 - yearPosition]!;
    return setDate(out, Number(yearText), month, Number(dayText), yearText);
  }
  if (!parts.every((p) => /^\d+$/.test(p))) fail();
  const [a, b, c] = parts as [string, string, string];
  if (a.length >= 3 || order === 'YMD') return setDate(out, Number(a), Number(b), Number(c), a);
  if (order === 'DMY') return setDate(out, Number(c), Number(b), Number(a), c);
  return setDate(out, Number(c), Number(a), Number(b), c);
}

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[ Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(?: ?([Zz]|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?))?$/;

/** The common ISO 8601 shape without the general tokenizer; undefined to fall back. */
function isoFastPath(text: string): ParsedDateTime | undefined {
  const match = isoPattern.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year === 0) return undefined; // let the general path report it
  const out: ParsedDateTime = { year, month: Number(match[2]), day: Number(match[3]) };
  if (match[4] !== undefined) {
    out.hour = Number(match[4]);
    out.minute = Number(match[5]);
    out.second = match[6] === undefined ? 0 : Number(match[6]);
    out.microsecond = match[7] === undefined ? 0 : parseFraction(match[7]);
    if (out.microsecond === 1_000_000) {
      out.microsecond = 0;
      out.second += 1;
    }
  }
  const zone = match[8];
  if (zone !== undefined) {
    if (zone === 'Z' || zone === 'z') out.offsetSeconds = 0;
    else {
      const seconds = parseOffsetDigits(zone.slice(1));
      if (seconds === undefined || seconds > 15 * 3600 + 59 * 60 + 59) return undefined;
      out.offsetSeconds = (zone[0] === '-' ? -1 : 1) * seconds;
    }
  }
  return out;
}

/** Tokens → fields. Throws DateTimeParseError. */
export function parseDateTime(input: string, dateStyle: string, timeOnly = false): ParsedDateTime {
  const trimmed = input.trim();
  const lower = trimmed.toLowerCase();
  if (specialWords.has(lower as SpecialWord)) return { special: lower as SpecialWord };
  if (lower === '+infinity') return { special: 'infinity' };
  const fast = isoFastPath(trimmed);
  if (fast) return fast;
  const order = dateOrderOf(dateStyle);
  const tokens = tokenize(trimmed);
  if (tokens.length === 0) fail();
  const out: ParsedDateTime = {};
  let pendingMonth: number | undefined;
  const pendingNumbers: string[] = [];
  let bc = false;
  let pm: boolean | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    switch (token.type) {
      case 'date':
        decodeDateParts(token.parts, order, out);
        break;
      case 'time':
        parseTime(token.text, out);
        break;
      case 'offset': {
        if (out.hour === undefined && out.year === undefined && pendingNumbers.length === 0) fail();
        // '-08' right after a date in 'YYYY-MM-DD' without time is still a zone, as in PostgreSQL.
        const seconds = parseOffsetDigits(token.text);
        if (seconds === undefined || seconds > 15 * 3600 + 59 * 60 + 59) fail(seconds === undefined ? 'syntax' : 'range');
        if (out.offsetSeconds !== undefined || out.zoneName !== undefined) fail();
        out.offsetSeconds = token.sign * seconds;
        break;
      }
      case 'number': {
        const text = token.text;
        if (out.year === undefined && pendingMonth === undefined && pendingNumbers.length === 0 && /^\d{8}$/.test(text)) {
          setDate(out, Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8)));
        } else if (timeOnly && out.hour === undefined && /^\d{6}(\.\d*)?$/.test(text)) {
          out.hour = Number(text.slice(0, 2));
          out.minute = Number(text.slice(2, 4));
          out.second = Number(text.slice(4, 6));
          out.microsecond = text.length > 6 ? parseFraction(text.slice(6)) : 0;
        } else if (out.year === undefined && pendingMonth === undefined && pendingNumbers.length === 0 && /^\d{6}$/.test(text) && out.hour === undefined) {
          setDate(out, Number(text.slice(0, 2)), Number(text.slice(2, 4)), Number(text.slice(4, 6)), text.slice(0, 2));
        } else if (out.year !== undefined && out.hour === undefined && /^\d{6}(\.\d*)?$/.test(text)) {
          out.hour = Number(text.slice(0, 2));
          out.minute = Number(text.slice(2, 4));
          out.second = Number(text.slice(4, 6));
          out.microsecond = text.length > 6 ? parseFraction(text.slice(6)) : 0;
        } else if (/^\d+$/.test(text)) {
          pendingNumbers.push(text);
          if (pendingMonth !== undefined && pendingNumbers.length === 2) {
            const [first, second] = pendingNumbers as [string, string];
            // 'Jan 8 1999' / '8 Jan 1999' / '1999 Jan 8'
            const yearFirst = first.length > 2;
            setDate(out, Number(yearFirst ? first : second), pendingMonth, Number(yearFirst ? second : first), yearFirst ? first : second);
            pendingMonth = undefined;
            pendingNumbers.length = 0;
          }
        } else fail();
        break;
      }
      case 'word': {
        const word = token.text.toLowerCase();
        if (monthNames[word] !== undefined && pendingMonth === undefined && out.year === undefined) {
          pendingMonth = monthNames[word];
          if (pendingNumbers.length === 2) {
            const [first, second] = pendingNumbers as [string, string];
            setDate(out, Number(first.length > 2 ? first : second), pendingMonth!, Number(first.length > 2 ? second : first), first.length > 2 ? first : second);
            pendingMonth = undefined;
            pendingNumbers.length = 0;
          }
        } else if (dayNames.has(word)) {
          // day-of-week names are accepted and ignored
        } else if (word === 'bc') bc = true;
        else if (word === 'ad') bc = false;
        else if (word === 'am' || word === 'pm') pm = word === 'pm';
        else if (word === 'at' || word === 'on') {
          // noise words
        } else if (word === 'allballs') {
          out.hour = 0;
          out.minute = 0;
          out.second = 0;
          out.microsecond = 0;
        } else if (specialWords.has(word as SpecialWord) && tokens.length > 1) {
          // 'today 10:00' etc.: keep the special and the time
          out.special = word as SpecialWord;
        } else {
          if (out.offsetSeconds !== undefined || out.zoneName !== undefined) fail();
          const abbreviation = zoneAbbreviations[word];
          if (abbreviation !== undefined) out.offsetSeconds = abbreviation;
          else if (findZone(token.text) && /[a-z]/.test(word) && word.includes('/')) out.zoneName = token.text;
          else if (findZone(token.text) && /^(utc|gmt)[+-]/.test(word)) out.zoneName = token.text;
          else fail();
        }
        break;
      }
    }
  }
  if (pendingMonth !== undefined || pendingNumbers.length > 0) {
    if (pendingMonth !== undefined && pendingNumbers.length === 1 && out.year === undefined) fail();
    if (pendingNumbers.length > 0 || pendingMonth !== undefined) fail();
  }
  if (bc) {
    if (out.year === undefined || out.year <= 0) fail();
    out.year = -(out.year - 1);
  }
  if (pm !== undefined) {
    if (out.hour === undefined || out.hour > 12 || out.hour === 0 && false) fail('range');
    if (pm && out.hour < 12) out.hour += 12;
    else if (!pm && out.hour === 12) out.hour = 0;
  }
  return out;
}
