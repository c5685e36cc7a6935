// Time zones: fixed offsets, POSIX-style 'UTC+3' (west-positive, as PostgreSQL reads them), a
// few common abbreviations, and IANA names through Intl. Offsets are seconds EAST of UTC.
import { SqlError, SqlState } from '../util/errors.js';

export interface Zone {
  readonly name: string;
  /** UTC offset (seconds east) in effect at a UTC instant given in Unix seconds. */
  offsetAtUtc(unixSeconds: number): number;
  /** True when the offset never changes. */
  readonly fixed: boolean;
}

function fixedZone(name: string, offsetSeconds: number): Zone {
  return { name, fixed: true, offsetAtUtc: () => offsetSeconds };
}

/** Abbreviations PostgreSQL's 'Default' timezone_abbreviations set knows (the common ones). */
export const zoneAbbreviations: Record<string, number> = {
  utc: 0, gmt: 0, z: 0, zulu: 0, ut: 0,
  est: -5 * 3600, edt: -4 * 3600, cst: -6 * 3600, cdt: -5 * 3600, mst: -7 * 3600, mdt: -6 * 3600,
  pst: -8 * 3600, pdt: -7 * 3600, akst: -9 * 3600, akdt: -8 * 3600, hst: -10 * 3600,
  cet: 3600, cest: 7200, eet: 7200, eest: 3 * 3600, wet: 0, west: 3600, bst: 3600,
  msk: 3 * 3600, ist: 2 * 3600, jst: 9 * 3600, kst: 9 * 3600, aest: 10 * 3600, aedt: 11 * 3600,
  acst: 34200, awst: 8 * 3600, nzst: 12 * 3600, nzdt: 13 * 3600,
};

const zoneCache = new Map<string, Zone | null>();
export const timezoneLimits = { cachedHoursMax: 65536 } as const;

/** 'HH', 'HH:MM', 'HHMM', 'HH:MM:SS' → seconds (unsigned). */
export function parseOffsetDigits(text: string): number | undefined {
  let match = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(text);
  if (!match) match = /^(\d{2})(\d{2})(\d{2})?$/.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? 0);
  const seconds = Number(match[3] ?? 0);
  if (minutes >= 60 || seconds >= 60) return undefined;
  return hours * 3600 + minutes * 60 + seconds;
}

function intlZone(name: string): Zone | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  const canonical = format.resolvedOptions().timeZone;
  const exact = (unixSeconds: number): number => {
    // Intl covers ±8.64e15 ms; clamp beyond that (PostgreSQL extrapolates the last rule).
    const ms = Math.max(-8.64e15, Math.min(8.64e15, unixSeconds * 1000));
    const parts = format.formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    let year = get('year');
    if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
    // Date.UTC maps years 0–99 to the 1900s: set the year separately.
    const wallDate = new Date(Date.UTC(2000, get('month') - 1, get('day'), get('hour'), get('minute'), get('second')));
    wallDate.setUTCFullYear(year);
    return Math.round((wallDate.getTime() - Math.floor(ms / 1000) * 1000) / 1000);
  };
  // Offsets per UTC hour when the offset is the same at both ends of the hour (transitions
  // are rarer than hourly), else computed exactly.
  const hourCache = new Map<number, number | null>();
  return {
    name,
    fixed: canonical === 'UTC' || canonical === 'Etc/UTC',
    offsetAtUtc(unixSeconds: number): number {
      const hour = Math.floor(unixSeconds / 3600);
      let cached = hourCache.get(hour);
      if (cached === undefined) {
        const start = exact(hour * 3600);
        cached = start === exact(hour * 3600 + 3599) ? start : null;
        if (hourCache.size >= timezoneLimits.cachedHoursMax) hourCache.clear();
        hourCache.set(hour, cached);
      }
      return cached ?? exact(unixSeconds);
    },
  };
}

/** A zone by name as SET TimeZone / AT TIME ZONE accept it; undefined when unknown. */
export function findZone(name: string): Zone | undefined {
  const key = name.trim();
  const cached = zoneCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let zone: Zone | undefined;
  const lower = key.toLowerCase();
  const abbreviation = zoneAbbreviations[lower];
  const signed = /^([+-])(.+)$/.exec(key);
  const posix = /^(?:utc|gmt)([+-])(.+)$/i.exec(key);
  if (lower === 'utc' || lower === 'gmt' || lower === 'z' || lower === 'etc/utc') zone = fixedZone(key, 0);
  else if (signed && parseOffsetDigits(signed[2]!) !== undefined) {
    // As a zone name (SET TimeZone, AT TIME ZONE) a bare offset is POSIX-style: '-05:30' is east.
    zone = fixedZone(key, (signed[1] === '-' ? 1 : -1) * parseOffsetDigits(signed[2]!)!);
  } else if (posix && parseOffsetDigits(posix[2]!) !== undefined) {
    // POSIX 'UTC+3' means three hours WEST of Greenwich.
    zone = fixedZone(key, (posix[1] === '-' ? 1 : -1) * parseOffsetDigits(posix[2]!)!);
  } else zone = intlZone(key) ?? (abbreviation !== undefined ? fixedZone(key, abbreviation) : undefined);
  zoneCache.set(key, zone ?? null);
  return zone;
}

/**
 * The zone a TimeZone setting names. A plain number is hours EAST of UTC (SQL convention, as
 * check_timezone reads '+05' or '5.5'); anything else is looked up as findZone does.
 */
export function settingZone(name: string): Zone | undefined {
  const trimmed = name.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed)) {
    const key = `hours:${trimmed}`;
    const cached = zoneCache.get(key);
    if (cached) return cached;
    const zone = fixedZone(trimmed, Math.round(Number(trimmed) * 3600));
    zoneCache.set(key, zone);
    return zone;
  }
  return findZone(trimmed);
}

export function zoneOrError(name: string): Zone {
  const zone = settingZone(name);
  if (!zone) throw new SqlError(SqlState.invalidParameterValue, `time zone "${name}" not recognized`);
  return zone;
}

/**
 * Offset for a local wall-clock time (Unix seconds as if UTC), as DetermineTimeZoneOffset does:
 * a time in a spring-forward gap takes the offset before the transition, an ambiguous time in
 * a fall-back overlap the offset after it.
 */
export function offsetForLocal(zone: Zone, localSeconds: number): number {
  if (zone.fixed) return zone.offsetAtUtc(localSeconds);
  const day = 86400;
  const before = zone.offsetAtUtc(localSeconds - day);
  const after = zone.offsetAtUtc(localSeconds + day);
  if (before === after) {
    const middle = zone.offsetAtUtc(localSeconds - before);
    if (middle === before) return before;
  }
  // Find the transition (first instant with the new offset) between the two probes.
  let low = localSeconds - day;
  let high = localSeconds + day;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (zone.offsetAtUtc(mid) === before) low = mid;
    else high = mid;
  }
  const boundary = high;
  const afterOffset = zone.offsetAtUtc(boundary);
  const beforeTime = localSeconds - before;
  const afterTime = localSeconds - afterOffset;
  if (beforeTime < boundary && afterTime < boundary) return before;
  if (beforeTime >= boundary && afterTime >= boundary) return afterOffset;
  return beforeTime > afterTime ? before : afterOffset;
}

const abbreviationFormats = new Map<string, Intl.DateTimeFormat[]>();

/**
 * The zone abbreviation non-ISO DateStyles print (EST, CET, …), or a numeric offset like
 * PostgreSQL prints when the zone has none ('+05').
 */
export function zoneAbbreviation(zone: Zone, unixSeconds: number, offsetSeconds: number): string {
  if (/^(utc|etc\/utc|gmt|z)$/i.test(zone.name)) return 'UTC';
  const posixName = /^([A-Za-z]{3,})[+-]\d/.exec(zone.name);
  if (posixName) return posixName[1]!; // POSIX 'UTC+3' is called by its standard name
  let formats = abbreviationFormats.get(zone.name);
  if (!formats) {
    formats = [];
    for (const locale of ['en-US', 'en-GB', 'en-IN']) {
      try {
        formats.push(new Intl.DateTimeFormat(locale, { timeZone: zone.name, timeZoneName: 'short' }));
      } catch {
        break; // not an IANA zone
      }
    }
    abbreviationFormats.set(zone.name, formats);
  }
  for (const format of formats) {
    const name = format.formatToParts(new Date(unixSeconds * 1000)).find((p) => p.type === 'timeZoneName')?.value;
    if (name && /^[A-Z]{3,5}$/.test(name) && !/^(GMT|UTC)$/.test(name)) return name;
    if (name && /^(GMT|UTC)$/.test(name) && offsetSeconds === 0) return name;
  }
  // Offsets with seconds are local mean time before standard time was adopted.
  if (formats.length > 0 && offsetSeconds % 60 !== 0) return 'LMT';
  const sign = offsetSeconds < 0 ? '-' : '+';
  const total = Math.abs(offsetSeconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  let text = sign + String(hours).padStart(2, '0');
  if (minutes !== 0 || seconds !== 0) text += ':' + String(minutes).padStart(2, '0');
  if (seconds !== 0) text += ':' + String(seconds).padStart(2, '0');
  return text;
}
