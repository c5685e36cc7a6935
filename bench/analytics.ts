// The analytics suite: TPC-H-style data (bench/tpch/data.ts, our own generator) loaded into
// Cambium and PostgreSQL 15, then the 22 queries timed on both in the same run (alternating
// servers per repetition), each answer checked against PostgreSQL's. Target: within 2× of
// PostgreSQL per query. `runAnalyticsBench(context)` is the suite body for the bench registry;
// `node dist/bench/analytics.js [--scale SF]` runs it standalone.
import pg from 'pg';
import { pathToFileURL } from 'node:url';
import type { DatabaseServer } from '../test/harness/postgres.js';
import { compareOutcomes, connectAsText, execute, type Outcome } from '../test/differential/runner.js';
import { generateTables, insertStatements, schemaStatements, tableNames } from './tpch/data.js';
import { tpchQueries } from './tpch/queries.js';
import type { BenchContext, Measurement, Metric, Suite } from './lib/suite.js';

/** The parts of the harness's BenchContext (bench/lib/suite.ts) this suite uses. */
export interface AnalyticsContext {
  readonly quick: boolean;
  readonly smoke: boolean;
  readonly postgres: DatabaseServer;
  readonly cambium: DatabaseServer | null;
  readonly cambiumUnavailable?: string;
  log(line: string): void;
}

export interface AnalyticsResult {
  suite: string;
  metrics: Metric[];
  notes?: string[];
}

export interface AnalyticsOptions {
  scaleFactor?: number;
  repetitions?: number;
}

function planFor(context: AnalyticsContext, options: AnalyticsOptions): { scaleFactor: number; repetitions: number } {
  const fromEnvironment = process.env.CAMBIUM_TPCH_SCALE ? Number(process.env.CAMBIUM_TPCH_SCALE) : undefined;
  if (context.smoke) return { scaleFactor: options.scaleFactor ?? fromEnvironment ?? 0.0002, repetitions: options.repetitions ?? 1 };
  if (context.quick) return { scaleFactor: options.scaleFactor ?? fromEnvironment ?? 0.005, repetitions: options.repetitions ?? 1 };
  return { scaleFactor: options.scaleFactor ?? fromEnvironment ?? 0.01, repetitions: options.repetitions ?? 3 };
}

/** A fresh `tpch` database on the server, or its default database when it can't create one. */
async function connectToFreshDatabase(server: DatabaseServer): Promise<pg.Client> {
  const admin = await connectAsText(server);
  let database = server.database;
  try {
    await admin.query('drop database if exists tpch_bench');
    await admin.query('create database tpch_bench');
    database = 'tpch_bench';
  } catch {
    for (const table of [...tableNames].reverse()) await admin.query(`drop table if exists ${table}`).catch(() => undefined);
  } finally {
    await admin.end();
  }
  return connectAsText({ ...server, database });
}

async function load(client: pg.Client, statements: string[]): Promise<Measurement> {
  const started = performance.now();
  for (const statement of statements) {
    const outcome = await execute(client, statement);
    if (!outcome.ok) return { value: null, error: `${outcome.sqlstate} ${outcome.message} in ${statement.slice(0, 60)}…` };
  }
  return { value: (performance.now() - started) / 1000 };
}

interface QueryRun {
  times: number[];
  outcome?: Outcome;
  error?: string;
  timedOut?: boolean;
}

/** A query still running after this long is reported as timed out (the server stays busy, so later Cambium queries are skipped). */
const queryTimeoutMs = { smoke: 5_000, quick: 60_000, full: 300_000 };

async function timeQuery(client: pg.Client, sql: string, run: QueryRun, timeoutMs = Infinity): Promise<void> {
  if (run.error) return;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    execute(client, sql),
    new Promise<'timeout'>((resolve) => {
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve('timeout'), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    run.error = `timed out after ${timeoutMs} ms`;
    run.timedOut = true;
    return;
  }
  const elapsed = performance.now() - started;
  if (!outcome.ok) {
    run.error = `${outcome.sqlstate} ${outcome.message}`;
    return;
  }
  run.times.push(elapsed);
  run.outcome ??= outcome;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function runAnalyticsBench(context: AnalyticsContext, options: AnalyticsOptions = {}): Promise<AnalyticsResult> {
  const plan = planFor(context, options);
  context.log(`analytics: generating TPC-H-style data at scale ${plan.scaleFactor}`);
  const tables = generateTables(plan.scaleFactor);
  const rowCounts = tables.map(({ table, rows }) => `${table} ${rows.length}`).join(', ');
  const statements = [...schemaStatements, ...insertStatements(tables), 'ANALYZE'];
  const queries = tpchQueries(plan.scaleFactor);

  const postgres = await connectToFreshDatabase(context.postgres);
  const cambium = context.cambium ? await connectToFreshDatabase(context.cambium).catch(() => null) : null;
  try {
    context.log('analytics: loading PostgreSQL');
    const postgresLoad = await load(postgres, statements);
    context.log('analytics: loading Cambium');
    const cambiumLoad: Measurement = cambium ? await load(cambium, statements) : { value: null, error: context.cambiumUnavailable ?? 'Cambium not running' };
    const metrics: Metric[] = [{ name: 'load (INSERT … VALUES, ANALYZE)', unit: 's', better: 'lower', cambium: cambiumLoad, postgres: postgresLoad }];

    let agreed = 0;
    let cambiumBusy: string | undefined;
    const timeoutMs = queryTimeoutMs[context.smoke ? 'smoke' : context.quick ? 'quick' : 'full'];
    for (const query of queries) {
      const postgresRun: QueryRun = { times: [] };
      const cambiumRun: QueryRun = cambium && cambiumLoad.value !== null && !cambiumBusy ? { times: [] } : { times: [], error: cambiumBusy ?? cambiumLoad.error ?? 'not loaded' };
      // One warm-up each, then alternate so that machine drift affects both sides alike.
      await timeQuery(postgres, query.sql, { times: [] });
      if (cambium && !cambiumRun.error) {
        const warmUp: QueryRun = { times: [] };
        await timeQuery(cambium, query.sql, warmUp, timeoutMs);
        if (warmUp.timedOut) {
          cambiumRun.error = warmUp.error;
          cambiumBusy = `skipped: the server was still busy with ${query.name}`;
        }
      }
      for (let repetition = 0; repetition < plan.repetitions; repetition++) {
        await timeQuery(postgres, query.sql, postgresRun);
        if (cambium) await timeQuery(cambium, query.sql, cambiumRun, timeoutMs);
        if (cambiumRun.timedOut) cambiumBusy = `skipped: the server was still busy with ${query.name}`;
      }
      const differences = postgresRun.outcome && cambiumRun.outcome ? compareOutcomes(postgresRun.outcome, cambiumRun.outcome, /\border by\b/i.test(query.sql)) : ['no answer'];
      if (differences.length === 0) agreed++;
      const rows = postgresRun.outcome?.ok ? postgresRun.outcome.rows.length : 0;
      const cambiumMeasurement: Measurement = cambiumRun.error
        ? { value: null, error: cambiumRun.error }
        : differences.length > 0
          ? { value: median(cambiumRun.times), error: `answer differs from PostgreSQL: ${differences[0]}` }
          : { value: median(cambiumRun.times), details: { rows } };
      metrics.push({
        name: query.name,
        unit: 'ms',
        better: 'lower',
        cambium: cambiumMeasurement,
        postgres: postgresRun.error ? { value: null, error: postgresRun.error } : { value: median(postgresRun.times), details: { rows } },
        targetRatio: 0.5,
      });
      context.log(`  ${query.name}: PostgreSQL ${postgresRun.error ?? `${median(postgresRun.times).toFixed(1)} ms (${rows} rows)`}, Cambium ${cambiumMeasurement.value === null ? cambiumMeasurement.error : `${cambiumMeasurement.value.toFixed(1)} ms`}${differences.length > 0 && !cambiumRun.error ? ' (answer differs)' : ''}`);
    }
    metrics.push({ name: 'queries answering as PostgreSQL', unit: 'of 22', better: 'higher', cambium: { value: agreed }, postgres: null });
    return {
      suite: 'analytics',
      metrics,
      notes: [`TPC-H-style data at scale ${plan.scaleFactor} (${rowCounts}); median of ${plan.repetitions} run(s) after one warm-up; text results compared with PostgreSQL's`],
    };
  } finally {
    await postgres.end();
    // A timed-out query may still be running on a client; don't wait for it.
    void cambium?.end().catch(() => undefined);
  }
}

/** The suite entry for bench/suites.ts. */
export const analyticsSuite: Suite = {
  name: 'analytics',
  description: 'TPC-H-style data and 22 queries, Cambium vs PostgreSQL 15',
  run: (context: BenchContext) => runAnalyticsBench(context),
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { startPostgres } = await import('../test/harness/postgres.js');
  const { startCambium } = await import('../test/harness/cambium.js');
  const scaleIndex = process.argv.indexOf('--scale');
  const scaleFactor = scaleIndex > 0 ? Number(process.argv[scaleIndex + 1]) : undefined;
  const postgresServer = await startPostgres({ fsync: false, synchronousCommit: false });
  let cambiumServer: DatabaseServer | null = null;
  let cambiumUnavailable: string | undefined;
  try {
    cambiumServer = await startCambium();
  } catch (error) {
    cambiumUnavailable = (error as Error).message.split('\n')[0];
  }
  try {
    const result = await runAnalyticsBench(
      { quick: process.argv.includes('--quick'), smoke: process.argv.includes('--smoke'), postgres: postgresServer, cambium: cambiumServer, cambiumUnavailable, log: (line) => console.log(line) },
      { scaleFactor },
    );
    for (const note of result.notes ?? []) console.log(note);
  } finally {
    await cambiumServer?.stop();
    await postgresServer.stop();
  }
}
