// EXPLAIN and EXPLAIN ANALYZE for a planned statement (statement.ts hands over the plan).
import type { PlanNode, Row } from '../../plan/index.js';
import type { Value } from '../../types/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import type { Execution, StatementHost } from '../api.js';
import { openPlan } from '../nodes/index.js';
import { execState } from '../query.js';
import { explainOptions, explainOutput } from './explain.js';
import { instrument, type Instrumentation } from './instrument.js';

export { instrumentSource } from './instrument.js';

/** Runs EXPLAIN [ANALYZE]: with ANALYZE the plan executes (its rows are discarded) under instrumentation. */
export async function runExplain(plan: PlanNode, optionNodes: Array<Record<string, unknown>> | undefined, isQuery: boolean, planningMs: number, host: StatementHost, params: readonly Value[]): Promise<Execution> {
  const options = explainOptions(optionNodes as Array<Record<string, any>>, (message) => {
    throw new SqlError(SqlState.syntaxError, message);
  });
  let lines: string[];
  if (options.analyze) {
    if (!isQuery) throw new SqlError(SqlState.featureNotSupported, 'EXPLAIN ANALYZE is supported for queries only');
    const state = execState(host, params);
    const engineStats = host.engineStats;
    const instrumentation: Instrumentation = {
      nodes: new Map(),
      ...(options.buffers && engineStats ? { cacheCounters: () => {
        const stats = engineStats();
        return { hits: stats.cacheHits, misses: stats.cacheMisses };
      } } : {}),
    };
    instrument(state, instrumentation);
    const started = performance.now();
    const source = openPlan(plan, state);
    let count = 0;
    try {
      for (let row: Row | undefined = source.next(); row; row = source.next()) {
        if (++count % 5000 === 0) await host.pause();
      }
    } finally {
      source.close();
    }
    lines = explainOutput(plan, options, { planningMs, executionMs: performance.now() - started }, instrumentation);
  } else {
    lines = explainOutput(plan, options, { planningMs });
  }
  let index = 0;
  return { next: () => (index < lines.length ? [lines[index++]!] : undefined), close: () => {}, commandTag: () => 'EXPLAIN' };
}
