// One database server process: the engine, the transaction manager, the decoded catalog cache,
// non-transactional allocators (OIDs, hidden row ids, sequences) and the live sessions.
import { randomInt } from 'node:crypto';
import {
  Catalog, bootstrapObjects, loadCatalog, readCatalogVersion, writeObject, catalogVersionKey,
  type CatalogReader, type TableObject,
} from '../catalog/index.js';
import type { Engine, ReadView, TreeOp } from '../engine/api.js';
import { loadParser } from '../parser/index.js';
import type { Transaction, TransactionManager } from '../txn/api.js';
import { decodeKey, TypeOid, typeByOid } from '../types/index.js';
import { assert } from '../util/assert.js';
import { SqlError, SqlState } from '../util/errors.js';
import { limits } from '../util/limits.js';
import type { AuthInfo, Session as SessionContract, SessionEvents, SessionFactory } from './contract.js';
import { SequenceStore } from './sequences.js';
import { Session } from './session.js';
import { SnapshotRegistry } from './snapshot-registry.js';

/** System trees, created at bootstrap in this order on a fresh engine. */
export const SystemTree = { catalog: 1, sequences: 2, toast: 3 } as const;

const encoder = new TextEncoder();

function viewReader(view: ReadView): CatalogReader {
  return {
    get: (tree, key) => view.get(tree, key),
    scan: (tree) => {
      const cursor = view.cursor(tree);
      return {
        next: () => (cursor.next() ? { key: cursor.key.slice(), value: cursor.value.slice() } : undefined),
        close: () => cursor.close(),
      };
    },
  };
}

export interface DatabaseServerOptions {
  /** Name of the bootstrap superuser (default postgres). */
  superuser?: string;
}

export class DatabaseServer implements SessionFactory {
  private readonly catalogs = new Map<number, Catalog>();
  private nextOid: number;
  private nextCatalogVersion: number;
  private readonly rowIds = new Map<number, bigint>();
  readonly sequences: SequenceStore;
  /** Named snapshots (issue 9), stored in the sequences system tree. */
  readonly snapshots: SnapshotRegistry;
  private readonly sessions = new Map<number, Session>();
  private closed = false;

  private constructor(readonly engine: Engine, readonly transactions: TransactionManager, latest: Catalog) {
    this.remember(latest);
    this.nextOid = latest.maxOid() + 1;
    this.nextCatalogVersion = latest.version + 1;
    this.sequences = new SequenceStore(engine, SystemTree.sequences);
    this.snapshots = new SnapshotRegistry(engine, SystemTree.sequences);
  }

  static async create(engine: Engine, transactions: TransactionManager, options: DatabaseServerOptions = {}): Promise<DatabaseServer> {
    await loadParser();
    const view = engine.view();
    let bootstrapped: boolean;
    try {
      bootstrapped = view.hasTree(SystemTree.catalog);
    } finally {
      view.release();
    }
    if (!bootstrapped) {
      const catalogTree = engine.allocateTreeId();
      const sequenceTree = engine.allocateTreeId();
      const toastTree = engine.allocateTreeId();
      assert(catalogTree === SystemTree.catalog && sequenceTree === SystemTree.sequences && toastTree === SystemTree.toast, 'system trees must be the first trees of a new database');
      const ops: TreeOp[] = [
        { kind: 'createTree', tree: SystemTree.catalog },
        { kind: 'createTree', tree: SystemTree.sequences },
        { kind: 'createTree', tree: SystemTree.toast },
        { kind: 'put', tree: SystemTree.catalog, key: catalogVersionKey, value: encoder.encode('1') },
      ];
      for (const object of bootstrapObjects(options.superuser)) {
        writeObject({ put: (tree, key, value) => ops.push({ kind: 'put', tree, key, value }), delete: () => {} }, SystemTree.catalog, object, undefined);
      }
      await engine.commit(ops).durable;
    }
    const latestView = engine.view();
    let latest: Catalog;
    try {
      latest = loadCatalog(viewReader(latestView), SystemTree.catalog);
    } finally {
      latestView.release();
    }
    return new DatabaseServer(engine, transactions, latest);
  }

  private remember(catalog: Catalog): void {
    this.catalogs.set(catalog.version, catalog);
    if (this.catalogs.size > 16) {
      const oldest = Math.min(...this.catalogs.keys());
      this.catalogs.delete(oldest);
    }
  }

  /** The newest committed catalog (authentication, database lookups). */
  committedCatalog(): Catalog {
    const view = this.engine.view();
    try {
      const version = readCatalogVersion(view, SystemTree.catalog);
      const cached = this.catalogs.get(version);
      if (cached) return cached;
      const catalog = loadCatalog(viewReader(view), SystemTree.catalog);
      this.remember(catalog);
      return catalog;
    } finally {
      view.release();
    }
  }

  /** The catalog as a transaction's snapshot sees it. */
  catalogFor(txn: Transaction): Catalog {
    const version = readCatalogVersion(txn, SystemTree.catalog);
    const cached = this.catalogs.get(version);
    if (cached) return cached;
    const catalog = loadCatalog({ get: (tree, key) => txn.get(tree, key), scan: (tree) => txn.scan(tree) }, SystemTree.catalog);
    this.remember(catalog);
    return catalog;
  }

  /**
   * A transaction committed DDL: its catalog becomes the cached one for its version. (DDL
   * transactions hold the catalog lock from their first DDL statement to their end and start from
   * the newest committed catalog, so no other DDL can commit in between.)
   */
  committed(catalog: Catalog): void {
    this.remember(catalog);
  }

  /** The newest committed catalog as the engine has applied it (for a DDL transaction that waited). */
  latestAppliedCatalog(): Catalog {
    const view = this.engine.appliedView();
    try {
      const version = readCatalogVersion(view, SystemTree.catalog);
      const cached = this.catalogs.get(version);
      if (cached) return cached;
      const catalog = loadCatalog(viewReader(view), SystemTree.catalog);
      this.remember(catalog);
      return catalog;
    } finally {
      view.release();
    }
  }

  allocateOid(): number {
    return this.nextOid++;
  }

  /**
   * Catalog versions are unique per DDL transaction (a process-wide counter, like OIDs): two
   * READ COMMITTED transactions running DDL concurrently both commit, and each version number
   * must still name exactly one committed catalog state for the cache to be right.
   */
  allocateCatalogVersion(): number {
    return this.nextCatalogVersion++;
  }

  /** Hidden row ids: a process-wide counter per table tree, started after the largest stored id. */
  allocateRowId(table: TableObject, txn: Transaction): bigint {
    let next = this.rowIds.get(table.treeId);
    if (next === undefined) {
      next = 1n;
      const iterator = txn.scan(table.treeId, undefined, { reverse: true, limit: 1 });
      try {
        const last = iterator.next();
        if (last) next = (decodeKey([typeByOid(TypeOid.int8)!], last.key)[0] as bigint) + 1n;
      } finally {
        iterator.close();
      }
      const view = this.engine.view();
      try {
        if (view.hasTree(table.treeId)) {
          const cursor = view.cursor(table.treeId, undefined, true);
          if (cursor.next()) {
            const committedLast = decodeKey([typeByOid(TypeOid.int8)!], cursor.key)[0] as bigint;
            if (committedLast + 1n > next) next = committedLast + 1n;
          }
          cursor.close();
        }
      } finally {
        view.release();
      }
    }
    this.rowIds.set(table.treeId, next + 1n);
    return next;
  }

  authInfo(user: string): AuthInfo {
    const role = this.committedCatalog().role(user);
    if (!role) return { roleExists: false, canLogin: false, scramVerifier: null };
    return { roleExists: true, canLogin: role.canLogin, scramVerifier: role.password };
  }

  databaseExists(name: string): boolean {
    return this.committedCatalog().database(name) !== undefined;
  }

  openSession(options: {
    user: string;
    database: string;
    applicationName: string;
    parameters: Record<string, string>;
    clientAddress: string;
    events: SessionEvents;
  }): SessionContract {
    if (this.closed) throw new SqlError(SqlState.adminShutdown, 'the database system is shutting down', { severity: 'FATAL' });
    const catalog = this.committedCatalog();
    const database = catalog.database(options.database);
    if (!database) throw new SqlError(SqlState.invalidCatalogName, `database "${options.database}" does not exist`, { severity: 'FATAL' });
    if (!database.allowConnections) throw new SqlError(SqlState.objectNotInPrerequisiteState, `database "${options.database}" is not currently accepting connections`, { severity: 'FATAL' });
    const role = catalog.role(options.user);
    if (!role) throw new SqlError(SqlState.invalidAuthorizationSpecification, `role "${options.user}" does not exist`, { severity: 'FATAL' });
    if (!role.canLogin) throw new SqlError(SqlState.invalidAuthorizationSpecification, `role "${options.user}" is not permitted to log in`, { severity: 'FATAL' });
    if (this.sessions.size >= limits.connectionsMax) throw new SqlError(SqlState.tooManyConnections, 'sorry, too many clients already', { severity: 'FATAL' });
    let processId: number;
    do processId = randomInt(1000, 2 ** 31 - 1); while (this.sessions.has(processId));
    const session = new Session(this, {
      processId, secretKey: randomInt(0, 2 ** 31 - 1), user: role.name, roleOid: role.oid, superuser: role.superuser,
      databaseOid: database.oid, databaseName: database.name, applicationName: options.applicationName,
      parameters: options.parameters, events: options.events,
    });
    this.sessions.set(processId, session);
    return session;
  }

  sessionClosed(session: Session): void {
    this.sessions.delete(session.processId);
  }

  /** Sessions whose transaction reads the retained commit `seq` (cambium_snapshots.pinned_by). */
  sessionsReadingSnapshot(seq: number): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.readingSnapshot() === seq) count++;
    return count;
  }

  sessionsOnDatabase(databaseOid: number, except?: Session): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session !== except && session.databaseOid === databaseOid) count++;
    return count;
  }

  cancel(processId: number, secretKey: number): void {
    const session = this.sessions.get(processId);
    if (session && session.secretKey === secretKey) session.cancel();
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.snapshots.stop();
    for (const session of [...this.sessions.values()]) await session.close();
    await this.engine.checkpoint();
    await this.engine.close();
  }
}
