// The exec layer's contract with the session above it: the session hosts a statement (its
// transaction, catalog, settings), the exec layer prepares and runs it.
import type { Catalog } from '../catalog/index.js';
import type { BindContext, OutputColumn, Row, RuntimeContext } from '../plan/index.js';
import type { Transaction } from '../txn/api.js';
import type { TableObject } from '../catalog/index.js';
import type { Value } from '../types/index.js';

/** A NOTICE/WARNING for the client (same shape as the session contract's Notice). */
export interface Notice {
  severity: 'WARNING' | 'NOTICE' | 'INFO' | 'DEBUG' | 'LOG';
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

export interface StatementHost {
  readonly databaseOid: number;
  readonly user: string;
  readonly roleOid: number;
  /** The catalog this statement sees (the transaction's own DDL included). */
  catalog(): Catalog;
  /** The statement's transaction, begun on first use. */
  txn(): Transaction;
  bindContext(paramTypes: number[]): BindContext;
  runtime(params: readonly Value[]): RuntimeContext;
  allocateRowId(table: TableObject): bigint;
  allocateOid(): number;
  allocateTreeId(): number;
  /** DDL: replaces the transaction's catalog (the session persists the difference). */
  applyCatalog(next: Catalog): void;
  notice(notice: Notice): void;
  /** Creates/resets the stored state of a sequence (non-transactional, like PostgreSQL). */
  resetSequence(sequenceOid: number, value: bigint, isCalled: boolean): void;
  /** Yields to the event loop and checks for cancellation (long loops call it every few thousand rows). */
  pause(): Promise<void>;
  /** True inside an explicit transaction block (BEGIN). */
  inTransactionBlock(): boolean;
  /** Extension (EXPLAIN BUFFERS): the engine's page-cache counters. */
  engineStats?(): { cacheHits: number; cacheMisses: number };
  /**
   * A TEMPORARY table was created: the session drops it when it ends. (Simplification: temporary
   * tables live in the ordinary schema, so other sessions can see their names.)
   */
  temporaryTableCreated?(schemaName: string, tableName: string): void;
  /**
   * Called before a statement changes the catalog: serializes DDL transactions (held until the
   * transaction ends, like PostgreSQL's relation locks but database-wide) and moves a READ
   * COMMITTED transaction onto the newest committed catalog.
   */
  lockCatalog?(): Promise<void>;
}

export interface Execution {
  /** Result rows (statements without a result return none). */
  next(): Row | undefined;
  close(): void;
  /** The CommandComplete tag; valid once next() returned undefined. */
  commandTag(): string;
}

export interface CopyFromSpec {
  kind: 'copyFrom';
  table: TableObject;
  /** Live-column positions the data fills, in data order. */
  columnIndexes: number[];
  format: 'text' | 'csv' | 'binary';
  delimiter: string;
  nullString: string;
  header: boolean;
  quote: string;
  escape: string;
}

export interface CopyToSpec {
  kind: 'copyTo';
  columns: OutputColumn[];
  format: 'text' | 'csv' | 'binary';
  delimiter: string;
  nullString: string;
  header: boolean;
  quote: string;
  escape: string;
  rows(): Execution;
}

export interface PreparedStatement {
  /** The first word(s) of the command tag, e.g. 'SELECT', 'INSERT', 'CREATE TABLE'. */
  readonly commandName: string;
  readonly paramTypes: number[];
  /** Result columns, or null (NoData). */
  readonly fields: OutputColumn[] | null;
  /** Catalog version planned against (plans are re-made when it changes). */
  readonly catalogVersion: number;
  /** Transaction-independent statements (utility) are not re-planned. */
  readonly dependsOnCatalog: boolean;
  /** COPY: the session drives the data transfer. */
  readonly copy?: (host: StatementHost, params: readonly Value[]) => CopyFromSpec | CopyToSpec;
  start(host: StatementHost, params: readonly Value[]): Promise<Execution>;
}

export function completed(tag: string): Execution {
  return { next: () => undefined, close: () => {}, commandTag: () => tag };
}
