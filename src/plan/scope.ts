// Name resolution scopes: the FROM items visible to an expression, their columns and where
// those columns sit in the input row; a parent link for correlated references.
import { SqlError, SqlState } from '../util/errors.js';
import type { OutputColumn } from './nodes.js';

export interface RangeItem {
  /** Alias or relation name used to qualify columns. */
  name: string;
  schemaName?: string;
  columns: OutputColumn[];
  /** Offset of the item's first column in the scope's row. */
  offset: number;
  /** Hidden from unqualified `*` (USING-merged columns are shown once). */
  hiddenColumns?: Set<number>;
  /** Relation OID when the item is a table (for whole-row and system lookups). */
  relationOid?: number;
}

export class Scope {
  readonly items: RangeItem[] = [];
  /** Columns merged by JOIN USING / NATURAL: name → row index of the merged value. */
  /** `coalesceWith`: FULL JOIN's merged value is COALESCE(left, right) (added for issue 7). */
  readonly mergedColumns = new Map<string, { index: number; column: OutputColumn; coalesceWith?: number }>();
  width = 0;

  constructor(readonly parent: Scope | null = null) {}

  add(item: Omit<RangeItem, 'offset'>): RangeItem {
    const full: RangeItem = { ...item, offset: this.width };
    if (this.items.some((existing) => existing.name === full.name && existing.schemaName === full.schemaName && full.name !== '')) {
      throw new SqlError(SqlState.duplicateAlias, `table name "${full.name}" specified more than once`);
    }
    this.items.push(full);
    this.width += item.columns.length;
    return full;
  }

  /** Resolves a column reference in this scope only; undefined when absent. */
  resolveLocal(qualifier: string | undefined, name: string, position: number | undefined): { index: number; column: OutputColumn; coalesceWith?: number } | undefined {
    if (qualifier === undefined) {
      const merged = this.mergedColumns.get(name);
      if (merged) return merged;
      let found: { index: number; column: OutputColumn } | undefined;
      for (const item of this.items) {
        item.columns.forEach((column, i) => {
          if (column.name !== name) return;
          if (found) {
            throw new SqlError(SqlState.ambiguousColumn, `column reference "${name}" is ambiguous`, position !== undefined ? { position } : {});
          }
          found = { index: item.offset + i, column };
        });
      }
      return found;
    }
    const item = this.items.find((candidate) => candidate.name === qualifier);
    if (!item) return undefined;
    const i = item.columns.findIndex((column) => column.name === name);
    if (i < 0) {
      throw new SqlError(SqlState.undefinedColumn, `column ${qualifier}.${name} does not exist`, position !== undefined ? { position } : {});
    }
    return { index: item.offset + i, column: item.columns[i]! };
  }

  item(name: string): RangeItem | undefined {
    return this.items.find((candidate) => candidate.name === name);
  }

  allColumns(): Array<{ index: number; column: OutputColumn; coalesceWith?: number }> {
    const result: Array<{ index: number; column: OutputColumn; coalesceWith?: number }> = [];
    for (const [, merged] of this.mergedColumns) result.push(merged);
    for (const item of this.items) {
      item.columns.forEach((column, i) => {
        if (item.hiddenColumns?.has(i)) return;
        result.push({ index: item.offset + i, column });
      });
    }
    return result;
  }
}
