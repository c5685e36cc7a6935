// Branching (issue 9): CREATE DATABASE b FROM SNAPSHOT 's' and CREATE DATABASE b TEMPLATE a.
// Every table and index tree of the source database becomes a new tree sharing the source's root
// in that retained commit (cloneTree, O(1) per tree, no row is copied); writes on either side
// then diverge by copy-on-write. Catalog objects are copied with fresh OIDs (all references
// remapped) and written through the session's transaction like any CREATE DATABASE.
import { CatalogEditor, type CatalogObject, type ConstraintDefinition } from '../catalog/index.js';
import type { TreeOp } from '../engine/api.js';
import type { AsOfTarget } from '../parser/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { Session } from './session.js';

const sequenceTree = 2;

function oidKey(oid: number): Uint8Array {
  const key = new Uint8Array(4);
  new DataView(key.buffer).setUint32(0, oid);
  return key;
}

export async function branchDatabase(session: Session, database: string, from: AsOfTarget | { template: string }): Promise<void> {
  const { engine, snapshots } = session.server;
  const host = session.host;
  if (host.inTransactionBlock()) throw new SqlError(SqlState.activeSqlTransaction, 'CREATE DATABASE cannot run inside a transaction block');
  if (session.server.committedCatalog().database(database)) throw new SqlError(SqlState.duplicateDatabase, `database "${database}" already exists`);
  let seq: number;
  let sourceName: string;
  let temporary = false;
  if ('template' in from) {
    sourceName = from.template;
    if (!session.server.committedCatalog().database(sourceName)) throw new SqlError(SqlState.undefinedObject, `template database "${sourceName}" does not exist`);
    // Keep the newest state while its trees are cloned.
    const receipt = engine.commit([{ kind: 'retain' }]);
    await receipt.durable;
    seq = receipt.commitSeq;
    temporary = true;
  } else {
    seq = snapshots.resolve(from);
    sourceName = session.init.databaseName;
  }
  const view = engine.viewAt(seq);
  try {
    const past = snapshots.catalogAt(seq, view);
    const source = 'template' in from ? past.database(sourceName) : past.objects.get(session.databaseOid);
    if (!source || source.kind !== 'database') throw new SqlError(SqlState.undefinedObject, `database "${sourceName}" does not exist in the snapshot`);
    const remap = new Map<number, number>();
    const fresh = (oid: number): number => {
      let mapped = remap.get(oid);
      if (mapped === undefined) {
        mapped = session.server.allocateOid();
        remap.set(oid, mapped);
      }
      return mapped;
    };
    const newDatabaseOid = fresh(source.oid);
    const schemas = past.schemasOf(source.oid);
    const schemaOids = new Set(schemas.map((schema) => schema.oid));
    const copies: CatalogObject[] = [{ ...source, oid: newDatabaseOid, name: database, isTemplate: false, allowConnections: true }];
    const clones: TreeOp[] = [];
    const sequenceStates: Array<{ oid: number; value: Uint8Array }> = [];
    const clone = (tree: number): number => {
      if (tree === 0) return 0;
      const target = engine.allocateTreeId();
      clones.push(view.hasTree(tree) ? { kind: 'cloneTree', tree: target, source: tree, sourceSeq: seq } : { kind: 'createTree', tree: target });
      return target;
    };
    for (const schema of schemas) copies.push({ ...schema, oid: fresh(schema.oid), databaseOid: newDatabaseOid });
    const relations = [...past.objects.values()].filter((object) => 'schemaOid' in object && schemaOids.has(object.schemaOid));
    for (const relation of relations) fresh(relation.oid);
    const mapped = (oid: number) => remap.get(oid) ?? oid;
    for (const relation of relations) {
      if (relation.kind !== 'table' && relation.kind !== 'index' && relation.kind !== 'sequence' && relation.kind !== 'view') continue;
      const base = { oid: mapped(relation.oid), schemaOid: mapped(relation.schemaOid) };
      switch (relation.kind) {
        case 'table': {
          const constraints: ConstraintDefinition[] = relation.constraints.map((constraint) => ({
            ...constraint, oid: fresh(constraint.oid), indexOid: mapped(constraint.indexOid),
            foreignKey: constraint.foreignKey ? { ...constraint.foreignKey, tableOid: mapped(constraint.foreignKey.tableOid) } : null,
          }));
          copies.push({ ...relation, ...base, treeId: clone(relation.treeId), constraints });
          break;
        }
        case 'index':
          copies.push({ ...relation, ...base, tableOid: mapped(relation.tableOid), treeId: clone(relation.treeId) });
          break;
        case 'sequence': {
          copies.push({ ...relation, ...base, ownedBy: relation.ownedBy ? { ...relation.ownedBy, tableOid: mapped(relation.ownedBy.tableOid) } : null });
          const state = view.get(sequenceTree, oidKey(relation.oid));
          if (state) sequenceStates.push({ oid: base.oid, value: state.slice() });
          break;
        }
        case 'view':
          copies.push({ ...relation, ...base });
          break;
      }
    }
    await engine.commit([...clones, ...sequenceStates.map(({ oid, value }) => ({ kind: 'put' as const, tree: sequenceTree, key: oidKey(oid), value }))]).durable;
    const editor = new CatalogEditor(host.catalog());
    for (const copy of copies) editor.put(copy);
    host.applyCatalog(editor.finish());
  } finally {
    view.release();
    if (temporary) engine.commit([{ kind: 'unretain', seq }]);
  }
}
