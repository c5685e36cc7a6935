// The session's side of named snapshots (issue 9): CREATE/DROP/ALTER SNAPSHOT, table references
// read AS OF a snapshot (each from its own retained engine view, so one query may mix
// snapshots and live tables), the cambium_snapshots view, and SET TRANSACTION SNAPSHOT.
import type { TableObject } from '../catalog/index.js';
import { CatalogEditor, liveColumns } from '../catalog/index.js';
import type { CommitSeq, ReadView, TreeOp } from '../engine/api.js';
import { decodeStoredRow, layoutOf, liveRow } from '../exec/index.js';
import { asOfKind, nodeBody, nodeKind, snapshotCommandKind, type AstBody, type AsOfTarget, type ParsedStatement, type SnapshotCommand } from '../parser/index.js';
import { T, type OutputColumn, type RelationOverride, type Row } from '../plan/index.js';
import type { RowIterator, Transaction } from '../txn/api.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { CommandResult } from './commands.js';
import { expiresAt, parseRetention, type SnapshotRecord, type SnapshotRegistry } from './snapshot-registry.js';
import type { Session } from './session.js';
import { branchDatabase } from './snapshot-branch.js';

const postgresEpochMs = 946_684_800_000;
const toastTree = 3;

function timestamptz(ms: number | null): bigint | null {
  return ms === null ? null : BigInt(Math.round(ms - postgresEpochMs)) * 1000n;
}

/** The snapshot command a pre-parsed statement carries, if any. */
export function snapshotCommandOf(parsed: ParsedStatement | null): SnapshotCommand | undefined {
  const clause = parsed?.extensions.find((extension) => extension.kind === snapshotCommandKind);
  return clause?.value as SnapshotCommand | undefined;
}

export async function runSnapshotCommand(session: Session, command: SnapshotCommand): Promise<CommandResult> {
  const registry = session.server.snapshots;
  switch (command.action) {
    case 'restore':
      await restoreTable(session, command);
      return { rows: [], tag: 'RESTORE TABLE' };
    case 'branch':
      await branchDatabase(session, command.database, command.from);
      return { rows: [], tag: 'CREATE DATABASE' };
    case 'create': {
      const retention = command.retention === undefined ? null : parseRetention(command.retention);
      await registry.create(command.name, retention);
      return { rows: [], tag: 'CREATE SNAPSHOT' };
    }
    case 'drop':
      if (!(await registry.drop(command.name, command.ifExists))) session.notice('NOTICE', '00000', `snapshot "${command.name}" does not exist, skipping`);
      return { rows: [], tag: 'DROP SNAPSHOT' };
    case 'alter':
      await registry.alter(command.name, command.retention === null ? null : parseRetention(command.retention));
      return { rows: [], tag: 'ALTER SNAPSHOT' };
  }
}

/** Every RangeVar location in a statement, in source order. */
function rangeVarLocations(node: unknown, into: Array<{ location: number; body: AstBody }>): void {
  if (Array.isArray(node)) {
    for (const item of node) rangeVarLocations(item, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  // RangeVar bodies appear wrapped ({ RangeVar: … }) in FROM lists and bare as DML targets.
  if (typeof record['relname'] === 'string' && typeof record['location'] === 'number') into.push({ location: record['location'], body: record });
  for (const key of Object.keys(record)) if (typeof record[key] === 'object') rangeVarLocations(record[key], into);
}

const writeKinds: Record<string, string> = { InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE', TruncateStmt: 'TRUNCATE' };

/**
 * Maps each AS OF clause of a statement to the table reference it follows (the nearest RangeVar
 * before it). Throws 25006 when the clause is on a statement's write target.
 */
export function asOfTargets(parsed: ParsedStatement): Map<AstBody, AsOfTarget> {
  // Keyed by the RangeVar node itself (not its location), so a binder working on another
  // statement can never pick up this statement's clauses.
  const targets = new Map<AstBody, AsOfTarget>();
  const clauses = parsed.extensions.filter((extension) => extension.kind === asOfKind);
  if (clauses.length === 0) return targets;
  const rangeVars: Array<{ location: number; body: AstBody }> = [];
  rangeVarLocations(parsed.ast, rangeVars);
  rangeVars.sort((a, b) => a.location - b.location);
  const offsets = (parsed.extensions as Array<{ kind: string; value: unknown; offset?: number }>);
  for (const clause of offsets) {
    if (clause.kind !== asOfKind || clause.offset === undefined) continue;
    let owner: { location: number; body: AstBody } | undefined;
    for (const candidate of rangeVars) if (candidate.location < clause.offset) owner = candidate;
    if (!owner) throw new SqlError(SqlState.syntaxError, 'AS OF must follow a table reference', { position: clause.offset + 1 });
    targets.set(owner.body, clause.value as AsOfTarget);
  }
  const kind = nodeKind(parsed.ast);
  const command = writeKinds[kind];
  if (command) {
    const body = nodeBody(parsed.ast);
    const written: AstBody[] = kind === 'TruncateStmt' ? (body.relations ?? []).map((node: AstBody) => node.RangeVar) : [body.relation];
    for (const relation of written) {
      if (relation && targets.has(relation)) {
        throw new SqlError(SqlState.readOnlySqlTransaction, `cannot execute ${command} on a snapshot: "${relation.relname}" AS OF is read only`, { position: relation.location + 1 });
      }
    }
  }
  return targets;
}

function viewScan(view: ReadView, tree: number): RowIterator {
  const cursor = view.cursor(tree);
  return {
    next: () => (cursor.next() ? { key: cursor.key.slice(), value: cursor.value.slice() } : undefined),
    close: () => cursor.close(),
  };
}

/** Reads a table's rows from a retained commit: the table definition comes from that commit's catalog. */
function snapshotTableRows(registry: SnapshotRegistry, openView: (seq: CommitSeq) => ReadView, seq: CommitSeq, table: TableObject): Row[] {
  const view = openView(seq);
  try {
    const layout = layoutOf(table);
    const toast = { scan: (tree: number) => viewScan(view, tree) } as Parameters<typeof decodeStoredRow>[2];
    void toastTree;
    const rows: Row[] = [];
    const cursor = view.cursor(table.treeId);
    try {
      while (cursor.next()) rows.push(liveRow(layout, decodeStoredRow(layout, cursor.value.slice(), toast)));
    } finally {
      cursor.close();
    }
    return rows;
  } finally {
    view.release();
  }
}

export interface AsOfBinding {
  registry: SnapshotRegistry;
  openView: (seq: CommitSeq) => ReadView;
  databaseOid: number;
  searchPath: () => number[];
  /** Sessions reading a retained commit. */
  pinnedBy: (seq: CommitSeq) => number;
}

/** The relation override for one statement: AS OF table references and cambium_snapshots. */
export function relationOverrideFor(parsed: ParsedStatement | null, binding: AsOfBinding): (rangeVar: AstBody) => RelationOverride | undefined {
  const targets = parsed ? asOfTargets(parsed) : new Map<AstBody, AsOfTarget>();
  return (rangeVar) => {
    const target = targets.get(rangeVar);
    if (target) return snapshotRelation(rangeVar, target, binding);
    if (rangeVar.relname === 'cambium_snapshots' && (rangeVar.schemaname === undefined || rangeVar.schemaname === 'pg_catalog')) return snapshotsView(binding.registry, binding.pinnedBy);
    return undefined;
  };
}

function snapshotRelation(rangeVar: AstBody, target: AsOfTarget, binding: AsOfBinding): RelationOverride {
  const seq = binding.registry.resolve(target);
  const table = snapshotTable(rangeVar, seq, binding);
  const columns: OutputColumn[] = liveColumns(table).map((column) => ({ name: column.name, type: column.typeOid, typmod: column.typmod, tableOid: table.oid, attnum: column.attnum }));
  return {
    name: table.name,
    columns,
    source: {
      rows: () => {
        // Re-resolve by name at run time: a dropped snapshot answers 42704/72000, and one
        // re-created under the same name is read if the table still has the planned columns.
        const current = binding.registry.resolve(target);
        if (current === seq) return snapshotTableRows(binding.registry, binding.openView, seq, table);
        const now = snapshotTable(rangeVar, current, binding);
        const shape = (candidate: TableObject) => liveColumns(candidate).map((column) => `${column.typeOid}/${column.typmod}`).join(',');
        if (shape(now) !== shape(table)) throw new SqlError(SqlState.featureNotSupported, 'cached plan must not change result type');
        return snapshotTableRows(binding.registry, binding.openView, current, now);
      },
    },
  };
}

function snapshotTable(rangeVar: AstBody, seq: CommitSeq, binding: AsOfBinding): TableObject {
  const view = binding.openView(seq);
  let table: TableObject;
  try {
    const catalog = binding.registry.catalogAt(seq, view);
    const relation = catalog.lookupRelation(binding.databaseOid, binding.searchPath(), rangeVar.schemaname, rangeVar.relname);
    if (!relation) {
      throw new SqlError(SqlState.undefinedTable, `relation "${rangeVar.schemaname ? `${rangeVar.schemaname}.` : ''}${rangeVar.relname}" does not exist in snapshot`, { position: rangeVar.location + 1 });
    }
    if (relation.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `"${rangeVar.relname}" is not a table`, { position: rangeVar.location + 1 });
    table = relation;
  } finally {
    view.release();
  }
  return table;
}

const snapshotColumns: OutputColumn[] = [
  { name: 'name', type: T.text, typmod: -1, tableOid: 0, attnum: 0 },
  { name: 'commit_number', type: T.int8, typmod: -1, tableOid: 0, attnum: 0 },
  { name: 'created_at', type: T.timestamptz, typmod: -1, tableOid: 0, attnum: 0 },
  { name: 'expires_at', type: T.timestamptz, typmod: -1, tableOid: 0, attnum: 0 },
  { name: 'pinned_by', type: T.int4, typmod: -1, tableOid: 0, attnum: 0 },
  { name: 'exclusive_bytes', type: T.int8, typmod: -1, tableOid: 0, attnum: 0 },
  { name: 'merkle_root', type: T.text, typmod: -1, tableOid: 0, attnum: 0 },
];

/**
 * cambium_snapshots: live (not collected) snapshots. pinned_by counts sessions whose transaction
 * reads the snapshot; exclusive_bytes and merkle_root are NULL: the engine does not yet report
 * page ownership or page hashes.
 */
function snapshotsView(registry: SnapshotRegistry, pinnedBy: (seq: CommitSeq) => number): RelationOverride {
  return {
    name: 'cambium_snapshots',
    columns: snapshotColumns,
    source: {
      rows: () => registry.list().filter((record: SnapshotRecord) => !record.collected).map((record) => [
        record.name, BigInt(record.seq), timestamptz(record.createdAt), timestamptz(expiresAt(record)), pinnedBy(record.seq), null, null,
      ]),
    },
  };
}

/**
 * RESTORE TABLE t FROM SNAPSHOT 's': O(1) root swap. Fresh trees are made to share the
 * snapshot's roots of the table and its indexes (one engine commit; nothing references them
 * yet), then the session's transaction points the catalog's table and index definitions (as they
 * were in the snapshot) at them and drops the current trees. The catalog write goes through the
 * transaction, so it commits or rolls back with it and conflicts with concurrent DDL on the table.
 */
async function restoreTable(session: Session, command: Extract<SnapshotCommand, { action: 'restore' }>): Promise<void> {
  const { engine, snapshots: registry } = session.server;
  const seq = registry.resolve(command.from);
  const host = session.host;
  const catalog = host.catalog();
  const relation = catalog.lookupRelation(session.databaseOid, session.searchPathOids(), command.schema, command.table);
  const display = `${command.schema ? `${command.schema}.` : ''}${command.table}`;
  if (!relation) throw new SqlError(SqlState.undefinedTable, `relation "${display}" does not exist`);
  if (relation.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `"${display}" is not a table`);
  host.txn().assertWritable('RESTORE TABLE');
  const view = engine.viewAt(seq);
  const editor = new CatalogEditor(catalog);
  const clones: TreeOp[] = [];
  try {
    const past = registry.catalogAt(seq, view).get(relation.oid);
    if (past?.kind !== 'table') throw new SqlError(SqlState.undefinedTable, `relation "${display}" does not exist in the snapshot`);
    const clone = (source: number): number => {
      if (source === 0) return 0; // a primary key index lives in the table tree itself
      const tree = engine.allocateTreeId();
      clones.push(view.hasTree(source) ? { kind: 'cloneTree', tree, source, sourceSeq: seq } : { kind: 'createTree', tree });
      return tree;
    };
    editor.put({ ...past, treeId: clone(past.treeId) });
    for (const index of catalog.indexesOf(relation.oid)) editor.remove(index.oid);
    for (const index of registry.catalogAt(seq, view).indexesOf(relation.oid)) editor.put({ ...index, treeId: clone(index.treeId) });
  } finally {
    view.release();
  }
  await engine.commit(clones).durable;
  const txn = host.txn();
  txn.dropTree(relation.treeId);
  for (const index of catalog.indexesOf(relation.oid)) if (index.treeId !== 0) txn.dropTree(index.treeId);
  host.applyCatalog(editor.finish());
}

/**
 * pg_export_snapshot(): keeps the transaction's snapshot importable (SET TRANSACTION SNAPSHOT
 * 'cambium-<commit>') until the exporting transaction ends, as in PostgreSQL. The engine keeps
 * whole commits only, so this commits an empty `retain` whose state equals the snapshot; when a
 * newer commit already exists the snapshot cannot be reproduced and the call fails (0A000).
 * Returns seq -1 when nothing new was retained (the snapshot already is a retained commit).
 */
export function exportSnapshot(server: Session['server'], txn: Transaction): { id: string; seq: number } {
  const seq = txn.snapshotSeq;
  if (seq === undefined) throw new SqlError(SqlState.objectNotInPrerequisiteState, 'no snapshot to export');
  if (txn.options.asOfSeq !== undefined || server.engine.retainedSeqs().includes(seq)) return { id: `cambium-${seq}`, seq: -1 };
  if (server.engine.appliedSeq !== seq) {
    throw new SqlError(SqlState.featureNotSupported, 'cannot export this snapshot: newer commits exist', { hint: "Call pg_export_snapshot() in the transaction's first statement, or use a named snapshot (CREATE SNAPSHOT)." });
  }
  const receipt = server.engine.commit([{ kind: 'retain' }]);
  return { id: `cambium-${receipt.commitSeq}`, seq: receipt.commitSeq };
}

/** The exporting transaction ended: its exported snapshots are unretained. */
export function releaseExports(server: Session['server'], seqs: number[]): void {
  const ops: TreeOp[] = seqs.filter((seq) => seq >= 0).map((seq) => ({ kind: 'unretain', seq }));
  if (ops.length === 0) return;
  try {
    server.engine.commit(ops).durable.catch(() => {});
  } catch {
    // The engine is closing; the commit stays retained until a DROP (documented limitation).
  }
}
