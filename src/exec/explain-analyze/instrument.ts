// EXPLAIN ANALYZE instrumentation: each plan node's row source is wrapped to count loops and
// rows, time its next() calls (startup = until the first row) and, with BUFFERS, the page-cache
// hits and misses during its calls (children included, as PostgreSQL reports them).
import type { PlanNode, Row } from '../../plan/index.js';
import type { ExecState, RowSource } from '../state.js';

export interface NodeStatistics {
  loops: number;
  rows: number;
  /** Milliseconds to the first row, summed over loops. */
  startupMs: number;
  totalMs: number;
  cacheHits: number;
  cacheMisses: number;
}

export interface Instrumentation {
  readonly nodes: Map<PlanNode, NodeStatistics>;
  /** Engine page-cache counters (hits, misses) when BUFFERS was asked for. */
  readonly cacheCounters?: () => { hits: number; misses: number };
}

const instrumented = new WeakMap<ExecState, Instrumentation>();

export function instrument(state: ExecState, instrumentation: Instrumentation): void {
  instrumented.set(state, instrumentation);
}

/** Called by openPlan for every node opened; returns the source unchanged when not analyzing. */
export function instrumentSource(node: PlanNode, state: ExecState, open: () => RowSource): RowSource {
  const instrumentation = instrumented.get(state);
  if (!instrumentation) return open();
  let stats = instrumentation.nodes.get(node);
  if (!stats) instrumentation.nodes.set(node, (stats = { loops: 0, rows: 0, startupMs: 0, totalMs: 0, cacheHits: 0, cacheMisses: 0 }));
  const counters = instrumentation.cacheCounters;
  const statistics = stats;
  statistics.loops++;
  const loopStartTotal = statistics.totalMs;
  const opened = performance.now();
  const before = counters?.();
  const source = open();
  let firstRow = true;
  const account = (started: number, startCounters: { hits: number; misses: number } | undefined) => {
    statistics.totalMs += performance.now() - started;
    if (startCounters && counters) {
      const after = counters();
      statistics.cacheHits += after.hits - startCounters.hits;
      statistics.cacheMisses += after.misses - startCounters.misses;
    }
  };
  account(opened, before);
  return {
    next: (): Row | undefined => {
      const started = performance.now();
      const startCounters = counters?.();
      const row = source.next();
      account(started, startCounters);
      if (firstRow) {
        // Startup: this node's own (inclusive) time in this loop until its first row.
        firstRow = false;
        statistics.startupMs += statistics.totalMs - loopStartTotal;
      }
      if (row) statistics.rows++;
      return row;
    },
    close: () => source.close(),
  };
}
