// A long query must not freeze other connections: while one connection runs a heavy sort over a
// million-row join, point queries on another connection keep answering in milliseconds (the
// sort hands control back to the event loop between slices of rows; see
// src/exec/nodes/yielding.ts).
import { expect } from 'chai';
import pg from 'pg';
import { cambiumOrSkip } from '../harness/cambium.js';
import { gatedOnCambium } from '../harness/gates.js';
import { scratchDatabase } from '../harness/regress.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

describe('a heavy query does not block other connections', function () {
  this.timeout(120_000);

  it('point queries answer within milliseconds while a million-row sort runs', async function () {
    const server = await cambiumOrSkip(this);
    await gatedOnCambium(this, 'differential/concurrency/point-query-during-heavy-sort', async () => {
      const database = await scratchDatabase(server, 'yielding');
      const connect = async () => {
        const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database });
        await client.connect();
        return client;
      };
      const point = await connect();
      const heavy = await connect();
      try {
        await point.query('CREATE TABLE pt (id int4 PRIMARY KEY, v text)');
        const values = Array.from({ length: 1200 }, (_, i) => `(${i + 1}, 'value ${((i + 1) * 7919) % 1000}')`);
        await point.query(`INSERT INTO pt VALUES ${values.join(', ')}`);
        // Warm both paths so that planning and first-use costs are not measured.
        await point.query({ text: 'SELECT v FROM pt WHERE id = $1', values: [1] });
        await heavy.query('SELECT a.id FROM pt a CROSS JOIN pt b WHERE a.id < 3 ORDER BY a.v || b.v DESC LIMIT 1');

        const started = performance.now();
        let heavyDone = false;
        const heavyRun = heavy
          .query('SELECT a.id, b.id FROM pt a CROSS JOIN pt b ORDER BY a.v || b.v DESC, a.id, b.id LIMIT 3')
          .then((result) => {
            heavyDone = true;
            return { ms: performance.now() - started, rows: result.rowCount };
          });
        const latencies: number[] = [];
        while (!heavyDone) {
          const sent = performance.now();
          const result = await point.query({ text: 'SELECT v FROM pt WHERE id = $1', values: [latencies.length % 1200 + 1] });
          latencies.push(performance.now() - sent);
          expect(result.rows).to.have.length(1);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const { ms, rows } = await heavyRun;
        latencies.sort((a, b) => a - b);
        const median = percentile(latencies, 0.5);
        const p90 = percentile(latencies, 0.9);
        console.log(`      heavy sort of 1.44M rows: ${ms.toFixed(0)} ms; ${latencies.length} point queries meanwhile: median ${median.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms`);
        expect(rows).to.equal(3);
        // The heavy query must really overlap the point queries for the test to mean anything.
        expect(latencies.length).to.be.at.least(10);
        expect(median).to.be.below(25);
        expect(p90).to.be.below(80);
      } finally {
        await point.end();
        await heavy.end();
      }
    });
  });
});
