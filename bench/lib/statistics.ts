// Latency summaries from raw samples.
import { latencyPercentiles, type LatencySummary } from './suite.js';

/** Summarizes latencies given in microseconds as milliseconds at the standard percentiles. */
export function summarizeLatencies(microseconds: readonly number[]): LatencySummary | undefined {
  if (microseconds.length === 0) return undefined;
  const sorted = Float64Array.from(microseconds).sort();
  const at = (percentile: number) => {
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((percentile / 100) * sorted.length) - 1));
    return sorted[rank]! / 1000;
  };
  let total = 0;
  for (const value of sorted) total += value;
  return {
    count: sorted.length,
    meanMs: total / sorted.length / 1000,
    percentilesMs: latencyPercentiles.map(at),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
