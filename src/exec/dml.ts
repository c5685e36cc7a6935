// Executing INSERT / UPDATE / DELETE: rows stream from the source plan into the TableWriter;
// RETURNING rows are collected and handed out after the work is done (PostgreSQL too finishes
// the modification before returning rows).
import type { DeletePlan, InsertPlan, Row, RuntimeContext, UpdatePlan } from '../plan/index.js';
import type { Value } from '../types/index.js';
import { limits } from '../util/limits.js';
import { completed, type Execution, type StatementHost } from './api.js';
import { compile, type Compiled } from './compile-expr.js';
import { decodeStoredRow } from './table-storage.js';
import { openPlan } from './nodes/index.js';
import { execState } from './query.js';
import { TableWriter, type WriteEnvironment } from './table-writer.js';

function writeEnvironment(host: StatementHost, runtime: WriteEnvironment['runtime']): WriteEnvironment {
  return {
    txn: () => host.txn(),
    catalog: () => host.catalog(),
    bindContext: () => host.bindContext([]),
    runtime,
    allocateRowId: (table) => host.allocateRowId(table),
  };
}

function withReturning(rows: Row[], tag: string): Execution {
  let i = 0;
  return { next: () => rows[i++], close: () => {}, commandTag: () => tag };
}

export async function runInsert(plan: InsertPlan, host: StatementHost, params: readonly Value[]): Promise<Execution> {
  host.txn().assertWritable?.('INSERT');
  const state = execState(host, params);
  const writer = new TableWriter(writeEnvironment(host, state.runtime), plan.table);
  const returning = plan.returning?.exprs.map(compile) ?? null;
  const output: Row[] = [];
  const conflict = plan.onConflict;
  const setExprs = conflict?.set.map((expr) => (expr ? compile(expr) : null)) ?? [];
  const conflictWhere = conflict?.where ? compile(conflict.where) : null;
  const source = openPlan(plan.source, state);
  let count = 0;
  let sinceYield = 0;
  try {
    for (let row = source.next(); row; row = source.next()) {
      let written: Value[] | undefined;
      if (conflict) {
        const existingKey = writer.findConflict(row, conflict.arbiter);
        if (existingKey) {
          if (conflict.action === 'nothing') continue;
          const txn = host.txn();
          await txn.lockRow(plan.table.treeId, existingKey, 'no key update', 'wait');
          const latest = txn.options.isolation === 'read committed' && typeof txn.readLatestCommitted === 'function'
            ? txn.readLatestCommitted(plan.table.treeId, existingKey)
            : txn.get(plan.table.treeId, existingKey);
          if (!latest) {
            written = writer.liveOf((await writer.insert(row)).slots);
            count++;
            if (returning) output.push(returning.map((expr) => expr(written!, state.runtime)));
            continue;
          }
          const existingSlots = decodeStoredRow(writer.layout, latest, host.txn());
          const existing = writer.liveOf(existingSlots);
          const combined = [...existing, ...row];
          if (conflictWhere && conflictWhere(combined, state.runtime) !== true) continue;
          const updated = existing.map((value, i) => (setExprs[i] ? setExprs[i]!(combined, state.runtime) : value));
          written = writer.liveOf((await writer.update(existingKey, existingSlots, updated)).slots);
        }
      }
      if (!written) written = writer.liveOf((await writer.insert(row)).slots);
      count++;
      if (returning) output.push(returning.map((expr) => expr(written!, state.runtime)));
      if (++sinceYield >= limits.executorYieldRows) {
        sinceYield = 0;
        await host.pause();
      }
    }
  } finally {
    source.close();
  }
  const tag = `INSERT 0 ${count}`;
  return returning ? withReturning(output, tag) : completed(tag);
}

/** Collects the target rows first (so updates never see their own writes), then writes. */
async function collectTargets(plan: UpdatePlan | DeletePlan, host: StatementHost, params: readonly Value[]) {
  const state = execState(host, params);
  const source = openPlan(plan.source, state);
  const width = plan.table.columns.filter((column) => !column.dropped).length;
  const targets: Row[] = [];
  const seen = new Set<string>();
  try {
    for (let row = source.next(); row; row = source.next()) {
      const key = row[width] as Uint8Array;
      const id = Buffer.from(key).toString('latin1');
      if (seen.has(id)) continue; // a join may produce the same target row twice: PostgreSQL updates it once
      seen.add(id);
      targets.push(row);
    }
  } finally {
    source.close();
  }
  return { state, targets, width };
}

/**
 * Locks a target row and returns the version to modify: under READ COMMITTED the newest
 * committed one (PostgreSQL's EvalPlanQual: a concurrently updated row is re-read and the WHERE
 * re-checked); under REPEATABLE READ / SERIALIZABLE lockRow itself fails with 40001 when a newer
 * commit wrote the row. Returns undefined when the row is gone or no longer qualifies.
 */
async function lockTarget(
  host: StatementHost, writer: TableWriter, plan: UpdatePlan | DeletePlan, row: Row, width: number,
  recheck: Compiled | null, runtime: RuntimeContext, mode: 'no key update' | 'update',
): Promise<{ slots: Value[]; row: Row } | undefined> {
  const txn = host.txn();
  const key = row[width] as Uint8Array;
  const tree = plan.table.treeId;
  await txn.lockRow(tree, key, mode, 'wait');
  const seen = txn.get(tree, key);
  if (txn.options.isolation !== 'read committed' || typeof txn.readLatestCommitted !== 'function') {
    return seen ? { slots: decodeStoredRow(writer.layout, seen, txn), row } : undefined;
  }
  const latest = txn.readLatestCommitted(tree, key);
  if (!latest) return undefined;
  const slots = decodeStoredRow(writer.layout, latest, host.txn());
  if (seen && Buffer.compare(seen, latest) === 0) return { slots, row };
  if (!plan.singleTable) return { slots, row };
  const current = [...writer.liveOf(slots), key, ...row.slice(width + 1)];
  if (recheck && recheck(current, runtime) !== true) return undefined;
  return { slots, row: current };
}

export async function runUpdate(plan: UpdatePlan, host: StatementHost, params: readonly Value[]): Promise<Execution> {
  host.txn().assertWritable?.('UPDATE');
  const { state, targets, width } = await collectTargets(plan, host, params);
  const writer = new TableWriter(writeEnvironment(host, state.runtime), plan.table);
  const setExprs = plan.set.map((expr) => (expr ? compile(expr) : null));
  const recheck = plan.recheck ? compile(plan.recheck) : null;
  const returning = plan.returning?.exprs.map(compile) ?? null;
  const output: Row[] = [];
  let updated = 0;
  let sinceYield = 0;
  for (const target of targets) {
    const locked = await lockTarget(host, writer, plan, target, width, recheck, state.runtime, 'no key update');
    if (!locked) continue;
    const { slots: oldSlots, row } = locked;
    const key = row[width] as Uint8Array;
    const newLive = row.slice(0, width).map((value, i) => (setExprs[i] ? setExprs[i]!(row, state.runtime) : value));
    await writer.update(key, oldSlots, newLive);
    updated++;
    if (returning) {
      const after = [...newLive, ...row.slice(width)];
      output.push(returning.map((expr) => expr(after, state.runtime)));
    }
    if (++sinceYield >= limits.executorYieldRows) {
      sinceYield = 0;
      await host.pause();
    }
  }
  const tag = `UPDATE ${updated}`;
  return returning ? withReturning(output, tag) : completed(tag);
}

export async function runDelete(plan: DeletePlan, host: StatementHost, params: readonly Value[]): Promise<Execution> {
  host.txn().assertWritable?.('DELETE');
  const { state, targets, width } = await collectTargets(plan, host, params);
  const writer = new TableWriter(writeEnvironment(host, state.runtime), plan.table);
  const recheck = plan.recheck ? compile(plan.recheck) : null;
  const returning = plan.returning?.exprs.map(compile) ?? null;
  const output: Row[] = [];
  let deleted = 0;
  let sinceYield = 0;
  for (const target of targets) {
    const locked = await lockTarget(host, writer, plan, target, width, recheck, state.runtime, 'update');
    if (!locked) continue;
    const key = locked.row[width] as Uint8Array;
    await writer.delete(key, locked.slots);
    deleted++;
    if (returning) output.push(returning.map((expr) => expr(locked.row, state.runtime)));
    if (++sinceYield >= limits.executorYieldRows) {
      sinceYield = 0;
      await host.pause();
    }
  }
  const tag = `DELETE ${deleted}`;
  return returning ? withReturning(output, tag) : completed(tag);
}
