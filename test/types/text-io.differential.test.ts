// Text input/output of every type compared with PostgreSQL 15: the printed value, or the
// SQLSTATE and message of the error.
import { expect } from 'chai';
import { defaultFormatSettings, typeByName } from '../../src/types/index.js';
import { isSqlError } from '../../src/util/errors.js';
import { type PgOracle, oracleOrSkip, quote } from './pg-oracle.js';

export const textInputCases: Record<string, string[]> = {
  int2: ['0', '-32768', '32767', '32768', '-32769', ' 12 ', '+5', '-0', '1.5', '', 'abc', '1e3', '00012', '12 3'],
  int4: ['0', '2147483647', '-2147483648', '2147483648', '99999999999', ' -7', 'abc', '', ' ', '3.0', '0x10', '1_000'],
  int8: ['9223372036854775807', '-9223372036854775808', '9223372036854775808', '42', ' 42 ', 'x1', '-'],
  oid: ['0', '4294967295', '4294967296', '-1', '-2147483648', '-2147483649', 'abc'],
  float8: [
    '0', '-0', '1', '1.5', '0.1', '1e15', '1e16', '123456789012345', '1234567890123456', '1e-4', '1e-5', '0.0001234',
    '3.141592653589793', '1e308', '1e309', '-1e309', '1e-320', '1e-400', 'NaN', 'nan', 'Infinity', '-Infinity', 'inf',
    '-INF', '+inf', '  2.5  ', 'abc', '', '1e', '.5', '5.', '-.5e-3', '100', '1e22', '1e21', '123e18', '2.2250738585072014e-308',
    '0x10', '0x1p3', '-0x1.8p1', '0x', '+NaN', 'infinIty', '1.e5', '1e+5', '   -.5', '1_000', '2.5e-324', '1.7976931348623159e308',
  ],
  float4: ['0', '1.1', '0.1', '3.4028235e38', '3.5e38', '1e-45', '1e-50', '123456', '1234567', '1e6', '100000', '1e-5', 'NaN', '-Infinity', 'x', '16777217'],
  numeric: [
    '0', '0.00', '1.50', '-1.50', '  3.14  ', '1e3', '1.5e3', '1e-3', '1.23E+2', '-0', '-0.000', '.5', '5.', 'NaN', 'nan',
    'Infinity', '-Infinity', 'inf', '-inf', 'abc', '', '1e', '1e1001', '12345678901234567890.123456789', '0001.10', '+7',
    '0e999999', '1e1000000000000', '0e-16384', '1e131072', '1e-16383', '-0e5',
  ],
  bool: ['t', 'f', 'true', 'FALSE', 'yes', 'no', 'y', 'n', 'on', 'off', 'of', 'o', '1', '0', ' true ', 'tr', 'truex', '2', ''],
  text: ['', 'hello', 'a b', ' padded ', 'ünïcødé', '😀'],
  varchar: ['', 'hello'],
  bpchar: ['', 'abc', 'abc  '],
  name: ['abc', 'x'.repeat(70), 'é'.repeat(40)],
  '"char"': ['a', 'abc', '', '\\101', '\\377'],
  bytea: ['\\x', '\\x0102ff', '\\xDEADbeef', '\\x 01 02', '\\x0', '\\xzz', 'abc', 'a\\\\b', 'a\\001b', 'a\\b', '\\'],
  'int4[]': ['{}', '{1,2,3}', '{1,NULL,3}', '{{1,2},{3,4}}', '[0:2]={1,2,3}', '{ 1 , 2 }', '{1,2', '{{1},{2,3}}', '{a}', '1,2', '{1,,2}', '[1:2]={1}', '{{1,2},{3,4}}x'],
  'text[]': ['{a,"b c",NULL,""}', '{"NULL",null,"\\"q\\"",\\\\}', '{"a\\\\b"}', '{ a b ,c}', '{"{x}"}', '{a\\ }'],
  'numeric[]': ['{1.50,NaN,-Infinity}'],
  'float8[]': ['{1.5,NaN,1e300}'],
  'bool[]': ['{t,f,NULL}'],
  'bytea[]': ['{"\\\\x01",NULL}'],
  'varchar[]': ['{abc,"x y"}'],
  'bpchar[]': ['{"a  ",b}'],
  date: [
    '1999-01-08', 'January 8, 1999', '1/8/1999', '1/18/1999', '19990108', '990108', '1999-Jan-08', 'Jan-08-1999', '08-Jan-1999',
    '99-Jan-08', '08-Jan-99', 'Jan 8 1999', '8 Jan 1999', '1999.01.08', '2000-02-29', '2001-02-29', '2021-13-01', '0001-01-01 BC',
    '4713-01-01 BC', '4714-11-24 BC', '4714-11-23 BC', '5874897-12-31', '5874898-01-01', 'epoch', 'infinity', '-infinity', 'abc', '',
    '1999-01-08 04:05:06', '1999-01-08T04:05:06Z', 'Friday, January 8, 1999', '10000-01-01', '0000-01-01', ' 2020-05-06 ', '2020-5-6',
  ],
  time: ['04:05:06.789', '04:05:06', '04:05', '040506', '04:05 AM', '04:05 PM', '12:00 AM', '12:00 PM', '24:00:00', '24:00:01', '25:00', '00:60',
    '23:59:59.9999999', '04:05:06 PST', '2003-04-12 04:05:06 America/New_York', 'allballs', 'abc', '1:2:3', '12:34.5'],
  timetz: ['04:05:06.789-8', '04:05:06-08:00', '04:05-08:00', '040506-08', '04:05:06 PST', '04:05:06+05:30', '00:00+14', '12:00:00Z', '23:59:59.999999+15:59'],
  timestamp: [
    '1999-01-08 04:05:06', '1999-01-08 04:05:06.123456789', '1999-01-08T04:05:06', '1999-01-08 04:05:06 -8:00', 'January 8 04:05:06 1999 PST',
    '2004-10-19 10:23:54+02', '1999-01-08', 'epoch', 'infinity', '-infinity', '2020-01-01 24:00:00', '0001-01-01 00:00:00 BC',
    '294276-12-31 23:59:59.999999', '294277-01-01 00:00:00', '4714-11-24 00:00:00 BC', '4714-11-23 23:59:59 BC', 'abc', '04:05:06', '1999-01-08 04:05:06.5 PM',
    '2000-02-30 00:00', '1999-01-08 4:5:6',
  ],
  timestamptz: [
    '1999-01-08 04:05:06', '1999-01-08 04:05:06+02', '1999-01-08 04:05:06 -8:00', '1999-01-08 04:05:06 America/New_York', '2021-03-14 02:30 America/New_York',
    '2021-11-07 01:30 America/New_York', '1800-01-01 00:00 America/New_York', 'January 8 04:05:06 1999 PST', '1999-01-08 04:05:06Z', '1999-01-08T04:05:06.5+05:30',
    'epoch', 'infinity', '2004-10-19 10:23:54 Europe/Paris', '1999-01-08 04:05:06 EST', '1999-01-08 04:05:06 CEST', 'abc',
  ],
  interval: [
    '1 year 2 mons -3 days 04:05:06.5', '-1 days +02:03', '@ 1 hour ago', 'P1Y2M3DT4H5M6.5S', '1.5 years', '1.7 months', '10', '-1:30', '1 day 2 hours',
    '0', '00:00:00', 'P0001-02-03T04:05:06', 'PT1.5S', 'P1W', '1 week 2 days', '3 mins 4 secs', '1.5 days', '0.5 weeks', '2 decades 1 century',
    '1 millennium', '100 ms', '1500 us', '1-2', '3 4:05:06', '-1-2', '1 day ago', '2 hours 30 minutes', '1 mon -1 day', '-1 mon +1 day -00:00:01',
    'abc', '', '1 fortnight', '1.25 hours', '45:00', '1:2:3.4567891', '5 days 23:59:59.999999', 'PT', '1e3 seconds', '2.5 mons',
  ],
  uuid: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}', 'a0eebc999c0b4ef8bb6d6bb9bd380a11',
    'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1', 'g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  json: ['{"a":1}', ' [1, 2 , "x"] ', '{"a":1,"a":2}', 'null', '1.50', '"\\u00e9"', '{a:1}', '[1,]', '', 'tru', '01', '-', '1e5', '"\\u0000"', '{"a" 1}', '[1 2]', '"\\x"', '{"a":1}x', '-0', '.5'],
  jsonb: [
    '{"b":1,"a":2,"aa":3,"a":4}', '[1, 2.50, "x", null, true, {"k": []}]', '"é\\n\\u0041\\ud83d\\ude00"', '1e2', '-0.0', '{"a": {"c": 1, "b": [1, 2]}}',
    '{}', '[]', ' null ', '"\\u0000"', '{"a":1', '"\\ud83d"', '[1,2,]', '12345678901234567890.123456789', '{"x": "\\"q\\""}', '"\\u001f"',
  ],
  'date[]': ['{1999-01-08,infinity,NULL}'],
  'timestamptz[]': ['{"1999-01-08 04:05:06+02"}'],
  'interval[]': ['{"1 day","-2 hours"}'],
  'uuid[]': ['{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'],
  'jsonb[]': ['{"{\\"a\\": 1}","[1, 2]"}'],
  'json[]': ['{"{\\"a\\":1}"}'],
  int2vector: ['1 2 3', '', ' 5  6 ', 'x', '40000'],
  oidvector: ['1 2', '4294967295', ''],
  xid: ['3', 'abc', '-1', '4294967296', ' 7', '0x10'],
  regtype: ['int4', 'integer', 'character varying', '23', 'integer[]', 'nope', '0', '-', 'double precision', 'timestamp with time zone', '_int4', 'varchar(10)'],
  regclass: ['99999', '0', '-', 'no_such_table'],
  regproc: ['0', '-', '12345'],
  regnamespace: ['0', '99999'],
};

type Outcome = string;

function ours(typeName: string, literal: string): Outcome {
  const type = typeByName(typeName);
  if (!type) return `NOTYPE:${typeName}`;
  try {
    return 'OK:' + type.formatText(type.parseText(literal, -1, defaultFormatSettings), defaultFormatSettings);
  } catch (error) {
    if (isSqlError(error)) return `ERR:${error.code}:${error.message}`;
    throw error;
  }
}

/** PostgreSQL's spelling of the type in a cast. */
export function sqlTypeName(typeName: string): string {
  return typeName;
}

describe('types: text I/O matches PostgreSQL 15', function () {
  let oracle: PgOracle | undefined;
  before(async function () {
    oracle = await oracleOrSkip(this);
  });

  for (const [typeName, literals] of Object.entries(textInputCases)) {
    it(`${typeName}: ${literals.length} literals`, async () => {
      const expected = await oracle!.evaluate(literals.map((l) => `SELECT format('%s', ${quote(l)}::${sqlTypeName(typeName)})`));
      const actual = literals.map((l) => ours(typeName, l));
      const mismatches = literals
        .map((l, i) => ({ literal: l, postgres: expected[i], cambium: actual[i] }))
        .filter((row) => row.postgres !== row.cambium);
      expect(mismatches).to.deep.equal([]);
    });
  }

  it('timestamptz, timetz and date input/output under other TimeZone and DateStyle settings', async () => {
    const cases: Array<[string, string, string, string]> = [];
    for (const zone of ['America/New_York', 'Asia/Kolkata', 'Europe/London', 'UTC+3', '-05:30', 'Australia/Lord_Howe']) {
      for (const literal of ['1999-01-08 04:05:06', '2021-03-14 02:30', '2021-11-07 01:30', '2021-07-01 12:00+00', '1800-06-01 00:00', 'epoch', '1000-01-01 00:00:00 BC']) {
        cases.push([zone, 'ISO, MDY', 'timestamptz', literal]);
      }
      cases.push([zone, 'ISO, MDY', 'timetz', '04:05:06']);
    }
    for (const style of ['ISO, DMY', 'ISO, YMD', 'ISO, MDY']) {
      for (const literal of ['1/8/1999', '01/02/03', '2003-01-02', '08-Jan-99', '99-01-08']) cases.push(['UTC', style, 'date', literal]);
    }
    const expected = await oracle!.evaluate(
      cases.map(([zone, style, type, literal]) =>
        `SELECT set_config('TimeZone', ${quote(zone)}, false) || set_config('DateStyle', ${quote(style)}, false) || format('%s', (${quote(literal)}::text)::${type})`),
    );
    await oracle!.client.query('RESET TimeZone; RESET DateStyle');
    const actual = cases.map(([zone, style, type, literal]) => {
      const settings = { ...defaultFormatSettings, timeZone: zone, dateStyle: style, currentTimestamp: 0n };
      const t = typeByName(type)!;
      try {
        return `OK:${zone}${style}${t.formatText(t.parseText(literal, -1, settings), settings)}`;
      } catch (error) {
        if (isSqlError(error)) return `ERR:${error.code}:${error.message}`;
        throw error;
      }
    });
    const mismatches = cases.map((c, i) => ({ c, postgres: expected[i], cambium: actual[i] })).filter((r) => r.postgres !== r.cambium);
    expect(mismatches).to.deep.equal([]);
  });

  it('date, timestamp and timestamptz output in every DateStyle and several TimeZones', async () => {
    const literals: Array<[string, string]> = [
      ['date', '1999-01-08'], ['date', '0044-03-15 BC'], ['date', 'infinity'], ['timestamp', '1999-01-08 04:05:06.5'], ['timestamp', '2000-02-28 23:59:59 BC'],
      ['timestamptz', '1999-01-08 04:05:06+00'], ['timestamptz', '1999-07-08 04:05:06+00'], ['timestamptz', '-infinity'], ['timestamptz', '1850-01-01 00:00+00'],
    ];
    const failures: unknown[] = [];
    try {
    for (const zone of ['UTC', 'America/New_York', 'Europe/Paris', 'Asia/Kolkata', '+05', '-3.5', 'UTC+3']) {
      for (const style of ['SQL, MDY', 'SQL, DMY', 'Postgres, MDY', 'Postgres, DMY', 'German', 'ISO, DMY']) {
        await oracle!.client.query(`SET TimeZone = '${zone}'; SET DateStyle = '${style}'`);
        const expected = await oracle!.evaluate(literals.map(([type, literal]) => `SELECT format('%s', ${quote(literal)}::${type})`));
        const settings = { ...defaultFormatSettings, timeZone: zone, dateStyle: style };
        literals.forEach(([type, literal], i) => {
          const t = typeByName(type)!;
          const actual = 'OK:' + t.formatText(t.parseText(literal, -1, settings), settings);
          if (actual !== expected[i]) failures.push({ zone, style, literal, postgres: expected[i], cambium: actual });
        });
      }
    }
    } finally {
      await oracle!.client.query('RESET TimeZone; RESET DateStyle');
    }
    expect(failures).to.deep.equal([]);
  });

  it('interval output in every IntervalStyle', async () => {
    const literals = ['0', '1 year 2 mons', '3 days 04:05:06.5', '1 year 2 mons 3 days 04:05:06', '-1 year -2 mons', '-3 days -04:05:06.25',
      '1 year -2 mons 3 days -04:05:06', '-00:00:01', '00:00:00.5', '1 day', '-1 day', '1 sec', '-1 sec', '2 hours 1 sec', '1 mon -1 day', '-0.5 sec'];
    const interval = typeByName('interval')!;
    for (const style of ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601']) {
      const values = literals.map((l) => interval.parseText(l, -1, defaultFormatSettings));
      await oracle!.client.query(`SET IntervalStyle = '${style}'`);
      // Literals are converted before the style changes output only: parse them under postgres style.
      const expected = await oracle!.evaluate(values.map((v) => `SELECT format('%s', ${quote(interval.formatText(v, defaultFormatSettings))}::interval)`.replace(
        /^SELECT format\('%s', (.*)::interval\)$/, (_m, lit) => `SELECT format('%s', (SELECT i FROM (SELECT ${lit}::interval AS i) s))`)));
      await oracle!.client.query('RESET IntervalStyle');
      const settings = { ...defaultFormatSettings, intervalStyle: style };
      expect(values.map((v) => 'OK:' + interval.formatText(v, settings)), style).to.deep.equal(expected);
    }
  });

  it('float output honours extra_float_digits', async () => {
    const values = ['0.1', '1e15', '1e16', '123456789.123', '1e-5', '2.5', '1e30', '-0', '3.4028235e38'];
    for (const digits of [0, -3, 3]) {
      for (const single of [false, true]) {
        const typeName = single ? 'float4' : 'float8';
        const expected = await oracle!.evaluate(
          values.map((v) => `SELECT set_config('extra_float_digits', '${digits}', false) || format('%s', ${quote(v)}::${typeName})`),
        );
        const type = typeByName(typeName)!;
        const settings = { ...defaultFormatSettings, extraFloatDigits: digits };
        const actual = values.map((v) => `OK:${digits}${type.formatText(type.parseText(v, -1, settings), settings)}`);
        expect(actual, `${typeName} extra_float_digits=${digits}`).to.deep.equal(expected);
      }
    }
    await oracle!.client.query('RESET extra_float_digits');
  });
});
