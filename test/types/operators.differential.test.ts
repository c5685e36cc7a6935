// Every operator the types layer registers, applied to a matrix of operands and compared with
// PostgreSQL 15 (value as printed, or SQLSTATE and message), plus result types.
import { expect } from 'chai';
import { defaultFormatSettings, typeByOid } from '../../src/types/index.js';
import { operatorCandidates, type FunctionContext } from '../../src/types/functions/api.js';
import { isSqlError } from '../../src/util/errors.js';
import { type PgOracle, oracleOrSkip, quote } from './pg-oracle.js';

export const operandSamples: Record<number, string[]> = {
  21: ['0', '1', '-1', '7', '-3', '32767', '-32768'],
  23: ['0', '1', '-1', '7', '-3', '100000', '2147483647', '-2147483648'],
  20: ['0', '1', '-1', '7', '-3', '3000000000', '9223372036854775807', '-9223372036854775808'],
  700: ['0', '1.5', '-2.5', '3.4e38', '1e-38', 'NaN', 'Infinity', '-0'],
  701: ['0', '1.5', '-2.5', '1e308', '1e-308', 'NaN', '-Infinity', '0.1', '3'],
  1700: ['0', '1.50', '-2.5', '3', '0.001', '1e20', 'NaN', 'Infinity', '-Infinity', '7', '0.0000'],
  25: ['', 'a', 'ab', 'B', 'é', 'a '],
  19: ['a', 'b', ''],
  1042: ['a ', 'a', 'b', ''],
  18: ['a', 'b'],
  17: ['\\x', '\\x00', '\\x0102', '\\x01'],
  16: ['t', 'f'],
  26: ['0', '1', '4294967295'],
  1082: ['2000-01-01', '2020-02-29', 'infinity', '-infinity', '0001-01-01 BC'],
  1083: ['00:00', '12:34:56.789', '23:59:59.999999', '24:00'],
  1266: ['12:00+02', '11:00+01', '00:00-05'],
  1114: ['2000-01-01 00:00', '2020-01-31 12:00', 'infinity', '1999-12-31 23:59:59.5', '2021-03-13 02:30', '294276-12-30 00:00'],
  1184: ['2000-01-01 00:00+00', '2020-01-31 12:00-05', '-infinity', '2021-03-13 07:30+00', '2021-11-06 05:30+00'],
  1186: ['1 mon', '30 days', '1 day -01:00', '-1 year 2 mons', '00:00:01.5', '1 mon 1 day 00:00:01', '24:00:00'],
  2950: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '00000000-0000-0000-0000-000000000000'],
  3802: ['{"a": 1}', '[1, 2]', '1', 'null', '"a"', '[]', '{"b": 1, "a": 2}', '{"aa": 1}', 'true', '[1]', '1.0', '{"a": 1, "b": 0}'],
};

export const operatorNames = ['+', '-', '*', '/', '%', '^', '|/', '||/', '@', '&', '|', '#', '~', '<<', '>>', '||', '=', '<>', '<', '<=', '>', '>='];

export const testContext = {
  settings: { ...defaultFormatSettings, timeZone: 'America/New_York' },
  transactionTimestamp: 0n,
  statementTimestamp: 0n,
  session: { user: 'postgres', database: 'postgres', processId: 1, searchPath: ['public'], getSetting: () => undefined },
} satisfies FunctionContext;

interface Case {
  sql: string;
  ours: () => string;
}

export function operatorCases(samples: Record<number, string[]>, names: string[]): { label: string; cases: Case[] }[] {
  const groups: { label: string; cases: Case[] }[] = [];
  for (const name of names) {
    for (const op of operatorCandidates(name)) {
      if (name === '~' && op.left !== 0) continue; // regular expressions belong to the function library
      const leftSamples = op.left === 0 ? [undefined] : samples[op.left];
      const rightSamples = samples[op.right];
      if (!leftSamples || !rightSamples) continue;
      const leftType = op.left === 0 ? undefined : typeByOid(op.left)!;
      const rightType = typeByOid(op.right)!;
      const resultOid = typeof op.result === 'number' ? op.result : op.result(op.left, op.right);
      const resultType = typeByOid(resultOid)!;
      const cases: Case[] = [];
      for (const l of leftSamples) {
        for (const r of rightSamples) {
          const leftSql = l === undefined ? '' : `${quote(l)}::${leftType!.name === 'char' ? '"char"' : leftType!.name}`;
          const rightSql = `${quote(r)}::${rightType.name === 'char' ? '"char"' : rightType.name}`;
          cases.push({
            sql: `SELECT format('%s', (${leftSql} OPERATOR(pg_catalog.${name}) ${rightSql}))`,
            ours: () => {
              try {
                const settings = testContext.settings;
                const left = l === undefined ? null : leftType!.parseText(l, -1, settings);
                const right = rightType.parseText(r, -1, settings);
                const value = op.impl(left, right, testContext);
                return 'OK:' + resultType.formatText(value, settings);
              } catch (error) {
                if (isSqlError(error)) return `ERR:${error.code}:${error.message}`;
                return `CRASH:${String(error)}`;
              }
            },
          });
        }
      }
      groups.push({ label: `${leftType?.name ?? ''} ${name} ${rightType.name}`, cases });
    }
  }
  return groups;
}

describe('types: operators match PostgreSQL 15', function () {
  let oracle: PgOracle | undefined;
  before(async function () {
    oracle = await oracleOrSkip(this);
  });

  it('every registered operator over its operand matrix (TimeZone America/New_York)', async () => {
    await oracle!.client.query(`SET TimeZone = 'America/New_York'`);
    const groups = operatorCases(operandSamples, operatorNames);
    const all = groups.flatMap((g) => g.cases.map((c) => ({ label: g.label, ...c })));
    expect(all.length).to.be.greaterThan(1000);
    const expected = await oracle!.evaluate(all.map((c) => c.sql));
    await oracle!.client.query('RESET TimeZone');
    const mismatches = all
      .map((c, i) => ({ sql: c.sql, postgres: expected[i], cambium: c.ours() }))
      .filter((row) => row.postgres !== row.cambium);
    expect(mismatches.slice(0, 30), `${mismatches.length} of ${all.length} differ`).to.deep.equal([]);
  });

  it('result types and OIDs are pg_operator\'s', async () => {
    const rows = (await oracle!.client.query('SELECT oid::int, oprname, oprleft::int, oprright::int, oprresult::int FROM pg_operator')).rows as {
      oid: number; oprname: string; oprleft: number; oprright: number; oprresult: number;
    }[];
    const byKey = new Map(rows.map((r) => [`${r.oprname}:${r.oprleft}:${r.oprright}`, r]));
    const wrong: unknown[] = [];
    for (const name of operatorNames) {
      for (const op of operatorCandidates(name)) {
        if (op.oid === undefined) continue; // registered by the function library, not by this layer
        const row = byKey.get(`${name}:${op.left}:${op.right}`);
        if (!row || (typeof op.result === 'number' && row.oprresult !== op.result) || row.oid !== op.oid) wrong.push({ name, left: op.left, right: op.right, result: op.result, oid: op.oid, postgres: row });
      }
    }
    expect(wrong).to.deep.equal([]);
  });
});
