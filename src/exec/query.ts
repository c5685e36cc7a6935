// Running a planned query: opens the plan with a run-time context whose subquery hook opens
// sub-plans with the current row pushed as the outer row.
import type { PlanNode, Row, RuntimeContext } from '../plan/index.js';
import type { Value } from '../types/index.js';
import type { Execution, StatementHost } from './api.js';
import { openPlan } from './nodes/index.js';
import { markYieldable } from './nodes/yielding.js';
import type { ExecState, RowSource } from './state.js';
import { compile } from './compile-expr.js';

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
  markYieldable(plan);
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

/**
 * SELECT … FOR UPDATE/SHARE: runs the query below the lock node, locks every row it returns
 * (under READ COMMITTED a row a concurrent commit changed is re-read; a deleted one is skipped),
 * then hands out the rows.
 */
export async function runLockingQuery(plan: PlanNode, host: StatementHost, params: readonly Value[]): Promise<Execution> {
  const lockNode = (plan.kind === 'lockRows' ? plan : (plan as { input: PlanNode }).input) as Extract<PlanNode, { kind: 'lockRows' }>;
  const state = execState(host, params);
  const txn = host.txn();
  const source = openPlan(lockNode.input, state);
  const rows: Row[] = [];
  try {
    for (let row = source.next(); row; row = source.next()) rows.push(row);
  } finally {
    source.close();
  }
  const locked: Row[] = [];
  for (const row of rows) {
    const key = row[row.length - 1] as Uint8Array;
    const granted = await txn.lockRow(lockNode.table.treeId, key, lockNode.mode, lockNode.wait);
    if (!granted) continue;
    if (txn.options.isolation === 'read committed' && typeof txn.readLatestCommitted === 'function' && txn.readLatestCommitted(lockNode.table.treeId, key) === undefined) continue;
    locked.push(row.slice(0, -1));
  }
  let output = locked;
  if (plan.kind === 'project') {
    const project = compileProject(plan);
    output = locked.map((row) => project(row, state.runtime));
  }
  let i = 0;
  return { next: () => output[i++], close: () => {}, commandTag: () => `SELECT ${output.length}` };
}

function compileProject(plan: Extract<PlanNode, { kind: 'project' }>): (row: Row, runtime: RuntimeContext) => Row {
  const exprs = plan.exprs.map(compile);
  return (row, runtime) => exprs.map((expr) => expr(row, runtime));
}
