// Date/time functions against PostgreSQL 15 (session TimeZone UTC, DateStyle ISO).
import { expect } from 'chai';
import { Oid } from '../../src/types/functions/oids.js';
import { arg, closeOracle, compareFunction, describeMismatches, product, setTimeZone, type Argument, type Mismatch } from './oracle.js';

const of = (type: number, values: (string | null)[]) => values.map((v) => arg(type, v));
const timestamps = ['2020-01-01 00:00:00', '2021-01-01 12:34:56.789', '1999-12-31 23:59:59.999999', '0044-03-15 12:00 BC', '2020-02-29 13:00', '1970-01-01',
  '2016-12-31 10:00', '2008-12-29', '2010-01-03 08:09:10.5', 'infinity', '-infinity'];
const fields = ['microseconds', 'milliseconds', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'decade', 'century', 'millennium',
  'epoch', 'dow', 'isodow', 'doy', 'isoyear', 'julian', 'timezone', 'timezone_hour', 'ms', 'Year ', 'bogus'];
const truncUnits = ['microseconds', 'milliseconds', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'decade', 'century', 'millennium', 'dow', 'bogus'];
const intervals = ['1 year 2 mons 3 days 04:05:06.789', '-1 year -2 mons +3 days -04:05:06', '0', '100 days 30:00:00', '-35 days', '13 mons', '1 mon -1 hour', '29 days 23:00:00', '@ 1 hour ago'];

async function checkAll(cases: { name: string; args: Argument[]; set?: boolean }[]): Promise<void> {
  const mismatches: Mismatch[] = [];
  for (const c of cases) {
    const mismatch = await compareFunction(c.name, c.args, { set: c.set ?? false });
    if (mismatch) mismatches.push(mismatch);
  }
  expect(mismatches, describeMismatches(mismatches)).to.have.length(0);
}
const matrix = (name: string, lists: Argument[][]) => product(lists).map((args) => ({ name, args }));

describe('functions: date/time against PostgreSQL', function () {
  this.timeout(60_000);
  after(closeOracle);

  it('extract and date_part over every type', async () => {
    const f = of(Oid.text, fields);
    await checkAll([
      ...['extract', 'date_part'].flatMap((name) => [
        ...matrix(name, [f, of(Oid.timestamp, timestamps)]),
        ...matrix(name, [f, of(Oid.timestamptz, timestamps.map((t) => (t.includes('infinity') ? t : t + '+00')))]),
        ...matrix(name, [f, of(Oid.date, ['2020-01-01', '1999-12-31', '0001-01-01 BC', 'infinity', '2008-12-29'])]),
        ...matrix(name, [f, of(Oid.time, ['00:00', '12:34:56.789', '23:59:59.999999'])]),
        ...matrix(name, [f, of(Oid.interval, intervals)]),
      ]),
    ]);
  });

  it('date_trunc, age, justify_*, make_*', async () => {
    const u = of(Oid.text, truncUnits);
    await checkAll([
      ...matrix('date_trunc', [u, of(Oid.timestamp, timestamps)]),
      ...matrix('date_trunc', [u, of(Oid.timestamptz, ['2021-01-01 12:34:56.789+00', '2020-02-29 13:00+00', 'infinity'])]),
      ...matrix('date_trunc', [u, of(Oid.timestamptz, ['2021-03-14 12:34:56.789+00', '2020-11-01 05:30+00']), of(Oid.text, ['America/New_York', 'Asia/Kolkata', 'UTC', 'Mars/Olympus'])]),
      ...matrix('date_trunc', [u, of(Oid.interval, intervals)]),
      ...matrix('age', [of(Oid.timestamp, timestamps.slice(0, 9)), of(Oid.timestamp, timestamps.slice(0, 9))]),
      ...matrix('age', [of(Oid.timestamptz, ['2020-03-31 00:00+00', '2001-04-10 00:00+00']), of(Oid.timestamptz, ['2020-02-29 12:00+00', '1957-06-13 00:00+00'])]),
      ...['justify_days', 'justify_hours', 'justify_interval'].flatMap((name) => matrix(name, [of(Oid.interval, intervals)])),
      ...matrix('make_date', [of(Oid.int4, ['2020', '-5', '0', '1']), of(Oid.int4, ['2', '13', '1']), of(Oid.int4, ['29', '30', '1', '0'])]),
      ...matrix('make_time', [of(Oid.int4, ['0', '23', '24', '25']), of(Oid.int4, ['0', '59', '60']), of(Oid.float8, ['0', '59.999999', '60', '1.5'])]),
      ...matrix('make_timestamp', [of(Oid.int4, ['2020']), of(Oid.int4, ['1', '2']), of(Oid.int4, ['1', '30']), of(Oid.int4, ['12']), of(Oid.int4, ['30']), of(Oid.float8, ['60', '1.25'])]),
      ...matrix('make_interval', [of(Oid.int4, ['1']), of(Oid.int4, ['2']), of(Oid.int4, ['3']), of(Oid.int4, ['4']), of(Oid.int4, ['5']), of(Oid.int4, ['6']), of(Oid.float8, ['7.5', '-0.25'])]),
      { name: 'make_interval', args: [] },
      ...matrix('make_interval', [of(Oid.int4, ['1', '-1'])]),
      ...matrix('make_interval', [of(Oid.int4, ['0']), of(Oid.int4, ['14'])]),
    ]);
  });

  it('AT TIME ZONE (timezone()), to_timestamp, isfinite, date_bin', async () => {
    const zones = of(Oid.text, ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', '+05:30', 'EST', 'Nowhere/City']);
    await checkAll([
      ...matrix('timezone', [zones, of(Oid.timestamptz, ['2020-06-01 12:00+00', '2020-12-01 12:00+00', '2021-03-14 07:30+00', 'infinity'])]),
      ...matrix('timezone', [zones, of(Oid.timestamp, ['2020-06-01 12:00', '2020-12-01 12:00', '2021-03-14 02:30', '2021-11-07 01:30'])]),
      ...matrix('timezone', [of(Oid.interval, ['05:30', '-08:00', '1 day']), of(Oid.timestamptz, ['2020-06-01 12:00+00'])]),
      ...matrix('to_timestamp', [of(Oid.float8, ['0', '1.5', '1700000000.123456', '-1', 'NaN', 'Infinity', '-Infinity', '1e20'])]),
      ...matrix('isfinite', [of(Oid.timestamp, ['2020-01-01', 'infinity'])]),
      ...matrix('isfinite', [of(Oid.date, ['2020-01-01', '-infinity'])]),
      ...matrix('generate_series', [of(Oid.timestamp, ['2020-01-31', '2020-03-01 10:00']), of(Oid.timestamp, ['2020-05-01', '2020-01-01']), of(Oid.interval, ['1 mon', '10 days 12:00', '-1 mon', '0'])]).map((c) => ({ ...c, set: true })),
      ...matrix('generate_series', [of(Oid.timestamptz, ['2021-03-13 12:00+00']), of(Oid.timestamptz, ['2021-03-16 12:00+00']), of(Oid.interval, ['1 day', '18:00'])]).map((c) => ({ ...c, set: true })),
      ...matrix('date_bin', [of(Oid.interval, ['15 minutes', '1 day', '1 mon', '0', '-1 hour']), of(Oid.timestamp, ['2020-02-11 15:44:17', '1999-01-01 00:00']), of(Oid.timestamp, ['2001-01-01', '2020-02-11 15:50'])]),
    ]);
  });

  it('to_char for timestamps, timestamptz and intervals', async () => {
    const templates = of(Oid.text, [
      'YYYY-MM-DD HH24:MI:SS.MS.US', 'HH HH12 AM am A.M. p.m.', 'Month|Mon|Day|Dy|month|MONTH|DAY|dy|FMMonth|FMDay', 'DDD D W WW IW IYYY IYY IY I J Q CC RM rm',
      'SSSS Y,YYY YYY YY Y FF1 FF3 FF6', '"lit" \\"q\\" x', 'DDth ddTH FMDDth MMth FMHH12th', 'YYYY BC B.C. bc ad', 'FMYYYY-FMMM-FMDD FMHH24:FMMI', 'TZ tz TZH:TZM OF', '',
      'IDDD ID', 'fmdd "of" month', 'HH24MI', 'YYYYMMDD', 'Dy, DD Mon YYYY HH24:MI:SS',
    ]);
    await checkAll([
      ...matrix('to_char', [of(Oid.timestamp, ['2020-03-05 14:07:09.123456', '2021-01-01 00:00', '0044-03-15 12:00 BC', '2008-12-29 23:59:59', 'infinity', '1999-11-11 11:11:11']), templates]),
      ...matrix('to_char', [of(Oid.timestamptz, ['2020-03-05 14:07:09.5+00', '2021-07-04 00:30+00']), templates]),
      ...matrix('to_char', [of(Oid.interval, ['1 day 03:04:05.678', '2 years 3 mons', '-1 hour', '49:00:00']), of(Oid.text, ['HH24:MI:SS DD MM YYYY', 'HH12 MS US', 'FMHH24 "h"', 'DDD CC'])]),
    ]);
  });

  it('to_timestamp(text, text) and to_date(text, text)', async () => {
    const pairs: [string, string][] = [
      ['10:30', 'HH24:MI'], ['2020-1-5', 'YYYY-MM-DD'], ['05 Dec 2000 3:04 PM', 'DD Mon YYYY HH:MI AM'], ['20200105', 'YYYYMMDD'], ['2020   01 05', 'YYYY MM DD'],
      ['2020-01-05x', 'YYYY-MM-DD'], ['99-01-05', 'YY-MM-DD'], ['2020-13-05', 'YYYY-MM-DD'], ['2020-ab-05', 'YYYY-MM-DD'], ['202', 'YYYY'], ['13:00 PM', 'HH:MI AM'],
      ['Foo 2020', 'Mon YYYY'], ['2020-01-05 10:00 +05:30', 'YYYY-MM-DD HH24:MI TZH:TZM'], ['2020.01.05', 'YYYY-MM-DD'], ['December 25, 2021', 'Month DD, YYYY'],
      ['2021-02-29', 'YYYY-MM-DD'], ['12:00 AM', 'HH12:MI AM'], ['2020-06-15 23:59:59.123456', 'YYYY-MM-DD HH24:MI:SS.US'], ['2020-06-15 1.5', 'YYYY-MM-DD SS.MS'],
      ['2451545', 'J'], ['2020 060', 'YYYY DDD'], ['44 BC', 'YYYY BC'], ['  2020-01-05', 'YYYY-MM-DD'], ['2020/01/05', 'FXYYYY-MM-DD'], ['Monday 2020-01-06', 'Day YYYY-MM-DD'],
      ['202001', 'YYYYMMDD'], ['2020-1-5', 'FMYYYY-FMMM-FMDD'], ['1:2:3', 'HH24:MI:SS'],
    ];
    await checkAll(pairs.flatMap(([input, template]) => [
      { name: 'to_timestamp', args: [arg(Oid.text, input), arg(Oid.text, template)] },
      { name: 'to_date', args: [arg(Oid.text, input), arg(Oid.text, template)] },
    ]));
  });

  it('timestamptz functions in a zone with daylight saving time (America/New_York)', async () => {
    await setTimeZone('America/New_York');
    try {
      const instants = of(Oid.timestamptz, ['2021-03-14 06:59:59+00', '2021-03-14 07:00:00+00', '2021-11-07 05:30:00+00', '2021-11-07 06:30:00+00', '2020-12-31 23:00:00+00', '2021-06-30 12:00:00+00']);
      await checkAll([
        ...matrix('date_trunc', [of(Oid.text, ['hour', 'day', 'week', 'month', 'year']), instants]),
        ...matrix('extract', [of(Oid.text, ['hour', 'day', 'epoch', 'timezone', 'timezone_hour', 'dow', 'doy']), instants]),
        ...matrix('date_part', [of(Oid.text, ['hour', 'epoch', 'timezone']), instants]),
        ...matrix('to_char', [instants, of(Oid.text, ['YYYY-MM-DD HH24:MI:SS TZ OF', 'TZH:TZM tz'])]),
        ...matrix('age', [instants.slice(0, 3), instants.slice(3)]),
        ...matrix('timezone', [of(Oid.text, ['UTC', 'Europe/Berlin']), instants]),
        ...matrix('make_timestamptz', [of(Oid.int4, ['2021']), of(Oid.int4, ['3', '11']), of(Oid.int4, ['14', '7']), of(Oid.int4, ['2', '1']), of(Oid.int4, ['30']), of(Oid.float8, ['0'])]),
        ...matrix('generate_series', [of(Oid.timestamptz, ['2021-03-13 12:00-05']), of(Oid.timestamptz, ['2021-03-16 12:00-04']), of(Oid.interval, ['1 day', '12:00'])]).map((c) => ({ ...c, set: true })),
        ...matrix('to_timestamp', [of(Oid.text, ['2021-03-14 02:30', '2021-11-07 01:30']), of(Oid.text, ['YYYY-MM-DD HH24:MI'])]),
      ]);
    } finally {
      await setTimeZone('UTC');
    }
  });
});
