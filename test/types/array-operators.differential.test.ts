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
};

describe('types: array operators match PostgreSQL 15', function () {
  let oracle: PgOracle | undefined;
  before(async function () {
    oracle = await oracleOrSkip(this);
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
                const value = op.impl(parse(a), parse(b), testContext);
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
