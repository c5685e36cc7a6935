// cambium_diff('t', 'from', 'to') (issue 9): the rows of table t that differ between two states
// (a snapshot name, a retained commit number, or 'live'), as (change, key columns…, old_row,
// new_row jsonb). Equal root page ids mean equal trees, so an unchanged table costs O(1).
// Below the root the two trees are merged key by key: the engine's ReadView does not expose
// inner pages yet, so a changed table costs a scan of both versions (documented limitation).
import type { TableObject } from '../catalog/index.js';
import { liveColumns } from '../catalog/index.js';
import type { ReadView } from '../engine/api.js';
import { decodeStoredRow, layoutOf, liveRow } from '../exec/index.js';
import { nameList, nodeBody, nodeKind, type AstBody } from '../parser/index.js';
import { T, type OutputColumn, type RelationOverride, type Row } from '../plan/index.js';
import { toJsonText } from '../types/functions/json-convert.js';
import { decodeKey, parseJson, type Value } from '../types/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { Session } from './session.js';

function constantArgument(node: AstBody, position: number): string {
  const kind = nodeKind(node);
  const body = nodeBody(node);
  if (kind === 'A_Const' && body.sval !== undefined) return body.sval.sval ?? '';
  if (kind === 'A_Const' && body.ival !== undefined) return String(body.ival.ival ?? 0);
  if (kind === 'TypeCast') return constantArgument(body.arg, position);
  throw new SqlError(SqlState.featureNotSupported, `argument ${position} of cambium_diff must be a constant`);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

interface Side {
  view: ReadView;
  table: TableObject | undefined;
}

export function diffFunction(session: Session, call: AstBody): RelationOverride | undefined {
  const name = nameList(call.funcname);
  if (name[name.length - 1] !== 'cambium_diff' || (name.length === 2 && name[0] !== 'pg_catalog')) return undefined;
  const args = (call.args ?? []) as AstBody[];
  if (args.length < 2 || args.length > 3) throw new SqlError(SqlState.undefinedFunction, 'function cambium_diff needs (table, from, [to])');
  const tableName = constantArgument(args[0], 1);
  const fromName = constantArgument(args[1], 2);
  const toName = args[2] ? constantArgument(args[2], 3) : 'live';
  const { engine, snapshots } = session.server;
  const open = (state: string): ReadView => {
    if (state === 'live') return engine.view();
    return engine.viewAt(/^\d+$/.test(state) ? snapshots.resolve({ commit: Number(state) }) : snapshots.live(state).seq);
  };
  const parts = tableName.split('.');
  const retained = new Set(engine.retainedSeqs());
  const lookup = (view: ReadView): TableObject | undefined => {
    const catalog = retained.has(view.commitSeq) ? snapshots.catalogAt(view.commitSeq, view) : session.server.committedCatalog();
    const relation = catalog.lookupRelation(session.databaseOid, session.searchPathOids(), parts.length > 1 ? parts[0] : undefined, parts[parts.length - 1]!);
    return relation?.kind === 'table' ? relation : undefined;
  };
  // Resolve the definition now (columns of the result); rows are computed when the scan opens.
  const probe = open(toName);
  let table: TableObject;
  try {
    const found = lookup(probe) ?? (() => {
      const from = open(fromName);
      try {
        return lookup(from);
      } finally {
        from.release();
      }
    })();
    if (!found) throw new SqlError(SqlState.undefinedTable, `relation "${tableName}" does not exist`);
    table = found;
  } finally {
    probe.release();
  }
  const layout = layoutOf(table);
  const keyTypes = layout.keyTypes;
  const keyColumns: OutputColumn[] = layout.keySlots.length > 0
    ? layout.keySlots.map((slot) => ({ name: table.columns[slot]!.name, type: table.columns[slot]!.typeOid, typmod: table.columns[slot]!.typmod, tableOid: 0, attnum: 0 }))
    : [{ name: 'row_id', type: T.int8, typmod: -1, tableOid: 0, attnum: 0 }];
  const columns: OutputColumn[] = [
    { name: 'change', type: T.text, typmod: -1, tableOid: 0, attnum: 0 },
    ...keyColumns,
    { name: 'old_row', type: T.jsonb, typmod: -1, tableOid: 0, attnum: 0 },
    { name: 'new_row', type: T.jsonb, typmod: -1, tableOid: 0, attnum: 0 },
  ];
  const settings = session.formatSettings();

  const rowJson = (side: Side, value: Uint8Array): Value => {
    const sideTable = side.table!;
    const sideLayout = layoutOf(sideTable);
    const toast = { scan: (tree: number) => {
      const cursor = side.view.cursor(tree);
      return { next: () => (cursor.next() ? { key: cursor.key.slice(), value: cursor.value.slice() } : undefined), close: () => cursor.close() };
    } } as Parameters<typeof decodeStoredRow>[2];
    const values = liveRow(sideLayout, decodeStoredRow(sideLayout, value, toast));
    const fields = liveColumns(sideTable).map((column, i) => `${JSON.stringify(column.name)}: ${toJsonText(values[i] ?? null, column.typeOid, settings)}`);
    return parseJson(`{${fields.join(', ')}}`, true) as Value;
  };

  return {
    name: 'cambium_diff',
    columns,
    source: {
      rows: () => {
        const before: Side = { view: open(fromName), table: undefined };
        let after: Side | undefined;
        try {
          after = { view: open(toName), table: undefined };
          before.table = lookup(before.view);
          after.table = lookup(after.view);
          const rows: Row[] = [];
          const emit = (change: string, key: Uint8Array, old: Value, next: Value) => rows.push([change, ...decodeKey(keyTypes, key), old, next]);
          const oldTree = before.table && before.view.hasTree(before.table.treeId) ? before.table.treeId : undefined;
          const newTree = after.table && after.view.hasTree(after.table.treeId) ? after.table.treeId : undefined;
          // Shared root (same tree, same root page): nothing changed, nothing to read.
          if (oldTree !== undefined && oldTree === newTree && before.view.rootPageId(oldTree) === after.view.rootPageId(newTree)) return rows;
          const oldCursor = oldTree !== undefined ? before.view.cursor(oldTree) : undefined;
          const newCursor = newTree !== undefined ? after.view.cursor(newTree) : undefined;
          try {
            const pull = (cursor: typeof oldCursor) => (cursor?.next() ? { key: cursor.key.slice(), value: cursor.value.slice() } : undefined);
            let old = pull(oldCursor);
            let next = pull(newCursor);
            while (old || next) {
              const order = !old ? 1 : !next ? -1 : compareBytes(old.key, next.key);
              if (order < 0) {
                emit('delete', old!.key, rowJson(before, old!.value), null);
                old = pull(oldCursor);
              } else if (order > 0) {
                emit('insert', next!.key, null, rowJson(after, next!.value));
                next = pull(newCursor);
              } else {
                if (!equalBytes(old!.value, next!.value)) {
                  const oldJson = rowJson(before, old!.value);
                  const newJson = rowJson(after, next!.value);
                  emit('update', next!.key, oldJson, newJson);
                }
                old = pull(oldCursor);
                next = pull(newCursor);
              }
            }
          } finally {
            oldCursor?.close();
            newCursor?.close();
          }
          return rows;
        } finally {
          before.view.release();
          after?.view.release();
        }
      },
    },
  };
}
