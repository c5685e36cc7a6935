// The window node: reads its input, and for each distinct window (PARTITION BY + ORDER BY) sorts
// the rows, splits partitions and peer groups, and evaluates the window functions with
// src/exec/window; each output row is the input row followed by one value per window call.
// Rows come out in the order of the last window's sort, as in PostgreSQL.
import type { PlanNode, Row } from '../../plan/index.js';
import { getType, T, UNKNOWN } from '../../plan/index.js';
import type { WindowCall } from '../../plan/window.js';
import type { Value } from '../../types/index.js';
import { SqlError } from '../../util/errors.js';
import { compile, type Compiled } from '../compile-expr.js';
import type { ExecState, RowSource } from '../state.js';
import { FrameLocator, evaluateWindowFunction, peerGroups, type FrameBound, type FrameSpec, type RangeKey, type WindowFunctionSpec } from '../window/index.js';
import type { OpenPlan } from './index.js';

/** Aggregates whose result() is a pure function of the state, so running frames can grow one state. */
const repeatableAggregates = new Set(['count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every', 'bit_and', 'bit_or', 'stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop']);

type WindowNode = Extract<PlanNode, { kind: 'window' }>;

function compareNullable(compare: (a: unknown, b: unknown) => number, a: Value, b: Value, descending: boolean, nullsFirst: boolean): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === nullsFirst ? -1 : 1;
  }
  const c = compare(a, b);
  return descending ? -c : c;
}

function specKey(call: WindowCall): string {
  return JSON.stringify([call.partitionBy, call.orderBy.map((key) => [key.expr, key.descending, key.nullsFirst])], (_key, value) => (typeof value === 'bigint' ? `${value}n` : typeof value === 'function' ? undefined : value));
}

export function openWindow(node: WindowNode, state: ExecState, open: OpenPlan): RowSource {
  let output: Row[] | undefined;
  let position = 0;
  const compute = (): Row[] => {
    const input = open(node.input, state);
    const rows: Row[] = [];
    for (let row = input.next(); row; row = input.next()) rows.push(row);
    input.close();
    const width = node.input.columns.length;
    const results: Value[][] = node.calls.map(() => new Array<Value>(rows.length));
    const groups = new Map<string, number[]>();
    node.calls.forEach((call, index) => {
      const key = specKey(call);
      groups.set(key, [...(groups.get(key) ?? []), index]);
    });
    let lastOrder: number[] = rows.map((_, index) => index);
    for (const callIndexes of groups.values()) {
      const first = node.calls[callIndexes[0]!]!;
      lastOrder = sortForWindow(first, rows, state);
      const partitionValues = first.partitionBy.map(compile);
      const partitionCompare = first.partitionBy.map((expr) => getType(expr.type === UNKNOWN ? T.text : expr.type).compare.bind(getType(expr.type === UNKNOWN ? T.text : expr.type)));
      const orderValues = first.orderBy.map((key) => compile(key.expr));
      const partitionKeys = lastOrder.map((rowIndex) => partitionValues.map((value) => value(rows[rowIndex]!, state.runtime)));
      const orderKeys = lastOrder.map((rowIndex) => orderValues.map((value) => value(rows[rowIndex]!, state.runtime)));
      let start = 0;
      while (start < lastOrder.length) {
        let end = start + 1;
        while (end < lastOrder.length && partitionKeys[end]!.every((value, k) => compareNullable(partitionCompare[k]!, value, partitionKeys[start]![k]!, false, false) === 0)) end++;
        const partition = lastOrder.slice(start, end);
        const partitionOrderKeys = orderKeys.slice(start, end);
        const peers = peerGroups(partition.length, (i, j) =>
          first.orderBy.every((key, k) => compareNullable(key.compare, partitionOrderKeys[i]![k]!, partitionOrderKeys[j]![k]!, false, false) === 0),
        );
        for (const callIndex of callIndexes) {
          const call = node.calls[callIndex]!;
          const locator = frameLocator(call, peers, partition, rows, state);
          const values = evaluateWindowFunction(functionSpec(call, partition, rows, state), peers, locator);
          partition.forEach((rowIndex, i) => (results[callIndex]![rowIndex] = values[i] ?? null));
        }
        start = end;
      }
    }
    return lastOrder.map((rowIndex) => {
      const row = rows[rowIndex]!;
      const out: Row = new Array(width + node.calls.length);
      for (let i = 0; i < width; i++) out[i] = row[i] ?? null;
      for (let c = 0; c < node.calls.length; c++) out[width + c] = results[c]![rowIndex] ?? null;
      return out;
    });
  };
  return {
    next: () => {
      output ??= compute();
      return output[position++];
    },
    close: () => {},
  };
}

/** Row indexes sorted by PARTITION BY (ascending, NULLs last) then ORDER BY; ties keep input order. */
function sortForWindow(call: WindowCall, rows: Row[], state: ExecState): number[] {
  const partition = call.partitionBy.map((expr) => ({ value: compile(expr), type: getType(expr.type === UNKNOWN ? T.text : expr.type) }));
  const order = call.orderBy.map((key) => ({ value: compile(key.expr), key }));
  const keys = rows.map((row) => [...partition.map((p) => p.value(row, state.runtime)), ...order.map((o) => o.value(row, state.runtime))]);
  const indexes = rows.map((_, index) => index);
  indexes.sort((a, b) => {
    const x = keys[a]!;
    const y = keys[b]!;
    for (let k = 0; k < partition.length; k++) {
      const c = compareNullable((p, q) => partition[k]!.type.compare(p, q), x[k]!, y[k]!, false, false);
      if (c !== 0) return c;
    }
    for (let k = 0; k < order.length; k++) {
      const { key } = order[k]!;
      const c = compareNullable(key.compare, x[partition.length + k]!, y[partition.length + k]!, key.descending, key.nullsFirst);
      if (c !== 0) return c;
    }
    return a - b;
  });
  return indexes;
}

function frameLocator(call: WindowCall, peers: ReturnType<typeof peerGroups>, partition: number[], rows: Row[], state: ExecState): FrameLocator {
  const evaluateBound = (bound: WindowCall['frame']['start']): FrameBound => {
    if (bound.kind === 'preceding' || bound.kind === 'following') return { kind: bound.kind, offset: compile(bound.offset!)([], state.runtime) };
    return { kind: bound.kind };
  };
  const spec: FrameSpec = { mode: call.frame.mode, start: evaluateBound(call.frame.start), end: evaluateBound(call.frame.end), exclude: call.frame.exclude };
  const arithmetic = call.frame.rangeArithmetic;
  if (!arithmetic) return new FrameLocator(peers, spec);
  const key = compile(call.orderBy[0]!.expr);
  const keys = partition.map((rowIndex) => key(rows[rowIndex]!, state.runtime));
  const add = compile(arithmetic.add);
  const subtract = compile(arithmetic.subtract);
  const lessOrEqual = compile(arithmetic.lessOrEqual);
  const greaterOrEqual = compile(arithmetic.greaterOrEqual);
  const negative = compile(arithmetic.offsetIsNegative);
  const rangeKey: RangeKey = {
    key: (index) => keys[index] ?? null,
    descending: call.orderBy[0]!.descending,
    nullsFirst: call.orderBy[0]!.nullsFirst,
    inRange: (value, base, offset, doSubtract, less) => {
      const bound = (doSubtract ? subtract : add)([base, offset], state.runtime);
      return (less ? lessOrEqual : greaterOrEqual)([bound, offset, value], state.runtime) === true;
    },
  };
  return new FrameLocator(peers, spec, rangeKey, (offset) => negative([null, offset], state.runtime) === true);
}

function functionSpec(call: WindowCall, partition: number[], rows: Row[], state: ExecState): WindowFunctionSpec {
  const argument = (index: number) => {
    const compiled: Compiled = compile(call.args[index]!);
    return (rowIndex: number) => compiled(rows[partition[rowIndex]!]!, state.runtime);
  };
  switch (call.kind) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
    case 'percent_rank':
    case 'cume_dist':
      return { kind: call.kind };
    case 'ntile':
      return { kind: 'ntile', buckets: argument(0) };
    case 'lag':
    case 'lead':
      return { kind: call.kind, value: argument(0), ...(call.args[1] ? { offset: argument(1) } : {}), ...(call.args[2] ? { defaultValue: argument(2) } : {}) };
    case 'first_value':
    case 'last_value':
      return { kind: call.kind, value: argument(0) };
    case 'nth_value':
      return { kind: 'nth_value', value: argument(0), position: argument(1) };
    case 'aggregate': {
      const aggregate = call.aggregate!;
      const args = aggregate.args.map(compile);
      const filter = aggregate.filter ? compile(aggregate.filter) : null;
      return {
        kind: 'aggregate',
        create: () => aggregate.aggregate.create(aggregate.argTypes, state.runtime.functions),
        args: (rowIndex) => args.map((arg) => arg(rows[partition[rowIndex]!]!, state.runtime)),
        strict: aggregate.aggregate.strict,
        ...(filter ? { filter: (rowIndex: number) => filter(rows[partition[rowIndex]!]!, state.runtime) === true } : {}),
        repeatableResult: repeatableAggregates.has(aggregate.name),
      };
    }
    default:
      throw new SqlError('XX000', `unknown window function ${call.name}`);
  }
}
