// Randomised differential tests (fixed seed): numeric arithmetic and rounding, float output,
// timestamps across time zones, interval scaling — each value compared with PostgreSQL 15.
import { expect } from 'chai';
import fc from 'fast-check';
import { Numeric, defaultFormatSettings, typeByName, typeByOid } from '../../src/types/index.js';
import { operatorCandidates } from '../../src/types/functions/api.js';
import { isSqlError } from '../../src/util/errors.js';
import { type PgOracle, oracleOrSkip, quote } from './pg-oracle.js';
import { testContext } from './operators.differential.test.js';

const seed = 20260522;

function sample<T>(arbitrary: fc.Arbitrary<T>, count: number, offset = 0): T[] {
  return fc.sample(arbitrary, { seed: seed + offset, numRuns: count });
}

function evaluateOurs(fn: () => string): string {
  try {
    return 'OK:' + fn();
  } catch (error) {
    if (isSqlError(error)) return `ERR:${error.code}:${error.message}`;
    return `CRASH:${String(error)}`;
  }
}

function binary(name: string, leftOid: number, rightOid: number, leftText: string, rightText: string): string {
  const op = operatorCandidates(name).find((o) => o.left === leftOid && o.right === rightOid)!;
  const settings = testContext.settings;
  const left = typeByOid(leftOid)!.parseText(leftText, -1, settings);
  const right = typeByOid(rightOid)!.parseText(rightText, -1, settings);
  const resultOid = typeof op.result === 'number' ? op.result : op.result(leftOid, rightOid);
  return typeByOid(resultOid)!.formatText(op.impl(left, right, testContext), settings);
}

const numericText = fc
  .tuple(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 30 }))
  .map(([coefficient, scale, shrink]) => {
    const digits = (coefficient < 0n ? -coefficient : coefficient).toString().slice(0, Math.max(1, 26 - shrink));
    const padded = digits.padStart(scale + 1, '0');
    const text = scale === 0 ? padded : `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
    return (coefficient < 0n ? '-' : '') + text;
  });

describe('types: randomised differential tests against PostgreSQL 15', function () {
  let oracle: PgOracle | undefined;
  before(async function () {
    oracle = await oracleOrSkip(this);
  });

  async function compare(cases: Array<{ sql: string; ours: () => string }>): Promise<void> {
    const expected = await oracle!.evaluate(cases.map((c) => c.sql));
    const mismatches = cases
      .map((c, i) => ({ sql: c.sql, postgres: expected[i], cambium: evaluateOurs(c.ours) }))
      .filter((row) => row.postgres !== row.cambium);
    expect(mismatches.slice(0, 20), `${mismatches.length} of ${cases.length} differ`).to.deep.equal([]);
  }

  it('numeric + - * / % and round()', async () => {
    const pairs = sample(fc.tuple(numericText, numericText, fc.integer({ min: -3, max: 8 })), 300);
    const cases = pairs.flatMap(([a, b, places]) => [
      ...['+', '-', '*', '/', '%'].map((op) => ({
        sql: `SELECT format('%s', ${quote(a)}::numeric ${op} ${quote(b)}::numeric)`,
        ours: () => binary(op, 1700, 1700, a, b),
      })),
      {
        sql: `SELECT format('%s', round(${quote(a)}::numeric, ${places}))`,
        ours: () => (typeByName('numeric')!.parseText(a, -1, defaultFormatSettings) as Numeric).round(places).toString(),
      },
      {
        sql: `SELECT format('%s', ${quote(a)}::numeric::float8)`,
        ours: () => typeByName('float8')!.formatText(Number(a), defaultFormatSettings),
      },
    ]);
    await compare(cases);
  });

  it('float8 and float4 shortest output, float → numeric and → int casts', async () => {
    const doubles = sample(fc.double({ noNaN: true, noDefaultInfinity: true }), 400, 1);
    const float8 = typeByName('float8')!;
    const float4 = typeByName('float4')!;
    const cases = doubles.flatMap((x) => {
      const text = String(x);
      const single = Math.fround(x);
      const cases = [
        { sql: `SELECT format('%s', ${quote(text)}::float8)`, ours: () => float8.formatText(float8.parseText(text, -1, defaultFormatSettings), defaultFormatSettings) },
        { sql: `SELECT format('%s', ${quote(text)}::float8::numeric)`, ours: () => typeByName('numeric')!.formatText(castOf(701, 1700, x), defaultFormatSettings) },
      ];
      if (Number.isFinite(single) && (single !== 0 || x === 0)) {
        const singleText = String(single);
        cases.push({ sql: `SELECT format('%s', ${quote(singleText)}::float4)`, ours: () => float4.formatText(float4.parseText(singleText, -1, defaultFormatSettings), defaultFormatSettings) });
      }
      return cases;
    });
    const halves = sample(fc.integer({ min: -100000, max: 100000 }), 50, 2).map((n) => n + 0.5);
    for (const h of halves) {
      cases.push({ sql: `SELECT format('%s', ${h}::float8::int4)`, ours: () => String(castOf(701, 23, h)) });
      cases.push({ sql: `SELECT format('%s', ${h}::numeric::int4)`, ours: () => String(castOf(1700, 23, typeByName('numeric')!.parseText(String(h), -1, defaultFormatSettings))) });
    }
    await compare(cases);
  });

  it('timestamptz ± interval and output in America/New_York across DST', async () => {
    await oracle!.client.query(`SET TimeZone = 'America/New_York'`);
    const instants = sample(fc.integer({ min: Date.UTC(1890, 0, 1) / 1000, max: Date.UTC(2060, 0, 1) / 1000 }), 200, 3);
    const intervals = sample(fc.tuple(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -400, max: 400 }), fc.integer({ min: -100000, max: 100000 })), 200, 4);
    const cases = instants.flatMap((seconds, i) => {
      const text = new Date(seconds * 1000).toISOString().replace('T', ' ').replace('.000Z', '+00');
      const [months, days, secs] = intervals[i]!;
      const intervalText = `${months} mons ${days} days ${secs} seconds`;
      return [
        { sql: `SELECT format('%s', ${quote(text)}::timestamptz)`, ours: () => { const t = typeByName('timestamptz')!; return t.formatText(t.parseText(text, -1, testContext.settings), testContext.settings); } },
        { sql: `SELECT format('%s', ${quote(text)}::timestamptz + ${quote(intervalText)}::interval)`, ours: () => binary('+', 1184, 1186, text, intervalText) },
        { sql: `SELECT format('%s', ${quote(text)}::timestamptz::timestamp - ${quote(intervalText)}::interval)`, ours: () => binary('-', 1114, 1186, formatLocal(text), intervalText) },
      ];
    });
    try {
      await compare(cases);
    } finally {
      await oracle!.client.query('RESET TimeZone');
    }
  });

  it('date and timestamp input in many spellings', async () => {
    const months = ['Jan', 'February', 'mar', 'APR', 'May', 'June', 'jul', 'Aug', 'Sept', 'Oct', 'nov', 'December'];
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    const spellings = sample(fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }),
      fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 999999 }), fc.integer({ min: 0, max: 9 }), fc.boolean()), 300, 7)
      .map(([y, m, d, hh, mi, ss, us, style, bc]) => {
        const time = `${pad(hh)}:${pad(mi)}:${pad(ss)}${us ? '.' + pad(us, 6) : ''}`;
        const suffix = bc ? ' BC' : '';
        switch (style) {
          case 0: return `${pad(y, 4)}-${pad(m)}-${pad(d)} ${time}${suffix}`;
          case 1: return `${months[m - 1]} ${d} ${pad(y, 4)} ${time}${suffix}`;
          case 2: return `${d} ${months[m - 1]} ${pad(y, 4)}${suffix}`;
          case 3: return `${m}/${d}/${pad(y, 4)} ${hh % 12 || 12}:${pad(mi)} ${hh < 12 ? 'AM' : 'PM'}`;
          case 4: return `${pad(y, 4)}${pad(m)}${pad(d)}T${pad(hh)}${pad(mi)}${pad(ss)}`;
          case 5: return `${pad(d)}-${months[m - 1]!.slice(0, 3)}-${pad(y, 4)} ${time}`;
          case 6: return `${pad(y, 4)}-${months[m - 1]!.slice(0, 3)}-${pad(d)}`;
          case 7: return `${pad(y, 4)}-${pad(m)}-${pad(d)}T${time}Z`;
          case 8: return `${months[m - 1]} ${d}, ${pad(y, 4)}`;
          default: return `${pad(y, 4)}.${pad(m)}.${pad(d)} ${time}`;
        }
      });
    const timestamp = typeByName('timestamp')!;
    const date = typeByName('date')!;
    await compare(spellings.flatMap((text) => [
      { sql: `SELECT format('%s', ${quote(text)}::timestamp)`, ours: () => timestamp.formatText(timestamp.parseText(text, -1, defaultFormatSettings), defaultFormatSettings) },
      { sql: `SELECT format('%s', ${quote(text)}::date)`, ours: () => date.formatText(date.parseText(text, -1, defaultFormatSettings), defaultFormatSettings) },
    ]));
  });

  it('interval input with mixed and fractional units', async () => {
    const units = ['microseconds', 'milliseconds', 'seconds', 'minutes', 'hours', 'days', 'weeks', 'months', 'years', 'decades', 'centuries'];
    const part = fc.tuple(fc.integer({ min: -500, max: 500 }), fc.constantFrom(0, 0, 0.5, 0.25, 0.1, 0.75, 0.333), fc.constantFrom(...units))
      .map(([whole, fraction, unit]) => `${whole < 0 ? '-' : ''}${Math.abs(whole) + fraction} ${unit}`);
    const texts = sample(fc.tuple(fc.array(part, { minLength: 1, maxLength: 4 }), fc.boolean()), 300, 6).map(([parts, ago]) => parts.join(' ') + (ago ? ' ago' : ''));
    const interval = typeByName('interval')!;
    await compare(texts.map((text) => ({
      sql: `SELECT format('%s', ${quote(text)}::interval)`,
      ours: () => interval.formatText(interval.parseText(text, -1, defaultFormatSettings), defaultFormatSettings),
    })));
  });

  it('interval * and / float8, interval output', async () => {
    const cases = sample(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -100, max: 100 }), fc.integer({ min: -(10 ** 9), max: 10 ** 9 }), fc.double({ min: -20, max: 20, noNaN: true })), 200, 5)
      .flatMap(([months, days, ms, factor]) => {
        const intervalText = `${months} mons ${days} days ${ms / 1000} seconds`;
        const factorText = String(factor);
        return [
          { sql: `SELECT format('%s', ${quote(intervalText)}::interval * ${quote(factorText)}::float8)`, ours: () => binary('*', 1186, 701, intervalText, factorText) },
          { sql: `SELECT format('%s', ${quote(intervalText)}::interval / ${quote(factorText)}::float8)`, ours: () => binary('/', 1186, 701, intervalText, factorText) },
        ];
      });
    await compare(cases);
  });
});

import { findCast } from '../../src/types/index.js';
function castOf(from: number, to: number, value: unknown): unknown {
  return findCast(from, to)!.convert(value, -1, defaultFormatSettings);
}

/** The timestamp (without zone) a timestamptz literal becomes in the test's zone. */
function formatLocal(text: string): string {
  const settings = testContext.settings;
  const tz = typeByName('timestamptz')!.parseText(text, -1, settings);
  const local = findCast(1184, 1114)!.convert(tz, -1, settings);
  return typeByName('timestamp')!.formatText(local, settings);
}
