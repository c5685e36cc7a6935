// Window functions: rows are materialized, ordered by PARTITION BY then ORDER BY keys, and each
// call's values computed per partition (default frame: whole partition without ORDER BY, up to
// the last peer of the current row with it). Output follows the first call's window order.
import type { PlanNode, Row, WindowCall } from '../../plan/index.js';
import { getType, T, UNKNOWN } from '../../plan/index.js';
import type { Value } from '../../types/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import { compile } from '../compile-expr.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';

type Comparator = (a: number, b: number) => number;

export function openWindow(node: Extract<PlanNode, { kind: 'window' }>, state: ExecState, open: OpenPlan): RowSource {
  let output: Row[] | undefined;
  let position = 0;
  const compute = (): Row[] => {
    const input = open(node.input, state);
    const rows: Row[] = [];
    for (let row = input.next(); row; row = input.next()) rows.push(row);
    input.close();
    const results: Value[][] = node.calls.map(() => new Array(rows.length).fill(null));
    let outputOrder: number[] | undefined;
    node.calls.forEach((call, callIndex) => {
      const order = windowOrder(call, rows, state);
      outputOrder ??= order.indices;
      computeCall(call, rows, order, results[callIndex]!, state);
    });
    return (outputOrder ?? []).map((i) => [...rows[i]!, ...results.map((values) => values[i]!)]);
  };
  return {
    next: () => {
      output ??= compute();
      return output[position++];
    },
    close: () => {},
  };
}

interface WindowOrder {
  indices: number[];
  samePartition: Comparator;
  samePeers: Comparator;
}

function keyComparator(values: Value[][], compares: Array<(a: unknown, b: unknown) => number>, descending: boolean[], nullsFirst: boolean[]): Comparator {
  return (a, b) => {
    for (let k = 0; k < compares.length; k++) {
      const x = values[a]![k] ?? null;
      const y = values[b]![k] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === nullsFirst[k] ? -1 : 1;
      }
      const c = compares[k]!(x, y);
      if (c !== 0) return descending[k] ? -c : c;
    }
    return 0;
  };
}

function windowOrder(call: WindowCall, rows: Row[], state: ExecState): WindowOrder {
  const partitionExprs = call.partitionBy.map(compile);
  const orderExprs = call.orderBy.map((key) => compile(key.expr));
  const partitionValues = rows.map((row) => partitionExprs.map((expr) => expr(row, state.runtime)));
  const orderValues = rows.map((row) => orderExprs.map((expr) => expr(row, state.runtime)));
  const partitionCompare = keyComparator(partitionValues, call.partitionBy.map((expr) => {
    const type = getType(expr.type === UNKNOWN ? T.text : expr.type);
    return (a: unknown, b: unknown) => type.compare(a, b);
  }), call.partitionBy.map(() => false), call.partitionBy.map(() => false));
  const orderCompare = keyComparator(orderValues, call.orderBy.map((key) => key.compare), call.orderBy.map((key) => key.descending), call.orderBy.map((key) => key.nullsFirst));
  const indices = rows.map((_row, i) => i);
  indices.sort((a, b) => partitionCompare(a, b) || orderCompare(a, b) || a - b);
  return { indices, samePartition: partitionCompare, samePeers: orderCompare };
}

function computeCall(call: WindowCall, rows: Row[], order: WindowOrder, out: Value[], state: ExecState): void {
  const args = call.args.map(compile);
  const { indices } = order;
  let start = 0;
  while (start < indices.length) {
    let end = start + 1;
    while (end < indices.length && order.samePartition(indices[start]!, indices[end]!) === 0) end++;
    const partition = indices.slice(start, end);
    computePartition(call, rows, partition, order, args, out, state);
    start = end;
  }
}

function computePartition(call: WindowCall, rows: Row[], partition: number[], order: WindowOrder, args: Array<ReturnType<typeof compile>>, out: Value[], state: ExecState): void {
  const n = partition.length;
  const arg = (k: number, i: number) => args[k]!(rows[partition[i]!]!, state.runtime);
  // Peer groups: [first, last] index within the partition for each position.
  const peerEnd = new Array<number>(n);
  const peerStart = new Array<number>(n);
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && order.samePeers(partition[i]!, partition[j]!) === 0) j++;
    for (let k = i; k < j; k++) {
      peerStart[k] = i;
      peerEnd[k] = j - 1;
    }
    i = j;
  }
  const hasOrder = call.orderBy.length > 0;
  let dense = 0;
  for (let i = 0; i < n; i++) {
    const target = partition[i]!;
    if (peerStart[i] === i) dense++;
    switch (call.kind) {
      case 'row_number': out[target] = BigInt(i + 1); break;
      case 'rank': out[target] = BigInt(peerStart[i]! + 1); break;
      case 'dense_rank': out[target] = BigInt(dense); break;
      case 'percent_rank': out[target] = n > 1 ? peerStart[i]! / (n - 1) : 0; break;
      case 'cume_dist': out[target] = (peerEnd[i]! + 1) / n; break;
      case 'ntile': {
        const buckets = arg(0, i) as number | null;
        if (buckets === null) { out[target] = null; break; }
        if (buckets <= 0) throw new SqlError('22014', 'argument of ntile must be greater than zero');
        const small = Math.floor(n / buckets);
        const large = n % buckets;
        const boundary = large * (small + 1);
        out[target] = i < boundary ? Math.floor(i / (small + 1)) + 1 : large + Math.floor((i - boundary) / Math.max(small, 1)) + 1;
        break;
      }
      case 'lag':
      case 'lead': {
        const offset = args[1] ? (arg(1, i) as number | null) : 1;
        if (offset === null) { out[target] = null; break; }
        const j = call.kind === 'lag' ? i - offset : i + offset;
        out[target] = j >= 0 && j < n ? arg(0, j) : (args[2] ? arg(2, i) : null);
        break;
      }
      case 'first_value': out[target] = arg(0, 0); break;
      case 'last_value': out[target] = arg(0, hasOrder ? peerEnd[i]! : n - 1); break;
      case 'aggregate': break;
    }
  }
  if (call.kind !== 'aggregate') return;
  const aggregate = call.aggregate!;
  const feed = (upTo: number) => {
    const accumulator = aggregate.create(call.argTypes, state.runtime.functions);
    for (let i = 0; i <= upTo; i++) {
      const values = args.map((_a, k) => arg(k, i));
      if (aggregate.strict && values.some((value) => value === null)) continue;
      accumulator.add(values);
    }
    return accumulator.result();
  };
  if (!hasOrder) {
    const value = feed(n - 1);
    for (const target of partition) out[target] = value;
    return;
  }
  for (let i = 0; i < n;) {
    const value = feed(peerEnd[i]!);
    for (let k = i; k <= peerEnd[i]!; k++) out[partition[k]!] = value;
    i = peerEnd[i]! + 1;
  }
}
