// Leaf nodes without storage: a single computed row, VALUES lists, virtual (catalog)
// relations and set-returning functions in FROM.
import type { PlanNode, Row } from '../../plan/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import { compile } from '../compile-expr.js';
import type { ExecState, RowSource } from '../state.js';

export function openResult(node: Extract<PlanNode, { kind: 'result' }>, state: ExecState): RowSource {
  const exprs = node.exprs.map(compile);
  let done = false;
  return {
    next: () => {
      if (done) return undefined;
      done = true;
      return exprs.map((expr) => expr([], state.runtime));
    },
    close: () => {},
  };
}

export function openValues(node: Extract<PlanNode, { kind: 'values' }>, state: ExecState): RowSource {
  const rows = node.rows.map((row) => row.map(compile));
  let i = 0;
  return {
    next: () => {
      const row = rows[i++];
      return row ? row.map((expr) => expr([], state.runtime)) : undefined;
    },
    close: () => {},
  };
}

export function openVirtualScan(node: Extract<PlanNode, { kind: 'virtualScan' }>, state: ExecState): RowSource {
  const filter = node.filter ? compile(node.filter) : null;
  const iterator = node.source.rows(state.runtime)[Symbol.iterator]();
  return {
    next: () => {
      for (;;) {
        const step = iterator.next();
        if (step.done) return undefined;
        const row = step.value;
        if (!filter || filter(row, state.runtime) === true) return row;
      }
    },
    close: () => iterator.return?.(),
  };
}

export function openFunctionScan(node: Extract<PlanNode, { kind: 'functionScan' }>, state: ExecState): RowSource {
  const call = node.call;
  let iterator: Iterator<unknown> | undefined;
  let ordinal = 0n;
  let single: boolean;
  if (call.kind === 'call' && call.returnsSet) {
    const args = call.args.map(compile);
    const values = args.map((arg) => arg([], state.runtime));
    if (call.strict && values.some((value) => value === null)) iterator = [][Symbol.iterator]();
    else iterator = (call.impl(values, state.runtime) as Iterable<unknown>)[Symbol.iterator]();
    single = false;
  } else {
    single = true;
    const value = compile(call)([], state.runtime);
    iterator = [value][Symbol.iterator]();
  }
  void single;
  return {
    next: () => {
      const step = iterator!.next();
      if (step.done) return undefined;
      ordinal++;
      const row: Row = [step.value as never];
      if (node.ordinality) row.push(ordinal);
      return row;
    },
    close: () => iterator?.return?.(),
  };
}

export function notSupported(what: string): never {
  throw new SqlError(SqlState.featureNotSupported, `${what} is not supported`);
}
