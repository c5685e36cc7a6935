// EXPLAIN and EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) on Cambium have PostgreSQL's shape: the
// text lines look like PostgreSQL's (cost / actual / Sort Method / timing summary), and the JSON
// document uses only keys PostgreSQL 15 itself emits, with actual row counts that are true.
import { expect } from 'chai';
import pg from 'pg';
import { cambiumOrSkip } from '../harness/cambium.js';
import { gatedOnCambium } from '../harness/gates.js';
import { sharedPostgres, type DatabaseServer } from '../harness/postgres.js';
import { scratchDatabase } from '../harness/regress.js';

const setup = [
  'CREATE TABLE ex (id int4 PRIMARY KEY, a int4, b text)',
  `INSERT INTO ex VALUES ${Array.from({ length: 200 }, (_, i) => `(${i + 1}, ${i % 7}, 'v${i % 13}')`).join(', ')}`,
];
const query = 'SELECT a, count(*) FROM ex WHERE id > 10 GROUP BY a ORDER BY 2 DESC, 1 LIMIT 3';

async function connect(server: DatabaseServer): Promise<pg.Client> {
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: await scratchDatabase(server, 'explain') });
  await client.connect();
  for (const statement of setup) await client.query(statement);
  return client;
}

function planKeys(plan: Record<string, unknown>, into = new Set<string>()): Set<string> {
  for (const [key, value] of Object.entries(plan)) {
    into.add(key);
    if (key === 'Plans') for (const child of value as Array<Record<string, unknown>>) planKeys(child, into);
  }
  return into;
}

describe('EXPLAIN in PostgreSQL shape', function () {
  this.timeout(60_000);

  it('text and JSON EXPLAIN (ANALYZE, BUFFERS) look like PostgreSQL 15 and count rows truly', async function () {
    const server = await cambiumOrSkip(this);
    await gatedOnCambium(this, 'differential/explain/shape', async () => {
      const postgres = await connect(await sharedPostgres());
      const cambium = await connect(server);
      try {
        const plain = (await cambium.query(`EXPLAIN ${query}`)).rows.map((row) => row['QUERY PLAN'] as string);
        expect(plain[0]).to.match(/^Limit {2}\(cost=\d+\.\d\d\.\.\d+\.\d\d rows=\d+ width=\d+\)$/);
        expect(plain.some((line) => /^ {2}->  Sort {2}\(cost=/.test(line))).to.equal(true);
        expect(plain.some((line) => /Sort Key: /.test(line))).to.equal(true);

        const analyzed = (await cambium.query(`EXPLAIN (ANALYZE, BUFFERS) ${query}`)).rows.map((row) => row['QUERY PLAN'] as string);
        expect(analyzed[0]).to.match(/^Limit {2}\(cost=[\d.]+\.\.[\d.]+ rows=\d+ width=\d+\) \(actual time=[\d.]+\.\.[\d.]+ rows=3 loops=1\)$/);
        expect(analyzed.some((line) => /Sort Method: top-N heapsort {2}Memory: \d+kB/.test(line))).to.equal(true);
        expect(analyzed.some((line) => /rows=7 loops=1/.test(line)), 'the aggregate produced 7 groups').to.equal(true);
        expect(analyzed[analyzed.length - 2]).to.match(/^Planning Time: [\d.]+ ms$/);
        expect(analyzed[analyzed.length - 1]).to.match(/^Execution Time: [\d.]+ ms$/);

        const jsonText = (await cambium.query({ text: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query}`, rowMode: 'array', types: { getTypeParser: () => (value: string) => value } as never })).rows[0][0] as string;
        expect(jsonText).to.match(/"Startup Cost": \d+\.\d\d,/);
        const ours = JSON.parse(jsonText) as Array<Record<string, any>>;
        const theirs = (await postgres.query({ text: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query}`, rowMode: 'array' })).rows[0][0] as Array<Record<string, any>>;
        expect(Object.keys(ours[0]!).filter((key) => key !== 'Planning')).to.deep.equal(Object.keys(theirs[0]!).filter((key) => key !== 'Planning'));
        const vocabulary = planKeys(theirs[0]!.Plan);
        for (const extra of ['Index Name', 'Hash Cond', 'Join Filter', 'Join Type', 'Relation Name', 'Alias', 'Filter', 'Rows Removed by Filter', 'Strategy', 'Command']) vocabulary.add(extra);
        expect([...planKeys(ours[0]!.Plan)].filter((key) => !vocabulary.has(key))).to.deep.equal([]);
        expect(ours[0]!.Plan['Node Type']).to.equal('Limit');
        expect(ours[0]!.Plan['Actual Rows']).to.equal(3);
      } finally {
        await postgres.end();
        await cambium.end();
      }
    });
  });
});
