// Rebuilding a table's trees when its storage layout changes (new column slot, new primary
// key, dropped key column) and building index trees from existing rows.
import { CatalogEditor, liveColumns, type IndexObject, type TableObject } from '../../catalog/index.js';
import { getType } from '../../plan/index.js';
import type { Value } from '../../types/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import type { StatementHost } from '../api.js';
import {
  concatKeys, decodeStoredRow, storeRow, indexPrefix, layoutOf, prefixRange, primaryKeyOf, rowIdKey,
} from '../table-storage.js';

function keyText(table: TableObject, attnums: number[], slots: Value[], host: StatementHost): string {
  const settings = host.runtime([]).functions.settings;
  const names = attnums.map((attnum) => table.columns[attnum - 1]!.name).join(', ');
  const values = attnums.map((attnum) => {
    const value = slots[attnum - 1] ?? null;
    return value === null ? 'null' : getType(table.columns[attnum - 1]!.typeOid).formatText(value, settings);
  }).join(', ');
  return `Key (${names})=(${values})`;
}

/**
 * Copies every row of `before` into a fresh tree for `after` (same slots plus any new ones
 * filled by `fill`), re-keyed by after's primary key, and rebuilds after's secondary indexes.
 */
export async function rewriteTable(host: StatementHost, editor: CatalogEditor, before: TableObject, after: TableObject,
  fill?: (slots: Value[]) => Value[]): Promise<TableObject> {
  const txn = host.txn();
  const rewritten: TableObject = { ...after, treeId: host.allocateTreeId() };
  txn.createTree(rewritten.treeId);
  const oldLayout = layoutOf(before);
  const newLayout = layoutOf(rewritten);
  const catalog = editor.finish();
  const indexes = catalog.indexesOf(after.oid).filter((index) => !index.primary).map((index) => {
    const rebuilt: IndexObject = { ...index, treeId: host.allocateTreeId() };
    txn.dropTree(index.treeId);
    txn.createTree(rebuilt.treeId);
    editor.put(rebuilt);
    return rebuilt;
  });
  const primaryName = rewritten.constraints.find((constraint) => constraint.type === 'p')?.name ?? '';
  // Read everything first, then write in key order: duplicates are neighbours after sorting and
  // the new tree is filled left to right.
  const rows: Array<{ key: Uint8Array; slots: Value[]; bytes: Uint8Array | null }> = [];
  // Same column slots and types: stored rows are copied as they are.
  const sameLayout = !fill && before.columns.length === rewritten.columns.length
    && before.columns.every((column, i) => column.typeOid === rewritten.columns[i]!.typeOid);
  let rowId = 0n;
  const iterator = txn.scan(before.treeId);
  try {
    for (let entry = iterator.next(); entry; entry = iterator.next()) {
      const decoded = decodeStoredRow(oldLayout, entry.value, txn);
      const slots = fill ? fill(decoded) : decoded;
      for (const column of liveColumns(rewritten)) {
        if (column.notNull && (slots[column.attnum - 1] ?? null) === null) {
          throw new SqlError(SqlState.notNullViolation, `column "${column.name}" of relation "${rewritten.name}" contains null values`, { table: rewritten.name, column: column.name });
        }
      }
      const key = rewritten.primaryKey.length > 0 ? primaryKeyOf(newLayout, slots) : rowIdKey(++rowId);
      rows.push({ key, slots, bytes: sameLayout ? entry.value : null });
      if (rows.length % 20000 === 0) await host.pause();
    }
  } finally {
    iterator.close();
  }
  if (rewritten.primaryKey.length > 0) {
    rows.sort((a, b) => Buffer.compare(a.key, b.key));
    for (let i = 1; i < rows.length; i++) {
      if (Buffer.compare(rows[i - 1]!.key, rows[i]!.key) === 0) {
        throw new SqlError(SqlState.uniqueViolation, `could not create unique index "${primaryName}"`, {
          detail: `${keyText(rewritten, rewritten.primaryKey, rows[i]!.slots, host)} is duplicated.`, constraint: primaryName,
        });
      }
    }
  }
  let count = 0;
  for (const { key, slots, bytes } of rows) {
    txn.put(rewritten.treeId, key, bytes ?? storeRow(txn, newLayout, slots));
    for (const index of indexes) addIndexEntry(host, rewritten, index, slots, key);
    if (++count % 20000 === 0) await host.pause();
  }
  txn.dropTree(before.treeId);
  editor.put(rewritten);
  if (rewritten.primaryKey.length === 0) host.allocateRowId(rewritten); // row ids continue after the copied ones
  return rewritten;
}

function addIndexEntry(host: StatementHost, table: TableObject, index: IndexObject, slots: Value[], key: Uint8Array): void {
  const txn = host.txn();
  const layout = layoutOf(table);
  const prefix = indexPrefix(layout, index, slots);
  if (index.unique && !index.columns.some((attnum) => (slots[attnum - 1] ?? null) === null)) {
    const iterator = txn.scan(index.treeId, prefixRange(prefix), { limit: 1 });
    const duplicate = iterator.next() !== undefined;
    iterator.close();
    if (duplicate) {
      throw new SqlError(SqlState.uniqueViolation, `could not create unique index "${index.name}"`, {
        detail: `${keyText(table, index.columns, slots, host)} is duplicated.`,
      });
    }
  }
  txn.put(index.treeId, concatKeys(prefix, key), key);
}

/** Fills a new secondary index's tree from the table's rows. */
export async function buildIndex(host: StatementHost, table: TableObject, index: IndexObject): Promise<void> {
  const txn = host.txn();
  const layout = layoutOf(table);
  let count = 0;
  const iterator = txn.scan(table.treeId);
  try {
    for (let entry = iterator.next(); entry; entry = iterator.next()) {
      addIndexEntry(host, table, index, decodeStoredRow(layout, entry.value, txn), entry.key.slice());
      if (++count % 5000 === 0) await host.pause();
    }
  } finally {
    iterator.close();
  }
}
