// Field names PostgreSQL accepts in extract/date_part/date_trunc (datetime.c deltatktbl and
// datetktbl units), and the calendar helpers those functions share (ISO weeks, day of week).
import { SqlState } from '../../util/errors.js';
import { date2j, j2date } from '../datetime-core.js';
import { sqlError } from './define.js';

export type DateField =
  | 'microseconds' | 'milliseconds' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year'
  | 'decade' | 'century' | 'millennium' | 'epoch' | 'dow' | 'isodow' | 'doy' | 'isoyear' | 'julian'
  | 'timezone' | 'timezone_hour' | 'timezone_minute';

const aliases: Record<string, DateField> = {
  microsecond: 'microseconds', microseconds: 'microseconds', us: 'microseconds', usec: 'microseconds', usecs: 'microseconds', useconds: 'microseconds', microsecon: 'microseconds',
  millisecond: 'milliseconds', milliseconds: 'milliseconds', ms: 'milliseconds', msec: 'milliseconds', msecs: 'milliseconds', mseconds: 'milliseconds', millisecon: 'milliseconds',
  second: 'second', seconds: 'second', s: 'second', sec: 'second', secs: 'second',
  minute: 'minute', minutes: 'minute', m: 'minute', min: 'minute', mins: 'minute',
  hour: 'hour', hours: 'hour', h: 'hour', hr: 'hour', hrs: 'hour',
  day: 'day', days: 'day', d: 'day',
  week: 'week', weeks: 'week', w: 'week',
  month: 'month', months: 'month', mon: 'month', mons: 'month',
  quarter: 'quarter', qtr: 'quarter',
  year: 'year', years: 'year', y: 'year', yr: 'year', yrs: 'year',
  decade: 'decade', decades: 'decade', dec: 'decade', decs: 'decade',
  century: 'century', centuries: 'century', c: 'century', cent: 'century',
  millennium: 'millennium', millennia: 'millennium', mil: 'millennium', mils: 'millennium', millenniums: 'millennium',
  epoch: 'epoch', dow: 'dow', isodow: 'isodow', doy: 'doy', isoyear: 'isoyear', julian: 'julian', j: 'julian',
  timezone: 'timezone', timezone_h: 'timezone_hour', timezone_hour: 'timezone_hour', timezone_m: 'timezone_minute', timezone_minute: 'timezone_minute',
};

/** Lower-cased, trimmed unit → field, or undefined when PostgreSQL would not recognise it. */
export function parseField(unit: string): DateField | undefined {
  return aliases[unit.toLowerCase()];
}

export function unitNotRecognized(unit: string, typeName: string): never {
  throw sqlError(SqlState.invalidParameterValue, `unit "${unit.toLowerCase()}" not recognized for type ${typeName}`);
}

export function unitNotSupported(unit: string, typeName: string): never {
  throw sqlError(SqlState.featureNotSupported, `unit "${unit.toLowerCase()}" not supported for type ${typeName}`);
}

/** j2day: 0 = Sunday. */
export function dayOfWeek(julian: number): number {
  const day = (julian + 1) % 7;
  return day < 0 ? day + 7 : day;
}

/** date2isoweek. */
export function isoWeek(year: number, month: number, day: number): number {
  const dayNumber = date2j(year, month, day);
  let day4 = date2j(year, 1, 4);
  let day0 = dayOfWeek(day4 - 1); // day0 == offset to first day of week (Monday)
  if (dayNumber < day4 - day0) {
    day4 = date2j(year - 1, 1, 4);
    day0 = dayOfWeek(day4 - 1);
  }
  let result = Math.floor((dayNumber - (day4 - day0)) / 7) + 1;
  if (result >= 52) {
    day4 = date2j(year + 1, 1, 4);
    day0 = dayOfWeek(day4 - 1);
    if (dayNumber >= day4 - day0) result = Math.floor((dayNumber - (day4 - day0)) / 7) + 1;
  }
  return result;
}

/** date2isoyear. */
export function isoYear(year: number, month: number, day: number): number {
  const dayNumber = date2j(year, month, day);
  let day4 = date2j(year, 1, 4);
  let day0 = dayOfWeek(day4 - 1);
  let result = year;
  if (dayNumber < day4 - day0) {
    day4 = date2j(year - 1, 1, 4);
    day0 = dayOfWeek(day4 - 1);
    result--;
  }
  const week = Math.floor((dayNumber - (day4 - day0)) / 7) + 1;
  if (week >= 52) {
    day4 = date2j(year + 1, 1, 4);
    day0 = dayOfWeek(day4 - 1);
    if (dayNumber >= day4 - day0) result++;
  }
  return result;
}

/** isoweek2j: Julian day of the Monday of ISO week `week` of ISO year `year`. */
export function isoWeekToJulian(year: number, week: number): number {
  const day4 = date2j(year, 1, 4);
  const day0 = dayOfWeek(day4 - 1);
  return (week - 1) * 7 + (day4 - day0);
}

export function isoWeekToDate(year: number, week: number): [number, number, number] {
  return j2date(isoWeekToJulian(year, week));
}

/** C integer division (truncating), as the field arithmetic in timestamp.c uses. */
export const cdiv = (a: number, b: number) => Math.trunc(a / b);

/** PostgreSQL's year → decade/century/millennium numbering (no year 0). */
export function decadeOf(year: number): number {
  return year > 0 ? cdiv(year, 10) : -cdiv(8 - (year - 1), 10);
}
export function centuryOf(year: number): number {
  return year > 0 ? cdiv(year + 99, 100) : -cdiv(99 - (year - 1), 100);
}
export function millenniumOf(year: number): number {
  return year > 0 ? cdiv(year + 999, 1000) : -cdiv(999 - (year - 1), 1000);
}
