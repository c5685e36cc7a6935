// to_timestamp(text, text) and to_date(text, text): formatting.c DCH_from_char for the common
// fields (years, months by number or name, days, 12/24-hour clocks with AM/PM, minutes,
// seconds, fractions, Julian days, BC/AD, TZH/TZM) with PostgreSQL's separator and
// whitespace rules outside FX mode. Other template fields raise 0A000 instead of guessing.
import { SqlState } from '../../util/errors.js';
import { POSTGRES_EPOCH_JDATE, USECS_PER_DAY, USECS_PER_SEC, date2j, daysInMonth, isValidTimestamp, j2date } from '../datetime-core.js';
import { localToUtc, sessionZone } from '../datetime-types.js';
import { defineFunction, sqlError } from './define.js';
import { Oid } from './oids.js';

const monthNames = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const dayNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const keywords = [
  'A.D.', 'A.M.', 'AD', 'AM', 'B.C.', 'BC', 'DAY', 'DDD', 'DD', 'DY', 'D', 'FF1', 'FF2', 'FF3', 'FF4', 'FF5', 'FF6', 'FX', 'HH24', 'HH12', 'HH', 'J',
  'MI', 'MM', 'MONTH', 'MON', 'MS', 'P.M.', 'PM', 'SSSSS', 'SSSS', 'SS', 'TZH', 'TZM', 'US', 'Y,YYY', 'YYYY', 'YYY', 'YY', 'Y',
  'CC', 'IDDD', 'ID', 'IW', 'IYYY', 'IYY', 'IY', 'I', 'Q', 'RM', 'TZ', 'OF', 'WW', 'W',
];
const unsupported = new Set(['CC', 'IDDD', 'ID', 'IW', 'IYYY', 'IYY', 'IY', 'I', 'Q', 'RM', 'TZ', 'OF', 'WW', 'W']);
/** Fields read as integers (isitdigit in formatting.c). */
const digitFields = new Set(['DDD', 'DD', 'D', 'FF1', 'FF2', 'FF3', 'FF4', 'FF5', 'FF6', 'HH24', 'HH12', 'HH', 'J', 'MI', 'MM', 'MS', 'SSSSS', 'SSSS', 'SS', 'TZH', 'TZM', 'US', 'Y,YYY', 'YYYY', 'YYY', 'YY', 'Y']);

type Node = { kind: 'field'; key: string; spelling: string; fill: boolean } | { kind: 'space' } | { kind: 'separator' } | { kind: 'char' };

function parse(template: string): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  while (i < template.length) {
    let fill = false;
    let j = i;
    while (template.startsWith('FM', j) || template.startsWith('fm', j)) {
      fill = true;
      j += 2;
    }
    const upper = template.slice(j).toUpperCase();
    const key = keywords.find((k) => upper.startsWith(k));
    if (key) {
      nodes.push({ kind: 'field', key, spelling: template.slice(j, j + key.length), fill });
      i = j + key.length;
      if (template.startsWith('TH', i) || template.startsWith('th', i)) i += 2;
      continue;
    }
    const c = template[i]!;
    if (c === '"') {
      i++;
      while (i < template.length && template[i] !== '"') {
        if (template[i] === '\\' && template[i + 1] === '"') i++;
        nodes.push({ kind: 'char' });
        i++;
      }
      i++;
      continue;
    }
    nodes.push(/\s/.test(c) ? { kind: 'space' } : /[A-Za-z0-9]/.test(c) ? { kind: 'char' } : { kind: 'separator' });
    i++;
  }
  return nodes;
}

interface Fields {
  year?: number;
  yearDigits?: number;
  month?: number;
  day?: number;
  dayOfYear?: number;
  julian?: number;
  hour?: number;
  twelveHour: boolean;
  pm?: boolean;
  minute?: number;
  second?: number;
  secondsOfDay?: number;
  microsecond?: number;
  bc: boolean;
  tzHours?: number;
  tzMinutes?: number;
}

function invalidValue(value: string, field: string, detail: string, hint?: string): never {
  throw sqlError(SqlState.invalidDatetimeFormat, `invalid value "${value}" for "${field}"`, hint ? { detail, hint } : { detail });
}

function fieldLength(key: string): number {
  switch (key) {
    case 'Y,YYY':
      return 5;
    case 'HH24': case 'HH12':
      return 2;
    case 'J':
      return 9; // read greedily below
    default:
      return key.length;
  }
}

/** from_char_parse_int_len. */
function readInteger(input: string, position: { at: number }, node: Extract<Node, { kind: 'field' }>, nextIsSeparator: boolean): number {
  while (position.at < input.length && /\s/.test(input[position.at]!)) position.at++;
  const start = position.at;
  const length = node.key === 'J' ? 0 : fieldLength(node.key);
  let text: string;
  if (node.fill || nextIsSeparator || node.key === 'J' || node.key === 'TZH') {
    const match = /^[+-]?\d*/.exec(input.slice(start))!;
    text = match[0];
    position.at += text.length;
  } else {
    const available = input.slice(start, start + length);
    if (available.length < length) {
      throw sqlError(SqlState.invalidDatetimeFormat, `source string too short for "${node.spelling}" formatting field`, {
        detail: `Field requires ${length} characters, but only ${available.length} remain.`,
        hint: 'If your source string is not fixed-width, try using the "FM" modifier.',
      });
    }
    text = /^[+-]?\d*/.exec(available)![0];
    if (text.length > 0 && text.length < length && /\d/.test(text)) {
      invalidValue(available, node.spelling, `Field requires ${length} characters, but only ${text.length} could be parsed.`, 'If your source string is not fixed-width, try using the "FM" modifier.');
    }
    position.at += text.length;
  }
  if (text === '' || text === '+' || text === '-') invalidValue(input.slice(start, start + Math.max(length, 1)), node.spelling, 'Value must be an integer.');
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < -2147483648 || value > 2147483647) {
    throw sqlError(SqlState.datetimeFieldOverflow, `value for "${node.spelling}" in source string is out of range`, { detail: 'Value must be in the range -2147483648 to 2147483647.' });
  }
  return value;
}

/** from_char_seq_search: case-insensitive full or abbreviated names. */
function readName(input: string, position: { at: number }, names: string[], abbreviated: boolean, node: Extract<Node, { kind: 'field' }>): number {
  while (position.at < input.length && /\s/.test(input[position.at]!)) position.at++;
  const rest = input.slice(position.at).toLowerCase();
  for (let i = 0; i < names.length; i++) {
    const name = abbreviated ? names[i]!.slice(0, 3) : names[i]!;
    if (rest.startsWith(name)) {
      position.at += name.length;
      return i;
    }
  }
  return invalidValue(input.slice(position.at, position.at + node.key.length), node.spelling, 'The given value did not match any of the allowed values for this field.');
}

function readFields(input: string, template: string): Fields {
  const nodes = parse(template);
  const fields: Fields = { twelveHour: false, bc: false };
  const position = { at: 0 };
  let fx = false;
  let extraSkip = 0;
  for (let n = 0; n < nodes.length && position.at < input.length; n++) {
    const node = nodes[n]!;
    if (!fx && (node.kind === 'field' || n === 0) && !(node.kind === 'field' && node.key === 'FX')) {
      while (position.at < input.length && /\s/.test(input[position.at]!)) {
        position.at++;
        extraSkip++;
      }
    }
    if (node.kind === 'space' || node.kind === 'separator') {
      if (!fx) {
        extraSkip--;
        const c = input[position.at];
        if (c !== undefined && (/\s/.test(c) || /[^A-Za-z0-9]/.test(c))) {
          position.at++;
          extraSkip++;
        }
      } else position.at++;
      continue;
    }
    if (node.kind === 'char') {
      if (!fx && extraSkip > 0) extraSkip--;
      else position.at++;
      continue;
    }
    const next = nodes[n + 1];
    const nextIsSeparator = next === undefined || next.kind !== 'field' || !digitFields.has(next.key);
    const key = node.key;
    if (unsupported.has(key)) throw sqlError(SqlState.featureNotSupported, `"${node.spelling}" is not supported in to_timestamp/to_date here yet`);
    switch (key) {
      case 'FX':
        fx = true;
        break;
      case 'YYYY': case 'YYY': case 'YY': case 'Y':
        fields.year = readInteger(input, position, node, nextIsSeparator);
        fields.yearDigits = key.length;
        break;
      case 'Y,YYY': {
        const match = /^\s*(\d+),(\d{3})/.exec(input.slice(position.at));
        if (!match) invalidValue(input.slice(position.at, position.at + 5), node.spelling, 'Value must be an integer.');
        fields.year = Number(match[1]) * 1000 + Number(match[2]);
        position.at += match[0].length;
        break;
      }
      case 'MM':
        fields.month = readInteger(input, position, node, nextIsSeparator);
        break;
      case 'MONTH':
        fields.month = readName(input, position, monthNames, false, node) + 1;
        break;
      case 'MON':
        fields.month = readName(input, position, monthNames, true, node) + 1;
        break;
      case 'DAY':
        readName(input, position, dayNames, false, node);
        break;
      case 'DY':
        readName(input, position, dayNames, true, node);
        break;
      case 'DD':
        fields.day = readInteger(input, position, node, nextIsSeparator);
        break;
      case 'D':
        readInteger(input, position, node, nextIsSeparator); // day of week: checked by nothing, as PostgreSQL ignores it
        break;
      case 'DDD':
        fields.dayOfYear = readInteger(input, position, node, nextIsSeparator);
        break;
      case 'J':
        fields.julian = readInteger(input, position, node, true);
        break;
      case 'HH': case 'HH12':
        fields.hour = readInteger(input, position, node, nextIsSeparator);
        fields.twelveHour = true;
        break;
      case 'HH24':
        fields.hour = readInteger(input, position, node, nextIsSeparator);
        break;
      case 'MI':
        fields.minute = readInteger(input, position, node, nextIsSeparator);
        break;
      case 'SS':
        fields.second = readInteger(input, position, node, nextIsSeparator);
        break;
      case 'SSSS': case 'SSSSS':
        fields.secondsOfDay = readInteger(input, position, node, nextIsSeparator);
        break;
      case 'MS': case 'US': case 'FF1': case 'FF2': case 'FF3': case 'FF4': case 'FF5': case 'FF6': {
        const before = position.at;
        const value = readInteger(input, position, node, nextIsSeparator);
        const digits = position.at - before - (input.slice(before, position.at).length - input.slice(before, position.at).trimStart().length);
        // The digits read are a fraction of a second: "5" as MS is 500 ms.
        const scale = key === 'MS' ? 3 : key === 'US' ? 6 : Number(key[2]);
        const normalized = value * 10 ** (scale - Math.min(digits, scale));
        fields.microsecond = key === 'MS' ? normalized * 1000 : normalized * 10 ** (6 - scale);
        break;
      }
      case 'AM': case 'A.M.': case 'PM': case 'P.M.': {
        while (position.at < input.length && /\s/.test(input[position.at]!)) position.at++;
        const rest = input.slice(position.at).toUpperCase();
        const dotted = key.includes('.');
        const am = dotted ? 'A.M.' : 'AM';
        const pm = dotted ? 'P.M.' : 'PM';
        if (rest.startsWith(am)) fields.pm = false;
        else if (rest.startsWith(pm)) fields.pm = true;
        else invalidValue(input.slice(position.at, position.at + key.length), node.spelling, 'The given value did not match any of the allowed values for this field.');
        position.at += am.length;
        fields.twelveHour = true;
        break;
      }
      case 'AD': case 'A.D.': case 'BC': case 'B.C.': {
        while (position.at < input.length && /\s/.test(input[position.at]!)) position.at++;
        const rest = input.slice(position.at).toUpperCase();
        const dotted = key.includes('.');
        if (rest.startsWith(dotted ? 'B.C.' : 'BC')) fields.bc = true;
        else if (!rest.startsWith(dotted ? 'A.D.' : 'AD')) {
          invalidValue(input.slice(position.at, position.at + key.length), node.spelling, 'The given value did not match any of the allowed values for this field.');
        }
        position.at += key.length;
        break;
      }
      case 'TZH':
        fields.tzHours = readInteger(input, position, node, nextIsSeparator);
        break;
      case 'TZM':
        fields.tzMinutes = readInteger(input, position, node, nextIsSeparator);
        break;
    }
  }
  return fields;
}

function outOfRange(input: string): never {
  throw sqlError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${input}"`);
}

/** Years as written → astronomical years: YY/YYY adjusted to 1970–2069 / 1000–2999 windows, BC. */
function resolveYear(fields: Fields): number {
  let year = fields.year ?? 0;
  if (fields.year !== undefined && fields.yearDigits !== undefined && fields.yearDigits < 4 && year >= 0) {
    if (fields.yearDigits === 2 && year < 100) year += year < 70 ? 2000 : 1900;
    else if (fields.yearDigits === 3 && year < 1000) year += year < 100 ? 2000 : 1000;
    else if (fields.yearDigits === 1 && year < 10) year += 2000;
  }
  if (fields.year === undefined) return 0; // year 1 BC, as PostgreSQL's zeroed struct
  if (fields.bc) return year > 0 ? -(year - 1) : year;
  return year;
}

/** Local timestamp (µs) for the fields, validated as do_to_timestamp does. */
function toLocal(input: string, template: string): { local: bigint; offsetSeconds?: number } {
  const fields = readFields(input, template);
  let year = resolveYear(fields);
  let month = fields.month ?? 1;
  let day = fields.day ?? 1;
  if (fields.julian !== undefined) [year, month, day] = j2date(fields.julian);
  else if (fields.dayOfYear !== undefined) {
    if (fields.dayOfYear < 1 || fields.dayOfYear > 366) outOfRange(input);
    [year, month, day] = j2date(date2j(year, 1, 1) + fields.dayOfYear - 1);
  }
  let hour = fields.hour ?? 0;
  if (fields.twelveHour && fields.hour !== undefined) {
    if (hour < 1 || hour > 12) {
      throw sqlError(SqlState.invalidDatetimeFormat, `hour "${hour}" is invalid for the 12-hour clock`, { hint: 'Use the 24-hour clock, or give an hour between 1 and 12.' });
    }
    if (fields.pm && hour < 12) hour += 12;
    else if (fields.pm === false && hour === 12) hour = 0;
  }
  let minute = fields.minute ?? 0;
  let second = fields.second ?? 0;
  if (fields.secondsOfDay !== undefined) {
    hour = Math.floor(fields.secondsOfDay / 3600);
    minute = Math.floor((fields.secondsOfDay % 3600) / 60);
    second = fields.secondsOfDay % 60;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 24 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    outOfRange(input);
  }
  const days = BigInt(date2j(year, month, day) - POSTGRES_EPOCH_JDATE);
  const local = days * USECS_PER_DAY + ((BigInt(hour) * 60n + BigInt(minute)) * 60n + BigInt(second)) * USECS_PER_SEC + BigInt(fields.microsecond ?? 0);
  if (fields.tzHours === undefined && fields.tzMinutes === undefined) return { local };
  const hours = fields.tzHours ?? 0;
  const minutes = fields.tzMinutes ?? 0;
  const negative = hours < 0 || Object.is(hours, -0);
  return { local, offsetSeconds: negative ? hours * 3600 - minutes * 60 : hours * 3600 + minutes * 60 };
}

defineFunction(
  'to_timestamp',
  [Oid.text, Oid.text],
  Oid.timestamptz,
  ([input, template], context) => {
    const { local, offsetSeconds } = toLocal(input as string, template as string);
    const utc = offsetSeconds === undefined ? localToUtc(local, sessionZone(context.settings)) : local - BigInt(offsetSeconds) * USECS_PER_SEC;
    if (!isValidTimestamp(utc)) throw sqlError(SqlState.datetimeFieldOverflow, 'timestamp out of range');
    return utc;
  },
  { volatility: 'stable' },
);

defineFunction(
  'to_date',
  [Oid.text, Oid.text],
  Oid.date,
  ([input, template]) => {
    const { local } = toLocal(input as string, template as string);
    const days = local >= 0n ? local / USECS_PER_DAY : -((-local + USECS_PER_DAY - 1n) / USECS_PER_DAY);
    return Number(days);
  },
  { volatility: 'stable' },
);
