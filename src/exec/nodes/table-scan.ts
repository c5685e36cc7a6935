// Reads a table: whole-tree scan, primary-key point lookups, or key-range scans over the table
// tree or a secondary index (whose entries' values are the table keys).
import type { KeyRange } from '../../engine/api.js';
import type { IndexAccess, PlanNode, Row } from '../../plan/index.js';
import type { RowIterator } from '../../txn/api.js';
import { encodeKey, type PgType, type Value } from '../../types/index.js';
import { compile } from '../compile-expr.js';
import type { ExecState, RowSource } from '../state.js';
import { decodeStoredRow, indexTypes, layoutOf, liveRow, prefixRange, toastPointerMarker, type TableLayout } from '../table-storage.js';
import { decodeColumn } from '../../types/index.js';
import { prefixUpperBound } from '../../types/index.js';

type TableScanNode = Extract<PlanNode, { kind: 'tableScan' }>;

interface Probe {
  /** Exact table key (point lookup). */
  key?: Uint8Array;
  range?: KeyRange;
}

export function openTableScan(node: TableScanNode, state: ExecState): RowSource {
  const layout = layoutOf(node.table);
  const filter = node.filter ? compile(node.filter) : null;
  const txn = state.txn();
  const tableTree = node.table.treeId;
  const probes = node.access ? probesFor(node.access, layout, state) : [{ range: {} as KeyRange }];
  const reverse = node.access?.reverse ?? false;
  const viaIndex = node.access?.index ?? null;
  let probeIndex = 0;
  let iterator: RowIterator | undefined;
  const emitKey = node.emitKey === true;

  const needed = node.neededColumns;
  const width = layout.liveSlots.length;
  const produce = (key: Uint8Array, value: Uint8Array): Row | undefined => {
    let row: Row;
    if (needed && value[0] !== toastPointerMarker) {
      // Decode only the columns the plan reads.
      row = new Array(width).fill(null);
      for (const index of needed) row[index] = decodeColumn(layout.storageTypes, value, layout.liveSlots[index]!);
    } else {
      row = liveRow(layout, decodeStoredRow(layout, value, txn));
    }
    if (emitKey) row.push(key);
    if (filter && filter(row, state.runtime) !== true) return undefined;
    return row;
  };

  return {
    next: () => {
      for (;;) {
        if (iterator) {
          const entry = iterator.next();
          if (entry) {
            let tableKey = entry.key;
            let value: Uint8Array | undefined = entry.value;
            if (viaIndex) {
              tableKey = entry.value;
              value = txn.get(tableTree, tableKey);
              if (!value) continue;
            }
            const row = produce(tableKey, value);
            if (row) return row;
            continue;
          }
          iterator.close();
          iterator = undefined;
        }
        const probe = probes[probeIndex++];
        if (!probe) return undefined;
        if (probe.key) {
          const value = txn.get(tableTree, probe.key);
          if (value) {
            const row = produce(probe.key, value);
            if (row) return row;
          }
          continue;
        }
        iterator = txn.scan(viaIndex ? viaIndex.treeId : tableTree, probe.range, { reverse });
      }
    },
    close: () => iterator?.close(),
  };
}

function probesFor(access: IndexAccess, layout: TableLayout, state: ExecState): Probe[] {
  const types: PgType[] = access.index ? indexTypes(layout, access.index) : layout.keyTypes;
  const descending = access.index?.descending;
  const evaluate = (expr: Parameters<typeof compile>[0]) => compile(expr)([], state.runtime);
  // Cartesian product of the equality lists (IN-lists), skipping NULLs (never equal).
  let combinations: Value[][] = [[]];
  for (const list of access.equality) {
    if (list.length === 1) {
      // The common case (key = value): no de-duplication needed.
      const value = evaluate(list[0]!);
      if (value === null) return [];
      for (const combination of combinations) combination.push(value);
      continue;
    }
    const values = list.map(evaluate).filter((value) => value !== null);
    const seen = new Set<string>();
    const next: Value[][] = [];
    for (const prefix of combinations) {
      for (const value of values) {
        const combined = [...prefix, value];
        const id = JSON.stringify(combined, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
        if (seen.has(id)) continue;
        seen.add(id);
        next.push(combined);
      }
    }
    combinations = next;
  }
  if (combinations.length > 1) {
    // Keep probes in key order so results come out ordered like a single range scan.
    const keyed = combinations.map((values) => ({ values, key: encodeKey(types, values, descending) }));
    keyed.sort((a, b) => Buffer.compare(a.key, b.key));
    combinations = keyed.map((entry) => entry.values);
  }
  const lower = access.lower ? evaluate(access.lower.expr) : undefined;
  const upper = access.upper ? evaluate(access.upper.expr) : undefined;
  if (lower === null || upper === null) return [];
  const probes: Probe[] = [];
  const fullKey = !access.index && access.equality.length === layout.keyTypes.length;
  for (const values of combinations) {
    const prefix = encodeKey(types.slice(0, values.length), values, descending);
    if (fullKey && lower === undefined && upper === undefined) {
      probes.push({ key: prefix });
      continue;
    }
    const range: KeyRange = prefix.length > 0 ? { ...prefixRange(prefix) } : {};
    const boundTypes = types.slice(0, values.length + 1);
    if (lower !== undefined) {
      const bound = encodeKey(boundTypes, [...values, lower], descending);
      range.lower = access.lower!.inclusive ? bound : (prefixUpperBound(bound) ?? bound);
      range.lowerInclusive = true;
    }
    if (upper !== undefined) {
      const bound = encodeKey(boundTypes, [...values, upper], descending);
      if (access.upper!.inclusive) {
        const after = prefixUpperBound(bound);
        if (after) range.upper = after;
      } else {
        range.upper = bound;
      }
      range.upperInclusive = false;
    }
    probes.push({ range });
  }
  if (access.reverse) probes.reverse();
  return probes;
}
