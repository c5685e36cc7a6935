// Runs the pgbench program (PostgreSQL 15's) against a server and reads its report and, when
// asked, its per-transaction log (latencies in microseconds).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerLeftover, run, type RunResult } from '../../test/harness/processes.js';

export const pgbenchProgram = process.env.CAMBIUM_PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';

export type PgbenchMode = 'simple' | 'extended' | 'prepared';
export type PgbenchScript = 'tpcb-like' | 'select-only';

export interface PgbenchRun {
  script: PgbenchScript;
  mode: PgbenchMode;
  clients: number;
  durationSeconds: number;
  /** pgbench worker threads (default 1: the client should not take a core from the server). */
  threads?: number;
  /** Collect every transaction's latency (pgbench -l). */
  logLatencies?: boolean;
}

export interface PgbenchReport {
  tps: number;
  processed: number;
  failed: number;
  latencyAverageMs: number;
  /** Per-transaction latencies in microseconds, when logLatencies was set. */
  latenciesMicroseconds?: number[];
  output: string;
}

export class PgbenchError extends Error {
  constructor(
    message: string,
    readonly result: RunResult,
  ) {
    super(`${message}\n${result.stdout}\n${result.stderr}`.trim());
  }
}

function numberAfter(output: string, label: RegExp): number | undefined {
  const match = label.exec(output);
  return match ? Number(match[1]) : undefined;
}

export function parsePgbenchOutput(output: string): Omit<PgbenchReport, 'output' | 'latenciesMicroseconds'> | undefined {
  const processed = numberAfter(output, /number of transactions actually processed: (\d+)/);
  const tps = numberAfter(output, /tps = ([\d.]+) \(without initial connection time\)/);
  if (processed === undefined || tps === undefined) return undefined;
  return {
    processed,
    tps,
    failed: numberAfter(output, /number of failed transactions: (\d+)/) ?? 0,
    latencyAverageMs: numberAfter(output, /latency average = ([\d.]+) ms/) ?? Number.NaN,
  };
}

/** `pgbench -i -s SCALE` (client-side data generation, as pgbench does by default). */
export async function initializePgbench(environment: NodeJS.ProcessEnv, scale: number, timeoutMs = 600_000): Promise<RunResult> {
  const result = await run(pgbenchProgram, ['-i', '-s', String(scale), '-q'], { env: environment, timeoutMs });
  if (result.code !== 0) throw new PgbenchError(`pgbench -i -s ${scale} failed (${result.code ?? result.signal})`, result);
  return result;
}

export async function runPgbench(environment: NodeJS.ProcessEnv, options: PgbenchRun): Promise<PgbenchReport> {
  const args = [
    '-M',
    options.mode,
    '-c',
    String(options.clients),
    '-j',
    String(options.threads ?? 1),
    '-T',
    String(options.durationSeconds),
    '-b',
    options.script,
  ];
  let logDirectory: string | undefined;
  const registration = registerLeftover({});
  try {
    if (options.logLatencies) {
      logDirectory = mkdtempSync(join(tmpdir(), 'cambium-pgbench-'));
      registration.update({ directory: logDirectory });
      args.push('-l', `--log-prefix=${join(logDirectory, 'transactions')}`);
    }
    const result = await run(pgbenchProgram, args, { env: environment, timeoutMs: (options.durationSeconds + 120) * 1000 });
    const output = `${result.stdout}${result.stderr}`;
    const parsed = parsePgbenchOutput(output);
    if (result.code !== 0 || !parsed) throw new PgbenchError(`pgbench ${args.join(' ')} failed (${result.code ?? result.signal})`, result);
    const report: PgbenchReport = { ...parsed, output };
    if (logDirectory) report.latenciesMicroseconds = readTransactionLogs(logDirectory);
    return report;
  } finally {
    if (logDirectory) rmSync(logDirectory, { recursive: true, force: true });
    registration.release();
  }
}

/** pgbench -l lines: `client transaction latency_us script epoch_s epoch_us` (one file per thread). */
function readTransactionLogs(directory: string): number[] {
  const latencies: number[] = [];
  for (const name of readdirSync(directory)) {
    for (const line of readFileSync(join(directory, name), 'utf8').split('\n')) {
      const fields = line.split(' ');
      if (fields.length >= 3 && fields[2] !== 'failed' && fields[2] !== 'skipped') latencies.push(Number(fields[2]));
    }
  }
  return latencies;
}
