// Running a planned query: opens the plan with a run-time context whose subquery hook opens
// sub-plans with the current row pushed as the outer row.
import type { PlanNode, Row, RuntimeContext } from '../plan/index.js';
import type { Value } from '../types/index.js';
import type { Execution, StatementHost } from './api.js';
import { openPlan } from './nodes/index.js';
import type { ExecState, RowSource } from './state.js';

export function execState(host: StatementHost, params: readonly Value[]): ExecState {
  const runtime = host.runtime(params);
  const state: ExecState = { runtime, txn: () => host.txn() };
  (runtime as { runSubplan: RuntimeContext['runSubplan'] }).runSubplan = (plan: PlanNode, outerRow: Row) => {
    runtime.outerRows.push(outerRow);
    const rows: Row[] = [];
    let source: RowSource | undefined;
    try {
      source = openPlan(plan, state);
      for (let row = source.next(); row; row = source.next()) rows.push(row);
    } finally {
      source?.close();
      runtime.outerRows.pop();
    }
    return rows;
  };
  return state;
}

export function runQuery(plan: PlanNode, host: StatementHost, params: readonly Value[], tagWord = 'SELECT'): Execution {
  const state = execState(host, params);
  const source = openPlan(plan, state);
  let count = 0;
  return {
    next: () => {
      const row = source.next();
      if (row) count++;
      return row;
    },
    close: () => source.close(),
    commandTag: () => `${tagWord} ${count}`,
  };
}
