// The txn suite: a contended transfer workload (few hot rows, several clients, each transaction
// reads one account and moves money to another) at READ COMMITTED, REPEATABLE READ and
// SERIALIZABLE, on Cambium and PostgreSQL 15 in the same run. It reports committed transactions
// per second and the abort rate (40001/40P01 over all attempts) side by side, and checks that the
// total balance is conserved on both.
import pg from 'pg';
import type { DatabaseServer } from '../test/harness/postgres.js';
import { scratchDatabase } from '../test/harness/regress.js';
import { failedMeasurement, type BenchContext, type Measurement, type Metric, type Suite, type SuiteResult } from './lib/suite.js';

type Level = 'read committed' | 'repeatable read' | 'serializable';

export interface TxnBenchPlan {
  clients: number;
  accounts: number;
  seconds: number;
  levels: Level[];
}

const initialBalance = 1_000;
const table = 'txn_bench_accounts';

export function txnBenchPlan(context: Pick<BenchContext, 'quick' | 'smoke'>): TxnBenchPlan {
  const seconds = process.env.CAMBIUM_BENCH_SECONDS ? Number(process.env.CAMBIUM_BENCH_SECONDS) : undefined;
  const levels: Level[] = ['read committed', 'repeatable read', 'serializable'];
  if (context.smoke) return { clients: 4, accounts: 10, seconds: seconds ?? 0.5, levels };
  if (context.quick) return { clients: 8, accounts: 10, seconds: seconds ?? 3, levels };
  return { clients: 8, accounts: 10, seconds: seconds ?? 10, levels };
}

interface WorkloadOutcome {
  commits: number;
  aborts: number;
  deadlocks: number;
  seconds: number;
  totalConserved: boolean;
}

const retryableCodes = new Set(['40001', '40P01']);

async function prepareTable(connection: pg.ClientConfig, accounts: number): Promise<void> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    await client.query(`drop table if exists ${table}`);
    await client.query(`create table ${table} (id int primary key, balance int not null)`);
    const values = Array.from({ length: accounts }, (_, index) => `(${index + 1}, ${initialBalance})`).join(', ');
    await client.query(`insert into ${table} (id, balance) values ${values}`);
  } finally {
    await client.end();
  }
}

async function totalBalance(connection: pg.ClientConfig): Promise<number> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    const result = await client.query(`select sum(balance)::int as total from ${table}`);
    return Number(result.rows[0].total);
  } finally {
    await client.end();
  }
}

/** One client: transfers until the deadline, retrying nothing (each attempt counts). */
async function transferLoop(connection: pg.ClientConfig, level: Level, accounts: number, deadline: number, outcome: WorkloadOutcome): Promise<void> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    while (performance.now() < deadline) {
      const from = 1 + Math.floor(Math.random() * accounts);
      const to = 1 + ((from + Math.floor(Math.random() * (accounts - 1))) % accounts);
      try {
        await client.query(`begin isolation level ${level}`);
        const read = await client.query(`select balance from ${table} where id = $1`, [from]);
        const amount = Number(read.rows[0].balance) > 0 ? 1 : 0;
        await client.query(`update ${table} set balance = balance - $2 where id = $1`, [from, amount]);
        await client.query(`update ${table} set balance = balance + $2 where id = $1`, [to, amount]);
        await client.query('commit');
        outcome.commits++;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === undefined || !retryableCodes.has(code)) throw error;
        outcome.aborts++;
        if (code === '40P01') outcome.deadlocks++;
        await client.query('rollback');
      }
    }
  } finally {
    await client.end();
  }
}

export async function runTxnWorkload(server: DatabaseServer, plan: TxnBenchPlan, level: Level): Promise<WorkloadOutcome> {
  const connection = { host: server.host, port: server.port, user: server.user, database: await scratchDatabase(server, 'txn_bench') };
  await prepareTable(connection, plan.accounts);
  const outcome: WorkloadOutcome = { commits: 0, aborts: 0, deadlocks: 0, seconds: plan.seconds, totalConserved: false };
  const started = performance.now();
  const deadline = started + plan.seconds * 1000;
  await Promise.all(Array.from({ length: plan.clients }, () => transferLoop(connection, level, plan.accounts, deadline, outcome)));
  outcome.seconds = (performance.now() - started) / 1000;
  outcome.totalConserved = (await totalBalance(connection)) === plan.accounts * initialBalance;
  if (!outcome.totalConserved) throw new Error(`total balance not conserved at ${level}`);
  return outcome;
}

const abortRatePercent = (outcome: WorkloadOutcome) => (100 * outcome.aborts) / Math.max(1, outcome.commits + outcome.aborts);

function measured(outcome: WorkloadOutcome | Error, figure: (outcome: WorkloadOutcome) => number): Measurement {
  if (outcome instanceof Error) return failedMeasurement(outcome);
  return {
    value: figure(outcome),
    details: { commits: outcome.commits, aborts: outcome.aborts, deadlocks: outcome.deadlocks, seconds: Number(outcome.seconds.toFixed(3)) },
  };
}

async function attempt(server: DatabaseServer | null, unavailable: string | undefined, plan: TxnBenchPlan, level: Level): Promise<WorkloadOutcome | Error> {
  if (server === null) return new Error(unavailable ?? 'no server');
  try {
    return await runTxnWorkload(server, plan, level);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The suite's entry point (bench registry): both servers, every level, side by side. */
export async function runTxnBench(context: BenchContext): Promise<SuiteResult> {
  const plan = txnBenchPlan(context);
  const metrics: Metric[] = [];
  const notes = [
    `${plan.clients} clients, ${plan.accounts} hot accounts, ${plan.seconds} s per level and server; ` +
      'transaction = read one balance, update it and another account; aborted attempts (40001, 40P01) are not retried but counted',
  ];
  for (const level of plan.levels) {
    context.log(`txn: ${level} on PostgreSQL`);
    const postgres = await attempt(context.postgres, undefined, plan, level);
    context.log(`txn: ${level} on Cambium`);
    const cambium = await attempt(context.cambium, context.cambiumUnavailable, plan, level);
    metrics.push({
      name: `${level}: committed`,
      unit: 'txn/s',
      better: 'higher',
      cambium: measured(cambium, (outcome) => outcome.commits / outcome.seconds),
      postgres: measured(postgres, (outcome) => outcome.commits / outcome.seconds),
    });
    metrics.push({
      name: `${level}: abort rate`,
      unit: '%',
      better: 'lower',
      cambium: measured(cambium, abortRatePercent),
      postgres: measured(postgres, abortRatePercent),
    });
    if (!(cambium instanceof Error) && !(postgres instanceof Error)) {
      notes.push(`${level}: abort rate Cambium ${abortRatePercent(cambium).toFixed(1)}% vs PostgreSQL ${abortRatePercent(postgres).toFixed(1)}% (${(abortRatePercent(cambium) - abortRatePercent(postgres)).toFixed(1)} points)`);
    }
  }
  return { suite: 'txn', metrics, notes };
}

export const txnSuite: Suite = {
  name: 'txn',
  description: 'contended transfers at READ COMMITTED, REPEATABLE READ and SERIALIZABLE: committed txn/s and abort rate',
  run: runTxnBench,
};
