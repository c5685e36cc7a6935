// pgbench: -i -s 2, then TPC-B-like in simple, extended and prepared modes and select-only,
// 4 clients each: zero failed transactions and the row counts and balances pgbench implies.
import { expect } from 'chai';
import pg from 'pg';
import { initializePgbench, runPgbench, type PgbenchMode, type PgbenchScript } from '../../bench/lib/pgbench-runner.js';
import { describeClient, type Target } from './targets.js';

const seconds = Number(process.env.CAMBIUM_PGBENCH_SECONDS ?? 5);
const scale = 2;

async function query(target: Target, sql: string): Promise<Array<Record<string, string>>> {
  const client = new pg.Client({ host: target.server.host, port: target.server.port, user: target.server.user, database: target.database });
  await client.connect();
  try {
    return (await client.query({ text: sql, types: { getTypeParser: () => (value: string) => value } as never })).rows;
  } finally {
    await client.end();
  }
}

async function balancesAgree(target: Target): Promise<void> {
  const [sums] = await query(
    target,
    'select (select sum(abalance) from pgbench_accounts) as a, (select sum(tbalance) from pgbench_tellers) as t, ' +
      '(select sum(bbalance) from pgbench_branches) as b, (select count(*) from pgbench_history) as h',
  );
  expect(sums!.a, 'accounts vs tellers').to.equal(sums!.t);
  expect(sums!.t, 'tellers vs branches').to.equal(sums!.b);
}

describeClient('pgbench', (clientCase) => {
  clientCase(
    `-i -s ${scale} creates and fills the tables`,
    async (target) => {
      await initializePgbench(target.environment, scale);
      const [counts] = await query(
        target,
        'select (select count(*) from pgbench_accounts) as accounts, (select count(*) from pgbench_tellers) as tellers, ' +
          '(select count(*) from pgbench_branches) as branches, (select count(*) from pgbench_history) as history',
      );
      expect(counts).to.deep.equal({ accounts: String(100_000 * scale), tellers: String(10 * scale), branches: String(scale), history: '0' });
    },
    180_000,
  );

  const runs: Array<[PgbenchScript, PgbenchMode]> = [
    ['tpcb-like', 'simple'],
    ['tpcb-like', 'extended'],
    ['tpcb-like', 'prepared'],
    ['select-only', 'prepared'],
  ];
  for (const [script, mode] of runs) {
    clientCase(
      `${script} -M ${mode} -c 4 -T ${seconds}: no failed transactions`,
      async (target) => {
        const report = await runPgbench(target.environment, { script, mode, clients: 4, durationSeconds: seconds });
        expect(report.failed, report.output).to.equal(0);
        expect(report.processed, report.output).to.be.greaterThan(0);
        expect(report.output).to.contain(`scaling factor: ${scale}`);
        if (script === 'tpcb-like') {
          // pgbench truncates the history before each run: one history row per transaction of this run.
          const [history] = await query(target, 'select count(*) as n from pgbench_history');
          expect(Number(history!.n)).to.equal(report.processed);
        }
        await balancesAgree(target);
      },
      (seconds + 60) * 1000,
    );
  }
});
