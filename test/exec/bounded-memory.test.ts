// Bounded memory through the real path: with a tiny work_mem, a big sort spills sorted runs to
// temp files (EXPLAIN ANALYZE reports "external merge") and a big hash aggregation spills
// partitions, and so does a big hash join; all still return PostgreSQL's answers.
import { expect } from 'chai';
import pg from 'pg';
import { cambiumOrSkip } from '../harness/cambium.js';
import { gatedOnCambium } from '../harness/gates.js';
import { sharedPostgres, type DatabaseServer } from '../harness/postgres.js';
import { scratchDatabase } from '../harness/regress.js';
import { compareOutcomes, connectAsText, execute } from '../differential/runner.js';

const values = (count: number) => `(VALUES ${Array.from({ length: count }, (_, i) => `(${i})`).join(', ')})`;
const setup = [
  'CREATE TABLE big (id int4 PRIMARY KEY, k int4, v text)',
  `INSERT INTO big SELECT a.i * 100 + b.i, (a.i * 7919 + b.i * 104729) % 3000, ((a.i * 31 + b.i) % 997)::text FROM ${values(100)} AS a(i), ${values(100)} AS b(i)`,
  "SET work_mem = '64kB'",
];
const queries = [
  'SELECT id, k, v FROM big ORDER BY v DESC, k, id',
  'SELECT k, count(*), min(v), max(id) FROM big GROUP BY k ORDER BY k',
  'SELECT count(*) FROM (SELECT DISTINCT k FROM big) AS d',
  'SELECT a.k, count(*), max(b.v) FROM big AS a JOIN big AS b ON a.id = b.id + 1 GROUP BY a.k ORDER BY 1',
  'SELECT count(*), count(b.id), sum(a.k) FROM big AS a FULL JOIN big AS b ON a.id = b.k * 2',
];

async function prepare(server: DatabaseServer): Promise<pg.Client> {
  const client = await connectAsText({ ...server, database: await scratchDatabase(server, 'bounded') });
  for (const statement of setup) {
    const outcome = await execute(client, statement);
    if (!outcome.ok) throw new Error(`${statement.slice(0, 40)}: ${outcome.sqlstate} ${outcome.message}`);
  }
  return client;
}

describe('bounded memory: sorts and hash aggregates spill beyond work_mem', function () {
  this.timeout(120_000);

  it('a 10 000-row sort and a 3 000-group aggregation under work_mem = 64kB spill and answer like PostgreSQL', async function () {
    const server = await cambiumOrSkip(this);
    await gatedOnCambium(this, 'differential/bounded-memory/spill', async () => {
      const postgres = await prepare(await sharedPostgres());
      const cambium = await prepare(server);
      try {
        for (const query of queries) {
          const expected = await execute(postgres, query);
          const actual = await execute(cambium, query);
          expect(compareOutcomes(expected, actual, /ORDER BY/.test(query)), query).to.deep.equal([]);
        }
        const plan = await execute(cambium, `EXPLAIN (ANALYZE) ${queries[0]}`);
        expect(plan.ok).to.equal(true);
        const lines = plan.ok ? plan.rows.map((row) => row[0]!) : [];
        expect(lines.some((line) => /Sort Method: external merge {2}Disk: \d+kB/.test(line)), lines.join('\n')).to.equal(true);
        const joinPlan = await execute(cambium, `EXPLAIN ${queries[3]}`);
        expect(joinPlan.ok && joinPlan.rows.some((row) => /Hash Join/.test(row[0]!)), 'the join runs as a (spilling) hash join').to.equal(true);
      } finally {
        await postgres.end();
        await cambium.end();
      }
    });
  });
});
