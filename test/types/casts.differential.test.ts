// Casts between every pair of built-in scalar types (and typmod targets) compared with
// PostgreSQL 15: the converted value printed, the error, or "no such cast" (42846).
import { expect } from 'chai';
import { defaultFormatSettings, findCast, numericTypmod, typeByName } from '../../src/types/index.js';
import { isSqlError } from '../../src/util/errors.js';
import { type PgOracle, oracleOrSkip, quote } from './pg-oracle.js';

export const sources: Record<string, string[]> = {
  int2: ['0', '-7', '32767'],
  int4: ['0', '1', '-2', '100000', '2147483647', '-128', '127', '200'],
  int8: ['0', '42', '-9223372036854775808', '4294967295', '4294967296', '3000000000', '-1'],
  float4: ['0', '1.5', '2.5', '-2.5', '3e9', '16777217', 'NaN', 'Infinity', '0.1'],
  float8: ['0', '0.5', '1.5', '-0.5', '2.5', '1e20', '1e-20', '0.1', '123456789.987654321', '3e9', '1e39', '1e-50', 'NaN', '-Infinity', '2147483647.5', '9.3e18'],
  numeric: ['0', '0.5', '1.5', '-1.5', '2.5', '-2.5', '123.456', '1e20', '32767.5', '2147483647.49', 'NaN', 'Infinity', '1e-50', '1e400'],
  bool: ['true', 'false'],
  text: ['abc', ' 12 ', '1.5', 'true', '', 'x'.repeat(70)],
  varchar: ['abc', 'abc  '],
  bpchar: ['abc  ', ''],
  name: ['abc'],
  '"char"': ['a'], // '' (NUL) → char(n) keeps a NUL byte in PostgreSQL; not modelled
  oid: ['0', '4294967295', '2147483648'],
  bytea: ['\\x414243'],
  date: ['2000-01-01', '1999-12-31', 'infinity', '-infinity', '0044-03-15 BC'],
  timestamp: ['2000-01-01 12:34:56.789', 'infinity', '2021-03-14 02:30:00', '2021-11-07 01:30:00', '1900-01-01 00:00:00.5'],
  timestamptz: ['2000-01-01 12:34:56.789+00', '-infinity', '2021-03-14 07:30:00+00', '1850-01-01 00:00+00'],
  time: ['12:34:56.789', '00:00', '24:00'],
  timetz: ['12:34:56.789+05:30', '00:00-08'],
  interval: ['1 day 02:03:04.5', '-1 mon -2 days', '25:00:00', '-00:00:01'],
  json: ['{"a": 1}', '1', '"x"', 'true', '[1, 2]'],
  jsonb: ['{"a": 1}', '1.5', '"x"', 'true', 'null', '[1]', '2147483648', '2.5'],
  uuid: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
};

export const targets = [
  'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'bool', 'text', 'varchar', 'bpchar', 'name', '"char"', 'oid', 'bytea',
  'varchar(2)', 'bpchar(5)', 'numeric(5,2)', 'numeric(3,-1)', 'numeric(2,4)', 'int4[]', 'text[]',
  'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'uuid', 'timestamp(0)', 'time(2)', 'timestamptz(1)',
];

function targetTypmod(target: string): [string, number] {
  const match = /^(\w+)\((-?\d+)(?:,(-?\d+))?\)$/.exec(target);
  if (!match) return [target, -1];
  const base = match[1]!;
  if (base === 'numeric') return [base, numericTypmod(Number(match[2]), Number(match[3] ?? 0))];
  if (base.startsWith('time')) return [base, Number(match[2])];
  return [base, Number(match[2]) + 4];
}

const zoneSettings = { ...defaultFormatSettings, timeZone: 'America/New_York' };

function ours(source: string, literal: string, target: string): string {
  const from = typeByName(source)!;
  const [targetName, typmod] = targetTypmod(target);
  const to = typeByName(targetName)!;
  const cast = findCast(from.oid, to.oid);
  if (!cast) return 'NOCAST';
  try {
    const value = from.parseText(literal, -1, zoneSettings);
    const converted = cast.convert(value, typmod, zoneSettings, true);
    return 'OK:' + (converted === null ? '' : to.formatText(converted, zoneSettings));
  } catch (error) {
    if (isSqlError(error)) return `ERR:${error.code}:${error.message}`;
    throw error;
  }
}

describe('types: casts match PostgreSQL 15', function () {
  let oracle: PgOracle | undefined;
  before(async function () {
    oracle = await oracleOrSkip(this);
  });

  for (const [source, literals] of Object.entries(sources)) {
    it(`from ${source} to ${targets.length} targets (TimeZone America/New_York)`, async () => {
      await oracle!.client.query(`SET TimeZone = 'America/New_York'`);
      const cases = literals.flatMap((literal) => targets.map((target) => ({ literal, target })));
      const expected = await oracle!.evaluate(
        cases.map(({ literal, target }) => `SELECT format('%s', CAST(${quote(literal)}::${source} AS ${target}))`),
      );
      const mismatches = cases
        .map(({ literal, target }, i) => {
          const postgres = expected[i]!.startsWith('ERR:42846:') ? 'NOCAST' : expected[i]!;
          return { literal, target, postgres, cambium: ours(source, literal, target) };
        })
        .filter((row) => row.postgres !== row.cambium);
      await oracle!.client.query('RESET TimeZone');
      expect(mismatches).to.deep.equal([]);
    });
  }

  it('reports pg_cast contexts', async () => {
    const rows = (
      await oracle!.client.query(`SELECT castsource::int AS s, casttarget::int AS t, castcontext AS c FROM pg_cast
        WHERE castsource IN (16,18,19,20,21,23,25,26,114,700,701,1042,1043,1082,1083,1114,1184,1186,1266,1700,2950,3802) AND casttarget IN (16,18,19,20,21,23,25,26,114,700,701,1042,1043,1082,1083,1114,1184,1186,1266,1700,2950,3802)`)
    ).rows as { s: number; t: number; c: string }[];
    const contextName: Record<string, string> = { i: 'implicit', a: 'assignment', e: 'explicit' };
    const mismatches = rows
      .map((row) => ({ ...row, postgres: contextName[row.c], cambium: findCast(row.s, row.t)?.context }))
      .filter((row) => row.postgres !== row.cambium);
    expect(mismatches).to.deep.equal([]);
  });
});
