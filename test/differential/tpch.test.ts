// TPC-H-style queries (bench/tpch) on a tiny data set: each of the 22 must run on PostgreSQL 15
// and, on Cambium, return PostgreSQL's answer (gated per query in test/cambium-enabled.txt as
// differential/tpch/Qn until Cambium's planner covers it).
import { expect } from 'chai';
import type pg from 'pg';
import { generateTables, insertStatements, schemaStatements } from '../../bench/tpch/data.js';
import { tpchQueries } from '../../bench/tpch/queries.js';
import { cambiumOrSkip } from '../harness/cambium.js';
import { gatedOnCambium } from '../harness/gates.js';
import { sharedPostgres, type DatabaseServer } from '../harness/postgres.js';
import { scratchDatabase } from '../harness/regress.js';
import { compareOutcomes, connectAsText, execute, type Outcome } from './runner.js';

const scaleFactor = 0.001;
const statements = [...schemaStatements, ...insertStatements(generateTables(scaleFactor)), 'ANALYZE'];
const queries = tpchQueries(scaleFactor);

async function loadedDatabase(server: DatabaseServer): Promise<pg.Client> {
  const client = await connectAsText({ ...server, database: await scratchDatabase(server, 'tpch') });
  for (const statement of statements) {
    const outcome = await execute(client, statement);
    if (!outcome.ok) throw new Error(`loading TPC-H data failed: ${outcome.sqlstate} ${outcome.message}`);
  }
  return client;
}

describe('TPC-H-style queries (bench/tpch)', function () {
  this.timeout(120_000);
  const answers = new Map<string, Outcome>();
  let cambium: pg.Client | undefined;
  let cambiumLoadError: Error | undefined;

  before(async () => {
    const postgres = await loadedDatabase(await sharedPostgres());
    try {
      for (const query of queries) answers.set(query.name, await execute(postgres, query.sql));
    } finally {
      await postgres.end();
    }
  });
  after(async () => cambium?.end());

  it('all 22 run on PostgreSQL 15, and most return rows on the small data set', () => {
    const failed = queries.filter((q) => !answers.get(q.name)!.ok).map((q) => `${q.name}: ${JSON.stringify(answers.get(q.name))}`);
    expect(failed).to.deep.equal([]);
    const withRows = queries.filter((q) => {
      const outcome = answers.get(q.name)!;
      return outcome.ok && outcome.rows.length > 0;
    });
    expect(withRows.length).to.be.at.least(18);
  });

  for (const query of queries) {
    it(`${query.name} returns PostgreSQL's answer on Cambium`, async function () {
      const server = await cambiumOrSkip(this);
      await gatedOnCambium(this, `differential/tpch/${query.name}`, async () => {
        if (!cambium && !cambiumLoadError) {
          try {
            cambium = await loadedDatabase(server);
          } catch (error) {
            cambiumLoadError = error as Error;
          }
        }
        if (cambiumLoadError) throw cambiumLoadError;
        const differences = compareOutcomes(answers.get(query.name)!, await execute(cambium!, query.sql), /\border by\b/i.test(query.sql));
        expect(differences, query.sql).to.deep.equal([]);
      });
    });
  }
});
