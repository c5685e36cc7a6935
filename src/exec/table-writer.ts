// Writes rows with their constraints: NOT NULL, CHECK, PRIMARY KEY / UNIQUE (through the table
// tree and unique indexes), FOREIGN KEY in both directions (RESTRICT / NO ACTION, CASCADE,
// SET NULL), and keeps secondary indexes in step. Messages and DETAIL are PostgreSQL's.
import { liveColumns, type Catalog, type ConstraintDefinition, type IndexObject, type TableObject } from '../catalog/index.js';
import { ExprBinder, Scope, getType, type BindContext, type RuntimeContext } from '../plan/index.js';
import type { Transaction } from '../txn/api.js';
import { encodeKey, type Value } from '../types/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import { compile, type Compiled } from './compile-expr.js';
import {
  concatKeys, decodeStoredRow, dropToasted, indexPrefix, storeRow, indexTypes, layoutOf, liveRow, prefixRange, primaryKeyOf, rowIdKey,
  slotsFromLive, type TableLayout, encodeStoredRow,
} from './table-storage.js';

export interface WriteEnvironment {
  txn(): Transaction;
  catalog(): Catalog;
  bindContext(): BindContext;
  runtime: RuntimeContext;
  allocateRowId(table: TableObject): bigint;
}

const checkCache = new WeakMap<TableObject, Array<{ constraint: ConstraintDefinition; predicate: Compiled }>>();

export class TableWriter {
  readonly layout: TableLayout;
  private readonly indexes: IndexObject[];
  private checks: Array<{ constraint: ConstraintDefinition; predicate: Compiled }> | undefined;

  constructor(private readonly env: WriteEnvironment, readonly table: TableObject) {
    this.layout = layoutOf(table);
    this.indexes = env.catalog().indexesOf(table.oid).filter((index) => !index.primary && index.treeId !== 0);
  }

  private checkConstraints(): Array<{ constraint: ConstraintDefinition; predicate: Compiled }> {
    if (!this.checks) {
      let cached = checkCache.get(this.table);
      if (!cached) {
        const binder = new ExprBinder(this.env.bindContext());
        const scope = new Scope(null);
        scope.add({ name: this.table.name, columns: liveColumns(this.table).map((column) => ({ name: column.name, type: column.typeOid, typmod: column.typmod, tableOid: this.table.oid, attnum: column.attnum })) });
        cached = this.table.constraints.filter((constraint) => constraint.type === 'c').map((constraint) => ({
          constraint,
          predicate: compile(binder.bindCondition(constraint.check!.ast, scope, 'CHECK')),
        }));
        checkCache.set(this.table, cached);
      }
      this.checks = cached;
    }
    return this.checks;
  }

  /** Validates and stores a new row (live-column values). Returns its key, or undefined when a conflict was skipped. */
  async insert(live: Value[]): Promise<{ key: Uint8Array; slots: Value[] }> {
    const slots = slotsFromLive(this.layout, live);
    this.validate(live, slots);
    const txn = this.env.txn();
    const key = this.table.primaryKey.length > 0 ? primaryKeyOf(this.layout, slots) : rowIdKey(this.env.allocateRowId(this.table));
    if (this.table.primaryKey.length > 0) await this.claimKey(key, slots);
    for (const index of this.indexes) if (index.unique) this.checkUnique(index, slots, null);
    this.checkForeignKeys(slots, null);
    txn.put(this.table.treeId, key, storeRow(txn, this.layout, slots));
    for (const index of this.indexes) txn.put(index.treeId, concatKeys(indexPrefix(this.layout, index, slots), key), key);
    return { key, slots };
  }

  /**
   * PostgreSQL's behaviour for concurrent inserts of one key: wait for another inserter of the
   * key to finish, then fail with 23505 if its row (or any committed or own row) is there.
   */
  private async claimKey(key: Uint8Array, slots: Value[]): Promise<void> {
    const txn = this.env.txn();
    if (typeof txn.lockForInsert === 'function') {
      await txn.lockForInsert(this.table.treeId, key, 'wait');
      if (txn.readLatestCommitted(this.table.treeId, key) !== undefined) throw this.uniqueViolation(this.primaryConstraintName(), this.table.primaryKey, slots);
    } else if (txn.get(this.table.treeId, key) !== undefined) {
      throw this.uniqueViolation(this.primaryConstraintName(), this.table.primaryKey, slots);
    }
  }

  async update(oldKey: Uint8Array, oldSlots: Value[], newLive: Value[]): Promise<{ key: Uint8Array; slots: Value[] }> {
    const slots = slotsFromLive(this.layout, newLive);
    this.validate(newLive, slots);
    const txn = this.env.txn();
    let key = oldKey;
    const keyChanged = this.table.primaryKey.length > 0 && this.table.primaryKey.some((attnum) => !sameValue(this.layout, attnum - 1, oldSlots, slots));
    if (keyChanged) {
      key = primaryKeyOf(this.layout, slots);
      await this.claimKey(key, slots);
    }
    for (const index of this.indexes) {
      const changed = index.columns.some((attnum) => !sameValue(this.layout, attnum - 1, oldSlots, slots));
      if (index.unique && changed) this.checkUnique(index, slots, oldKey);
    }
    const fkChanged = this.table.constraints.some((constraint) => constraint.type === 'f' && constraint.columns.some((attnum) => !sameValue(this.layout, attnum - 1, oldSlots, slots)));
    if (fkChanged) this.checkForeignKeys(slots, null);
    await this.handleReferencingRows(oldSlots, slots);
    dropToasted(txn, txn.get(this.table.treeId, oldKey));
    if (keyChanged) txn.delete(this.table.treeId, oldKey);
    txn.put(this.table.treeId, key, storeRow(txn, this.layout, slots));
    for (const index of this.indexes) {
      const changed = keyChanged || index.columns.some((attnum) => !sameValue(this.layout, attnum - 1, oldSlots, slots));
      if (!changed) continue;
      txn.delete(index.treeId, concatKeys(indexPrefix(this.layout, index, oldSlots), oldKey));
      txn.put(index.treeId, concatKeys(indexPrefix(this.layout, index, slots), key), key);
    }
    return { key, slots };
  }

  async delete(key: Uint8Array, slots: Value[]): Promise<void> {
    await this.handleReferencingRows(slots, null);
    const txn = this.env.txn();
    dropToasted(txn, txn.get(this.table.treeId, key));
    txn.delete(this.table.treeId, key);
    for (const index of this.indexes) txn.delete(index.treeId, concatKeys(indexPrefix(this.layout, index, slots), key));
  }

  /** The conflicting row's key for ON CONFLICT, or undefined. */
  findConflict(live: Value[], arbiter: { index: IndexObject | null } | undefined): Uint8Array | undefined {
    const slots = slotsFromLive(this.layout, live);
    const txn = this.env.txn();
    if ((arbiter === undefined || arbiter.index === null) && this.table.primaryKey.length > 0) {
      const key = primaryKeyOf(this.layout, slots);
      if (txn.get(this.table.treeId, key) !== undefined) return key;
    }
    for (const index of this.indexes) {
      if (!index.unique || (arbiter && arbiter.index !== index)) continue;
      if (index.columns.some((attnum) => (slots[attnum - 1] ?? null) === null)) continue;
      const found = this.firstEntry(index, indexPrefix(this.layout, index, slots));
      if (found) return found;
    }
    return undefined;
  }

  readRow(key: Uint8Array): Value[] | undefined {
    const value = this.env.txn().get(this.table.treeId, key);
    return value ? decodeStoredRow(this.layout, value, this.env.txn()) : undefined;
  }

  liveOf(slots: Value[]): Value[] {
    return liveRow(this.layout, slots);
  }

  private validate(live: Value[], slots: Value[]): void {
    for (const column of this.table.columns) {
      if (column.dropped || !column.notNull) continue;
      if ((slots[column.attnum - 1] ?? null) === null) {
        throw new SqlError(SqlState.notNullViolation, `null value in column "${column.name}" of relation "${this.table.name}" violates not-null constraint`, {
          detail: `Failing row contains ${this.rowText(live)}.`, table: this.table.name, column: column.name,
        });
      }
    }
    for (const { constraint, predicate } of this.checkConstraints()) {
      if (predicate(live, this.env.runtime) === false) {
        throw new SqlError(SqlState.checkViolation, `new row for relation "${this.table.name}" violates check constraint "${constraint.name}"`, {
          detail: `Failing row contains ${this.rowText(live)}.`, table: this.table.name, constraint: constraint.name,
        });
      }
    }
  }

  private rowText(live: Value[]): string {
    const columns = liveColumns(this.table);
    return `(${live.map((value, i) => (value === null ? 'null' : getType(columns[i]!.typeOid).formatText(value, this.env.runtime.functions.settings))).join(', ')})`;
  }

  private primaryConstraintName(): string {
    return this.table.constraints.find((constraint) => constraint.type === 'p')?.name ?? `${this.table.name}_pkey`;
  }

  private keyText(table: TableObject, attnums: number[], values: Value[]): string {
    const names = attnums.map((attnum) => table.columns[attnum - 1]!.name).join(', ');
    const settings = this.env.runtime.functions.settings;
    const shown = values.map((value, i) => (value === null ? 'null' : getType(table.columns[attnums[i]! - 1]!.typeOid).formatText(value, settings))).join(', ');
    return `Key (${names})=(${shown})`;
  }

  private uniqueViolation(constraintName: string, attnums: number[], slots: Value[]): SqlError {
    return new SqlError(SqlState.uniqueViolation, `duplicate key value violates unique constraint "${constraintName}"`, {
      detail: `${this.keyText(this.table, attnums, attnums.map((attnum) => slots[attnum - 1] ?? null))} already exists.`,
      table: this.table.name, constraint: constraintName,
    });
  }

  private firstEntry(index: IndexObject, prefix: Uint8Array, except?: Uint8Array | null): Uint8Array | undefined {
    const iterator = this.env.txn().scan(index.treeId, prefixRange(prefix), { limit: except ? 2 : 1 });
    try {
      for (let entry = iterator.next(); entry; entry = iterator.next()) {
        if (except && Buffer.compare(entry.value, except) === 0) continue;
        return entry.value;
      }
      return undefined;
    } finally {
      iterator.close();
    }
  }

  private checkUnique(index: IndexObject, slots: Value[], ownKey: Uint8Array | null): void {
    if (index.columns.some((attnum) => (slots[attnum - 1] ?? null) === null)) return;
    if (this.firstEntry(index, indexPrefix(this.layout, index, slots), ownKey)) {
      const constraint = this.table.constraints.find((candidate) => candidate.indexOid === index.oid);
      throw this.uniqueViolation(constraint?.name ?? index.name, index.columns, slots);
    }
  }

  /** Child side: every FK's referenced row must exist. */
  private checkForeignKeys(slots: Value[], _unused: null): void {
    for (const constraint of this.table.constraints) {
      if (constraint.type !== 'f') continue;
      const values = constraint.columns.map((attnum) => slots[attnum - 1] ?? null);
      if (values.some((value) => value === null)) continue;
      const fk = constraint.foreignKey!;
      const parent = this.env.catalog().table(fk.tableOid);
      if (!rowExists(this.env, parent, fk.columns, values)) {
        throw new SqlError(SqlState.foreignKeyViolation, `insert or update on table "${this.table.name}" violates foreign key constraint "${constraint.name}"`, {
          detail: `${this.keyText(this.table, constraint.columns, values)} is not present in table "${parent.name}".`,
          table: this.table.name, constraint: constraint.name,
        });
      }
    }
  }

  /** Parent side: rows referencing the old values (newSlots null = delete). */
  private async handleReferencingRows(oldSlots: Value[], newSlots: Value[] | null): Promise<void> {
    const catalog = this.env.catalog();
    for (const child of catalog.referencingTables(this.table.oid)) {
      for (const constraint of child.constraints) {
        if (constraint.type !== 'f' || constraint.foreignKey!.tableOid !== this.table.oid) continue;
        const fk = constraint.foreignKey!;
        const oldValues = fk.columns.map((attnum) => oldSlots[attnum - 1] ?? null);
        if (oldValues.some((value) => value === null)) continue;
        if (newSlots && fk.columns.every((attnum) => sameValue(this.layout, attnum - 1, oldSlots, newSlots))) continue;
        const action = newSlots ? fk.onUpdate : fk.onDelete;
        const childWriter = child.oid === this.table.oid ? this : new TableWriter(this.env, child);
        const matches = findReferencing(this.env, childWriter, constraint.columns, oldValues);
        if (matches.length === 0) continue;
        if (action === 'a' || action === 'r') {
          throw new SqlError(SqlState.foreignKeyViolation, `update or delete on table "${this.table.name}" violates foreign key constraint "${constraint.name}" on table "${child.name}"`, {
            detail: `${this.keyText(this.table, fk.columns, oldValues)} is still referenced from table "${child.name}".`,
            table: child.name, constraint: constraint.name,
          });
        }
        for (const match of matches) {
          if (action === 'c' && !newSlots) {
            await childWriter.delete(match.key, match.slots);
            continue;
          }
          const live = childWriter.liveOf(match.slots.slice());
          const updated = match.slots.slice();
          constraint.columns.forEach((attnum, i) => {
            updated[attnum - 1] = action === 'c' && newSlots ? (newSlots[fk.columns[i]! - 1] ?? null) : null;
          });
          void live;
          await childWriter.update(match.key, match.slots, childWriter.liveOf(updated));
        }
      }
    }
  }
}

function sameValue(layout: TableLayout, slot: number, a: Value[], b: Value[]): boolean {
  const x = a[slot] ?? null;
  const y = b[slot] ?? null;
  if (x === null || y === null) return x === y;
  return layout.storageTypes[slot]!.compare(x, y) === 0;
}

/** Does `table` hold a row whose `attnums` equal `values` (through its key or a unique index)? */
function rowExists(env: WriteEnvironment, table: TableObject, attnums: number[], values: Value[]): boolean {
  const layout = layoutOf(table);
  const txn = env.txn();
  const sameSet = (columns: number[]) => columns.length === attnums.length && columns.every((attnum, i) => attnum === attnums[i]);
  if (table.primaryKey.length > 0 && sameSet(table.primaryKey)) {
    return txn.get(table.treeId, encodeKey(layout.keyTypes, values)) !== undefined;
  }
  const index = env.catalog().indexesOf(table.oid).find((candidate) => candidate.unique && candidate.treeId !== 0 && sameSet(candidate.columns));
  if (index) {
    const iterator = txn.scan(index.treeId, prefixRange(encodeKey(indexTypes(layout, index), values, index.descending)), { limit: 1 });
    try {
      return iterator.next() !== undefined;
    } finally {
      iterator.close();
    }
  }
  return findRows(env, table, attnums, values).length > 0;
}

function findReferencing(env: WriteEnvironment, writer: TableWriter, attnums: number[], values: Value[]): Array<{ key: Uint8Array; slots: Value[] }> {
  return findRows(env, writer.table, attnums, values);
}

/** Rows of `table` whose columns equal `values`: an index with those leading columns, else a scan. */
function findRows(env: WriteEnvironment, table: TableObject, attnums: number[], values: Value[]): Array<{ key: Uint8Array; slots: Value[] }> {
  const layout = layoutOf(table);
  const txn = env.txn();
  const result: Array<{ key: Uint8Array; slots: Value[] }> = [];
  const matches = (slots: Value[]) => attnums.every((attnum, i) => {
    const value = slots[attnum - 1] ?? null;
    return value !== null && layout.storageTypes[attnum - 1]!.compare(value, values[i]) === 0;
  });
  const index = env.catalog().indexesOf(table.oid).find((candidate) => candidate.treeId !== 0 && attnums.every((attnum, i) => candidate.columns[i] === attnum));
  if (index) {
    const types = indexTypes(layout, index).slice(0, attnums.length);
    const iterator = txn.scan(index.treeId, prefixRange(encodeKey(types, values, index.descending)));
    try {
      for (let entry = iterator.next(); entry; entry = iterator.next()) {
        const key = entry.value.slice();
        const stored = txn.get(table.treeId, key);
        if (stored) result.push({ key, slots: decodeStoredRow(layout, stored, txn) });
      }
    } finally {
      iterator.close();
    }
    return result;
  }
  const iterator = txn.scan(table.treeId);
  try {
    for (let entry = iterator.next(); entry; entry = iterator.next()) {
      const slots = decodeStoredRow(layout, entry.value, txn);
      if (matches(slots)) result.push({ key: entry.key.slice(), slots });
    }
  } finally {
    iterator.close();
  }
  return result;
}
