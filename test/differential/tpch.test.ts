// TPC-H-style queries (bench/tpch) on a tiny data set: each of the 22 must run on PostgreSQL 15
// and, on Cambium, return PostgreSQL's answer (gated per query in test/cambium-enabled.txt as
// differential/tpch/Qn until Cambium's planner covers it).
import { expect } from 'chai';
import type pg from 'pg';
import { generateTables, insertStatements, schemaStatements } from '../../bench/tpch/data.js';
import { tpchQueries } from '../../bench/tpch/queries.js';
import { cambiumOrSkip } from '../harness/cambium.js';
import { enabledOnCambium, gatedOnCambium } from '../harness/gates.js';
import { sharedPostgres, type DatabaseServer } from '../harness/postgres.js';
import { scratchDatabase } from '../harness/regress.js';
import { compareOutcomes, connectAsText, execute, type Outcome } from './runner.js';

const scaleFactor = 0.001;
const statements = [...schemaStatements, ...insertStatements(generateTables(scaleFactor)), 'ANALYZE'];
const queries = tpchQueries(scaleFactor);

/** Per-query budget on Cambium: a query still running then counts as a disagreement (pending). */
const queryTimeoutMs = 15_000;

async function loadedDatabase(server: DatabaseServer): Promise<{ client: pg.Client; database: string }> {
  const database = await scratchDatabase(server, 'tpch');
  const client = await connectAsText({ ...server, database });
  for (const statement of statements) {
    const outcome = await execute(client, statement);
    if (!outcome.ok) throw new Error(`loading TPC-H data failed: ${outcome.sqlstate} ${outcome.message}`);
  }
  return { client, database };
}

describe('TPC-H-style queries (bench/tpch)', function () {
  this.timeout(120_000);
  const answers = new Map<string, Outcome>();
  let cambium: pg.Client | undefined;
  let cambiumDatabase: string | undefined;
  let cambiumLoadError: Error | undefined;

  before(async () => {
    const { client: postgres } = await loadedDatabase(await sharedPostgres());
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
      // A query Cambium can't run fast yet would occupy the shared server (a running statement
      // isn't stopped by closing its connection), so only enabled ones run unless asked.
      if (!enabledOnCambium(`differential/tpch/${query.name}`) && process.env.CAMBIUM_TPCH_ALL !== '1') {
        console.log(`      (differential/tpch/${query.name} not in test/cambium-enabled.txt; CAMBIUM_TPCH_ALL=1 runs it)`);
        this.skip();
      }
      const server = await cambiumOrSkip(this);
      await gatedOnCambium(this, `differential/tpch/${query.name}`, async () => {
        if (!cambiumDatabase && !cambiumLoadError) {
          try {
            ({ client: cambium, database: cambiumDatabase } = await loadedDatabase(server));
          } catch (error) {
            cambiumLoadError = error as Error;
          }
        }
        if (cambiumLoadError) throw cambiumLoadError;
        cambium ??= await connectAsText({ ...server, database: cambiumDatabase! });
        const client = cambium;
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          execute(client, query.sql),
          new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), queryTimeoutMs))),
        ]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          // Drop the busy connection; the next query gets a fresh one.
          cambium = undefined;
          void client.end().catch(() => undefined);
          throw new Error(`still running after ${queryTimeoutMs} ms`);
        }
        const differences = compareOutcomes(answers.get(query.name)!, outcome, /\border by\b/i.test(query.sql));
        expect(differences, query.sql).to.deep.equal([]);
      });
    });
  }
});
