// The differential runner: checked on its own (it must see every kind of disagreement and no
// false ones), then used to compare Cambium with PostgreSQL 15 statement by statement.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { cambiumOrSkip } from '../harness/cambium.js';
import { gatedOnCambium } from '../harness/gates.js';
import { sharedPostgres, type DatabaseServer } from '../harness/postgres.js';
import { regressionScripts, scratchDatabase, sqlDirectory } from '../harness/regress.js';
import {
  compareOutcomes,
  connectAsText,
  formatReport,
  hasTopLevelOrderBy,
  loadParser,
  runDifferential,
  splitStatements,
  type Outcome,
  type Statement,
} from './runner.js';

/** A script's SQL statements (psql meta-commands, lines starting with a backslash, are left out). */
function scriptStatements(name: string): string[] {
  const script = readFileSync(join(sqlDirectory, `${name}.sql`), 'utf8');
  return splitStatements(script.split('\n').filter((line) => !line.trimStart().startsWith('\\')).join('\n'));
}

async function connectToScratch(server: DatabaseServer, name: string): Promise<pg.Client> {
  return connectAsText({ host: server.host, port: server.port, user: server.user, database: await scratchDatabase(server, name) });
}

/** Statements run through the extended protocol with parameters (as drivers do). */
const parameterizedCase: Statement[] = [
  'create table params (id int primary key, label text, amount numeric)',
  { text: 'insert into params values ($1, $2, $3), ($4, $5, $6)', values: [1, 'one', '1.50', 2, null, '-3'] },
  { text: 'select * from params where id = $1', values: [1] },
  { text: 'select label is null, amount * $1 from params order by id', values: ['2'] },
  { text: 'select $1::int + $2::int', values: ['2147483647', '1'] },
  { text: 'insert into params values ($1, $2, $3)', values: [1, 'duplicate', 0] },
  'drop table params',
];

describe('differential runner', () => {
  before(() => loadParser());
  const success = (rows: Array<Array<string | null>>, tag = `SELECT ${rows.length}`): Outcome => ({
    ok: true,
    commandTag: tag,
    fields: [{ name: 'a', typeOid: 23 }],
    rows,
  });

  it('sees differences in rows, order, tags, columns and SQLSTATEs', () => {
    expect(compareOutcomes(success([['1'], ['2']]), success([['2'], ['1']]), false)).to.deep.equal([]);
    expect(compareOutcomes(success([['1'], ['2']]), success([['2'], ['1']]), true)).to.have.length(2);
    expect(compareOutcomes(success([['1']]), success([['1'], ['1']]), false).join()).to.match(/1 rows expected, got 2/);
    expect(compareOutcomes(success([[null]]), success([['']]), false)).to.have.length(1);
    expect(compareOutcomes(success([], 'INSERT 0 1'), success([], 'INSERT 0 2'), false).join()).to.match(/command tag/);
    const otherColumns: Outcome = { ok: true, commandTag: 'SELECT 0', fields: [{ name: 'a', typeOid: 20 }], rows: [] };
    expect(compareOutcomes(success([]), otherColumns, false).join()).to.match(/columns \[a:23\] expected, got \[a:20\]/);
    const uniqueViolation: Outcome = { ok: false, sqlstate: '23505', message: 'duplicate key' };
    const checkViolation: Outcome = { ok: false, sqlstate: '23514', message: 'check' };
    expect(compareOutcomes(uniqueViolation, { ...uniqueViolation, message: 'other words' }, false)).to.deep.equal([]);
    expect(compareOutcomes(uniqueViolation, checkViolation, false).join()).to.match(/SQLSTATE 23505 expected, got 23514/);
    expect(compareOutcomes(uniqueViolation, success([]), false).join()).to.match(/expected ERROR 23505/);
  });

  it('knows which statements define their row order', () => {
    expect(hasTopLevelOrderBy('select * from t order by a')).to.equal(true);
    expect(hasTopLevelOrderBy('select * from (select * from t order by a) s')).to.equal(false);
    expect(hasTopLevelOrderBy("select 'order by' from t")).to.equal(false);
    expect(hasTopLevelOrderBy('select 1 union select 2 order by 1')).to.equal(true);
  });

  it('splits scripts into statements', () => {
    expect(splitStatements("-- c\nselect 1;\nselect ';' ; /* x */ insert into t values (1)")).to.deep.equal([
      'select 1',
      "select ';'",
      'insert into t values (1)',
    ]);
  });

  describe('PostgreSQL against itself (no false disagreements)', function () {
    this.timeout(60_000);
    for (const name of regressionScripts()) {
      it(`sql/${name}.sql agrees`, async () => {
        const server = await sharedPostgres();
        const [left, right] = [await connectToScratch(server, `${name}_left`), await connectToScratch(server, `${name}_right`)];
        try {
          const report = await runDifferential(scriptStatements(name), left, right);
          expect(report.mismatches, formatReport(report)).to.deep.equal([]);
        } finally {
          await Promise.all([left.end(), right.end()]);
        }
      });
    }

    it('reports a real disagreement readably', async () => {
      const server = await sharedPostgres();
      const [left, right] = [await connectToScratch(server, 'diverge_left'), await connectToScratch(server, 'diverge_right')];
      try {
        await left.query('create table t (a int primary key); insert into t values (1), (2)');
        await right.query('create table t (a int primary key); insert into t values (1), (3)');
        const report = await runDifferential(['select a from t', 'insert into t values (3)', 'select count(*) from t'], left, right);
        const text = formatReport(report, 'left', 'right');
        expect(report.mismatches.map((mismatch) => mismatch.index)).to.deep.equal([0, 1, 2]);
        expect(text).to.contain('row 2 (sorted): expected ["2"], got ["3"]');
        expect(text).to.contain('expected success (INSERT 0 1), got ERROR 23505');
        expect(text).to.contain('row 1 (sorted): expected ["3"], got ["2"]');
      } finally {
        await Promise.all([left.end(), right.end()]);
      }
    });
  });

  describe('Cambium against PostgreSQL 15', function () {
    this.timeout(60_000);
    const cases: Array<[string, () => Statement[]]> = [
      ...regressionScripts().map((name): [string, () => Statement[]] => [name, () => scriptStatements(name)]),
      ['parameters', () => parameterizedCase],
    ];
    for (const [name, statements] of cases) {
      it(`${name} agrees`, async function () {
        const cambium = await cambiumOrSkip(this);
        await gatedOnCambium(this, `differential/${name}`, async () => {
          const postgres = await connectToScratch(await sharedPostgres(), `differential_${name}`);
          const candidate = await connectToScratch(cambium, `differential_${name}`);
          try {
            const report = await runDifferential(statements(), postgres, candidate);
            expect(report.mismatches, formatReport(report)).to.deep.equal([]);
          } finally {
            await Promise.all([postgres.end(), candidate.end().catch(() => undefined)]);
          }
        });
      });
    }
  });
});
