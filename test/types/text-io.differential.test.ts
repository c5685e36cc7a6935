// Text input/output of every type compared with PostgreSQL 15: the printed value, or the
// SQLSTATE and message of the error.
import { expect } from 'chai';
import { defaultFormatSettings, typeByName } from '../../src/types/index.js';
import { isSqlError } from '../../src/util/errors.js';
import { PgOracle, oracleAvailable, quote } from './pg-oracle.js';

export const textInputCases: Record<string, string[]> = {
  int2: ['0', '-32768', '32767', '32768', '-32769', ' 12 ', '+5', '-0', '1.5', '', 'abc', '1e3', '00012', '12 3'],
  int4: ['0', '2147483647', '-2147483648', '2147483648', '99999999999', ' -7', 'abc', '', ' ', '3.0', '0x10', '1_000'],
  int8: ['9223372036854775807', '-9223372036854775808', '9223372036854775808', '42', ' 42 ', 'x1', '-'],
  oid: ['0', '4294967295', '4294967296', '-1', '-2147483648', '-2147483649', 'abc'],
  float8: [
    '0', '-0', '1', '1.5', '0.1', '1e15', '1e16', '123456789012345', '1234567890123456', '1e-4', '1e-5', '0.0001234',
    '3.141592653589793', '1e308', '1e309', '-1e309', '1e-320', '1e-400', 'NaN', 'nan', 'Infinity', '-Infinity', 'inf',
    '-INF', '+inf', '  2.5  ', 'abc', '', '1e', '.5', '5.', '-.5e-3', '100', '1e22', '1e21', '123e18', '2.2250738585072014e-308',
  ],
  float4: ['0', '1.1', '0.1', '3.4028235e38', '3.5e38', '1e-45', '1e-50', '123456', '1234567', '1e6', '100000', '1e-5', 'NaN', '-Infinity', 'x', '16777217'],
  numeric: [
    '0', '0.00', '1.50', '-1.50', '  3.14  ', '1e3', '1.5e3', '1e-3', '1.23E+2', '-0', '-0.000', '.5', '5.', 'NaN', 'nan',
    'Infinity', '-Infinity', 'inf', '-inf', 'abc', '', '1e', '1e1001', '12345678901234567890.123456789', '0001.10', '+7',
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
    if (!oracleAvailable()) {
      console.warn('PostgreSQL 15 binaries absent (/usr/lib/postgresql/15/bin): skipping differential tests');
      this.skip();
    }
    oracle = await PgOracle.start();
  });
  after(async () => oracle?.stop());

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
