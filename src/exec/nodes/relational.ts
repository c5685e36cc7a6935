// Row-at-a-time relational nodes: filter, project, limit/offset, distinct, materialize.
import type { PlanNode, Row } from '../../plan/index.js';
import { getType, T, UNKNOWN } from '../../plan/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import { compile } from '../compile-expr.js';
import { RowHashTable } from '../hash-table.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';

export function openFilter(node: Extract<PlanNode, { kind: 'filter' }>, state: ExecState, open: OpenPlan): RowSource {
  const input = open(node.input, state);
  const predicate = compile(node.predicate);
  return {
    next: () => {
      for (let row = input.next(); row; row = input.next()) {
        if (predicate(row, state.runtime) === true) return row;
      }
      return undefined;
    },
    close: () => input.close(),
  };
}

export function openProject(node: Extract<PlanNode, { kind: 'project' }>, state: ExecState, open: OpenPlan): RowSource {
  const input = open(node.input, state);
  const exprs = node.exprs.map(compile);
  const width = exprs.length;
  return {
    next: () => {
      const row = input.next();
      if (!row) return undefined;
      const out: Row = new Array(width);
      for (let i = 0; i < width; i++) out[i] = exprs[i]!(row, state.runtime);
      return out;
    },
    close: () => input.close(),
  };
}

function countValue(value: unknown, what: string): number {
  if (value === null) return -1;
  const n = Number(value);
  if (n < 0) throw new SqlError(what === 'LIMIT' ? '2201W' : '2201X', `${what} must not be negative`);
  return n;
}

export function openLimit(node: Extract<PlanNode, { kind: 'limit' }>, state: ExecState, open: OpenPlan): RowSource {
  const limit = node.limit ? countValue(compile(node.limit)([], state.runtime), 'LIMIT') : -1;
  let skip = node.offset ? Math.max(0, countValue(compile(node.offset)([], state.runtime), 'OFFSET')) : 0;
  let produced = 0;
  let input: RowSource | undefined;
  return {
    next: () => {
      if (limit >= 0 && produced >= limit) return undefined;
      input ??= open(node.input, state);
      for (;;) {
        const row = input.next();
        if (!row) return undefined;
        if (skip > 0) {
          skip--;
          continue;
        }
        produced++;
        return row;
      }
    },
    close: () => input?.close(),
  };
}

export function openDistinct(node: Extract<PlanNode, { kind: 'distinct' }>, state: ExecState, open: OpenPlan): RowSource {
  const input = open(node.input, state);
  const keyExprs = node.on ? node.on.map(compile) : null;
  const keyTypes = (node.on ?? node.columns.map((column) => ({ type: column.type }))).map((item) => getType(item.type === UNKNOWN ? T.text : item.type));
  const seen = new RowHashTable<true>(keyTypes);
  return {
    next: () => {
      for (let row = input.next(); row; row = input.next()) {
        const key = keyExprs ? keyExprs.map((expr) => expr(row, state.runtime)) : row.slice(0, node.columns.length);
        if (seen.getOrAdd(key, () => true).added) return row;
      }
      return undefined;
    },
    close: () => input.close(),
  };
}

export function openMaterialize(node: Extract<PlanNode, { kind: 'materialize' }>, state: ExecState, open: OpenPlan): RowSource {
  const input = open(node.input, state);
  const rows: Row[] = [];
  for (let row = input.next(); row; row = input.next()) rows.push(row);
  input.close();
  let i = 0;
  return { next: () => rows[i++], close: () => {} };
}
