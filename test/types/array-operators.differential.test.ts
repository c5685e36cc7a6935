// Polymorphic array operators (comparisons, @>, <@, &&, ||) over arrays of several element
// types, compared with PostgreSQL 15.
import { expect } from 'chai';
import { defaultFormatSettings, typeByName } from '../../src/types/index.js';
import { PseudoType, operatorCandidates } from '../../src/types/functions/api.js';
import { isSqlError } from '../../src/util/errors.js';
import { type PgOracle, oracleOrSkip, quote } from './pg-oracle.js';
import { testContext } from './operators.differential.test.js';

const arrays: Record<string, string[]> = {
  'int4[]': ['{}', '{1,2}', '{1,2,3}', '{2,1}', '{1,NULL}', '{{1,2},{3,4}}', '[0:1]={1,2}', '{3}'],
  'text[]': ['{}', '{a,b}', '{a}', '{b,NULL}', '{"a b",c}'],
  'numeric[]': ['{1.0,2}', '{1,2.00}', '{NaN}', '{}'],
  'bpchar[]': ['{"a ",b}', '{a,b}', '{"a  "}'],
};

describe('types: array operators match PostgreSQL 15', function () {
  let oracle: PgOracle | undefined;
  before(async function () {
    oracle = await oracleOrSkip(this);
  });

  it('text || anynonarray and anynonarray || text use the operand type\'s output', async () => {
    const values: Array<[string, string]> = [['int4', '42'], ['float8', '1e20'], ['date', '2020-02-29'], ['numeric', '1.50'], ['bool', 'true'],
      ['interval', '1 day 02:00'], ['timestamptz', '2021-06-01 12:00+00'], ['uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11']];
    const textcat = operatorCandidates('||').find((o) => o.left === 25 && o.right === PseudoType.anynonarray)!;
    const anytext = operatorCandidates('||').find((o) => o.left === PseudoType.anynonarray && o.right === 25)!;
    const cases = values.flatMap(([typeName, literal]) => {
      const type = typeByName(typeName)!;
      const value = () => type.parseText(literal, -1, testContext.settings);
      return [
        { sql: `SELECT format('%s', 'x:' || ${quote(literal)}::${typeName})`, ours: () => textcat.impl('x:', value(), testContext, [25, type.oid]) as string },
        { sql: `SELECT format('%s', ${quote(literal)}::${typeName} || ':x')`, ours: () => anytext.impl(value(), ':x', testContext, [type.oid, 25]) as string },
      ];
    });
    await oracle!.client.query(`SET TimeZone = 'America/New_York'`);
    const expected = await oracle!.evaluate(cases.map((c) => c.sql));
    await oracle!.client.query('RESET TimeZone');
    expect(cases.map((c) => 'OK:' + c.ours())).to.deep.equal(expected);
  });

  it('comparisons, containment, overlap and concatenation', async () => {
    const cases: Array<{ sql: string; ours: () => string }> = [];
    for (const [typeName, literals] of Object.entries(arrays)) {
      const type = typeByName(typeName)!;
      const element = type.element!;
      const parse = (text: string) => type.parseText(text, -1, defaultFormatSettings);
      for (const name of ['=', '<>', '<', '<=', '>', '>=', '@>', '<@', '&&', '||']) {
        const op = operatorCandidates(name).find((o) => o.left === (name === '||' ? PseudoType.anycompatiblearray : PseudoType.anyarray) && o.right === o.left)!;
        for (const a of literals) {
          for (const b of literals) {
            cases.push({
              sql: `SELECT format('%s', ${quote(a)}::${typeName} ${name} ${quote(b)}::${typeName})`,
              ours: () => {
                const value = op.impl(parse(a), parse(b), testContext, [type.oid, type.oid]);
                return name === '||' ? type.formatText(value, defaultFormatSettings) : value ? 't' : 'f';
              },
            });
          }
        }
      }
      const append = operatorCandidates('||').find((o) => o.left === PseudoType.anycompatiblearray && o.right === PseudoType.anycompatible)!;
      const prepend = operatorCandidates('||').find((o) => o.left === PseudoType.anycompatible && o.right === PseudoType.anycompatiblearray)!;
      const elementText = typeName === 'text[]' ? 'z' : '9';
      for (const a of literals) {
        const elementValue = element.parseText(elementText, -1, defaultFormatSettings);
        cases.push({ sql: `SELECT format('%s', ${quote(a)}::${typeName} || ${quote(elementText)}::${element.name})`, ours: () => type.formatText(append.impl(parse(a), elementValue, testContext), defaultFormatSettings) });
        cases.push({ sql: `SELECT format('%s', ${quote(elementText)}::${element.name} || ${quote(a)}::${typeName})`, ours: () => type.formatText(prepend.impl(elementValue, parse(a), testContext), defaultFormatSettings) });
      }
    }
    const expected = await oracle!.evaluate(cases.map((c) => c.sql));
    const actual = cases.map((c) => {
      try {
        return 'OK:' + c.ours();
      } catch (error) {
        return isSqlError(error) ? `ERR:${error.code}:${error.message}` : `CRASH:${String(error)}`;
      }
    });
    const mismatches = cases.map((c, i) => ({ sql: c.sql, postgres: expected[i], cambium: actual[i] })).filter((r) => r.postgres !== r.cambium);
    expect(mismatches.slice(0, 20), `${mismatches.length} of ${cases.length} differ`).to.deep.equal([]);
  });
});
