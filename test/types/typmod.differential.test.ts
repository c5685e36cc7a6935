// Type modifiers and format_type compared with PostgreSQL 15: the typmod a column declaration
// stores, and how format_type prints it; typmodin errors.
import { expect } from 'chai';
import { formatType, typeByName, typmodFromModifiers } from '../../src/types/index.js';
import { isSqlError } from '../../src/util/errors.js';
import { type PgOracle, oracleOrSkip, quote } from './pg-oracle.js';

const columns: Array<[string, string, number[]]> = [
  ['varchar(10)', 'varchar', [10]],
  ['character varying', 'varchar', []],
  ['char(3)', 'bpchar', [3]],
  ['numeric(10,2)', 'numeric', [10, 2]],
  ['numeric(5)', 'numeric', [5]],
  ['numeric(3,-2)', 'numeric', [3, -2]],
  ['numeric', 'numeric', []],
  ['timestamp(3)', 'timestamp', [3]],
  ['timestamptz', 'timestamptz', []],
  ['timestamp(0) with time zone', 'timestamptz', [0]],
  ['time(2)', 'time', [2]],
  ['time with time zone', 'timetz', []],
  ['interval(3)', 'interval', [3]],
  ['interval', 'interval', []],
  ['int[]', 'int4[]', []],
  ['varchar(5)[]', 'varchar[]', [5]],
  ['"char"', '"char"', []],
  ['double precision', 'float8', []],
  ['boolean', 'bool', []],
  ['bytea', 'bytea', []],
  ['jsonb', 'jsonb', []],
  ['uuid', 'uuid', []],
];

describe('types: typmods and format_type match PostgreSQL 15', function () {
  let oracle: PgOracle | undefined;
  before(async function () {
    oracle = await oracleOrSkip(this);
  });

  it('column typmods and format_type', async () => {
    const definition = columns.map(([sql], i) => `c${i} ${sql}`).join(', ');
    await oracle!.client.query(`DROP TABLE IF EXISTS typmods; CREATE TABLE typmods (${definition})`);
    const rows = (
      await oracle!.client.query(`SELECT attnum, atttypid::int AS oid, atttypmod AS typmod, format_type(atttypid, atttypmod) AS shown
        FROM pg_attribute WHERE attrelid = 'typmods'::regclass AND attnum > 0 ORDER BY attnum`)
    ).rows as { oid: number; typmod: number; shown: string }[];
    const ours = columns.map(([, name, modifiers]) => {
      const type = typeByName(name)!;
      const typmod = typmodFromModifiers(type.element?.oid ?? type.oid, modifiers);
      return { oid: type.oid, typmod, shown: formatType(type.oid, typmod) };
    });
    expect(ours).to.deep.equal(rows.map(({ oid, typmod, shown }) => ({ oid, typmod, shown })));
  });

  it('typmodin errors', async () => {
    const cases: Array<[string, string, number[]]> = [
      ['varchar(0)', 'varchar', [0]],
      ['varchar(10485761)', 'varchar', [10485761]],
      ['char(0)', 'bpchar', [0]],
      ['numeric(0)', 'numeric', [0]],
      ['numeric(1001)', 'numeric', [1001]],
      ['numeric(5,1001)', 'numeric', [5, 1001]],
    ];
    const expected = await oracle!.evaluate(cases.map(([sql]) => `SELECT format('%s', ${quote('1')}::${sql})`));
    const actual = cases.map(([, name, modifiers]) => {
      try {
        typmodFromModifiers(typeByName(name)!.oid, modifiers);
        return 'OK';
      } catch (error) {
        return isSqlError(error) ? `ERR:${error.code}:${error.message}` : String(error);
      }
    });
    expect(actual).to.deep.equal(expected);
  });
});
