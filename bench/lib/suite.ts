// What a benchmark suite is and what it returns. A suite does the same work on Cambium and on
// PostgreSQL 15 in one run and reports each figure for both; the harness computes the ratios,
// prints the tables, writes bench/results/<timestamp>.json and regenerates docs/performance.md.
import type { DatabaseServer } from '../../test/harness/postgres.js';

export interface LatencySummary {
  count: number;
  meanMs: number;
  /** Latency in ms at each of latencyPercentiles (same order). */
  percentilesMs: number[];
}

/** The percentiles every latency distribution is reported at (100 = the maximum). */
export const latencyPercentiles = [1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100] as const;

export interface Measurement {
  /** The figure, or null when this side could not run it (see error). */
  value: number | null;
  error?: string;
  latency?: LatencySummary;
  /** Anything else worth keeping in the JSON (server CPU per transaction, RSS, …). */
  details?: Record<string, number | string>;
}

export interface Metric {
  name: string;
  /** e.g. 'tps', 'ms', 'µs', 'MB'. */
  unit: string;
  /** Whether a bigger figure is better (throughput) or a smaller one (time, memory). */
  better: 'higher' | 'lower';
  cambium: Measurement;
  /** null when the metric has no PostgreSQL counterpart (e.g. an engine-internal figure). */
  postgres: Measurement | null;
  /** The ratio the issues ask for (see ratioOf), when there is one. */
  targetRatio?: number;
}

export interface SuiteResult {
  suite: string;
  metrics: Metric[];
  notes?: string[];
  /** Seconds the suite took. Filled in by the harness. */
  elapsedSeconds?: number;
}

export interface BenchContext {
  /** Short runs with small data: `--quick` and the CI smoke test. */
  readonly quick: boolean;
  /** The CI smoke test: the smallest run that still exercises every code path (≈5 s per suite). */
  readonly smoke: boolean;
  /** `--profile`: the Cambium server runs with --cpu-prof; the profile lands in profileDirectory. */
  readonly profile: boolean;
  readonly profileDirectory?: string;
  /** PostgreSQL 15 with fsync=on and synchronous_commit=on. */
  readonly postgres: DatabaseServer;
  /** The Cambium server, or null (with the reason) when `cambium serve` cannot run yet. */
  readonly cambium: DatabaseServer | null;
  readonly cambiumUnavailable?: string;
  log(line: string): void;
}

export interface Suite {
  name: string;
  description: string;
  run(context: BenchContext): Promise<SuiteResult>;
}

/**
 * Cambium relative to PostgreSQL, oriented so that ≥ 1 always means "Cambium is as good or
 * better": throughput ratio for higher-is-better figures, inverse time ratio for lower ones.
 */
export function ratioOf(metric: Metric): number | null {
  const cambium = metric.cambium.value;
  const postgres = metric.postgres?.value ?? null;
  if (cambium === null || postgres === null || cambium <= 0 || postgres <= 0) return null;
  return metric.better === 'higher' ? cambium / postgres : postgres / cambium;
}

/** A measurement of a side that could not run, keeping why. */
export function failedMeasurement(error: unknown): Measurement {
  return { value: null, error: (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300) };
}
