// One connection's SQL state: transaction blocks (explicit, implicit, failed), statements and
// portals of the extended protocol, settings, and the host the executor runs statements in.
import type { SequenceObject, TableObject } from '../catalog/index.js';
import { Catalog, catalogVersionKey, writeCatalogChanges } from '../catalog/index.js';
import {
  prepareStatement, CopyFromRunner, copyToChunks, type Execution, type PreparedStatement, type StatementHost,
} from '../exec/index.js';
import { pullRow, rowPending } from '../exec/index.js';
import { nodeBody, nodeKind, parseStatements, type AstBody, type ParsedStatement } from '../parser/index.js';
import { formatTypeName, getType, quoteIdentifier, RegType, regTypeOids, virtualRelation, virtualRelations, type BindContext, type OutputColumn, type Row, type RuntimeContext, type SessionServices } from '../plan/index.js';
import type { FunctionContext } from '../types/functions/api.js';
import type { FormatSettings, Value } from '../types/index.js';
import type { IsolationLevel, Transaction, TransactionOptions } from '../txn/api.js';
import { SqlError, SqlState, toSqlError } from '../util/errors.js';
import { limits } from '../util/limits.js';
import type {
  ExecuteOutcome, FieldDescription, FormatCode, PortalInfo, PreparedStatementInfo, RowSink, Session as SessionContract,
  SessionEvents, SimpleQueryRun, SimpleStatement, TransactionStatus,
} from './contract.js';
import type { DatabaseServer } from './database.js';
import { SystemTree } from './database.js';
import { runSessionCommand, sessionCommandFields, isSessionCommand, type SessionCommandContext } from './commands.js';
import { Settings, parseDurationMs } from './settings.js';
import { resolveSearchPath } from './search-path.js';
import { exportSnapshot, releaseExports, relationOverrideFor, snapshotCommandOf } from './snapshots.js';
import { diffFunction } from './snapshot-diff.js';

export interface SessionInit {
  processId: number;
  secretKey: number;
  user: string;
  roleOid: number;
  superuser: boolean;
  databaseOid: number;
  databaseName: string;
  applicationName: string;
  parameters: Record<string, string>;
  events: SessionEvents;
}

/** A statement as Parse (or a simple Query) left it. */
export interface StatementEntry {
  sql: string;
  parsed: ParsedStatement | null;
  /** Parameter types the client declared (0 = infer). */
  declaredTypes: number[];
  prepared: PreparedStatement | null;
  /** Session-handled commands (transaction control, SET, SHOW, …) carry no plan. */
  sessionCommand: boolean;
}

interface Portal {
  entry: StatementEntry;
  params: Value[];
  fields: FieldDescription[] | null;
  encoders: Array<(value: Value) => Uint8Array>;
  execution: Execution | null;
  /** Rows a session command produced. */
  commandRows: Row[] | null;
  commandTag: string | null;
  done: boolean;
  /** Execute stopped at maxRows before (PortalSuspended). */
  resumed?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const postgresEpochMicros = 946_684_800_000_000n;

function nowMicros(): bigint {
  const ms = performance.timeOrigin + performance.now();
  return BigInt(Math.round(ms * 1000)) - postgresEpochMicros;
}

type BlockState = 'idle' | 'implicit' | 'explicit';

export class Session implements SessionContract, SessionCommandContext {
  readonly processId: number;
  readonly secretKey: number;
  readonly databaseOid: number;
  readonly user: string;
  readonly settings: Settings;
  private readonly statements = new Map<string, StatementEntry>();
  private readonly portals = new Map<string, Portal>();
  private readonly simplePlans = new Map<string, StatementEntry>();
  private readonly temporaryTables: string[] = [];
  /** SQL cursors (DECLARE … CURSOR): open executions, or materialized rows for WITH HOLD. */
  private readonly cursors = new Map<string, { execution: Execution; fields: OutputColumn[] | null; hold: boolean }>();
  private txn: Transaction | null = null;
  private block: BlockState = 'idle';
  private failed = false;
  private txnCatalog: Catalog | null = null;
  private savepointCatalogs: Array<{ name: string; catalog: Catalog | null }> = [];
  /** BEGIN / SET TRANSACTION options for the next transaction of this block. */
  pendingOptions: Partial<TransactionOptions> = {};
  private transactionStart = 0n;
  private statementStart = 0n;
  /** The next transaction use must call beginStatement (a statement started before the transaction). */
  private statementPending = false;
  private statementCommand = 'SELECT';
  private cancelRequested = false;
  /** Date.now() after which the running statement fails with 57014 (statement_timeout); 0 = none. */
  private statementDeadline = 0;
  private readonly currvals = new Map<number, bigint>();
  private lastSequence: number | null = null;
  private formatSettingsCache: FormatSettings | null = null;
  private searchPathCache: { key: string; oids: number[] } | null = null;
  private closed = false;
  /** The statement being planned (its AS OF clauses bind its table references; issue 9). */
  private preparingStatement: ParsedStatement | null = null;
  /** Commits retained by pg_export_snapshot() until this transaction ends. */
  private readonly exportedSnapshots: number[] = [];
  readonly host: StatementHost;
  private readonly services: SessionServices;

  constructor(readonly server: DatabaseServer, readonly init: SessionInit) {
    this.processId = init.processId;
    this.secretKey = init.secretKey;
    this.databaseOid = init.databaseOid;
    this.user = init.user;
    this.settings = new Settings((name, value) => {
      this.formatSettingsCache = null;
      this.searchPathCache = null;
      init.events.parameterStatus(name, value);
    });
    for (const [name, value] of Object.entries(init.parameters)) {
      if (name === 'options') this.applyOptions(value);
      else if (name !== 'user' && name !== 'database' && name !== 'replication') this.settings.initialize(name, value);
    }
    this.settings.initialize('application_name', init.applicationName);
    this.settings.initialize('session_authorization', init.user);
    this.settings.initialize('is_superuser', init.superuser ? 'on' : 'off');
    this.services = this.makeServices();
    this.host = this.makeHost();
  }

  /** `-c name=value` pairs from the startup `options` parameter. */
  private applyOptions(options: string): void {
    const pattern = /(?:-c\s*|--)([\w.]+)=((?:\\.|[^\s\\])*)/g;
    for (const match of options.matchAll(pattern)) this.settings.initialize(match[1]!.replace(/-/g, '_'), match[2]!.replace(/\\(.)/g, '$1'));
  }

  initialParameterStatus(): Array<[string, string]> {
    return this.settings.reportedParameters();
  }

  transactionStatus(): TransactionStatus {
    if (this.block !== 'explicit') return 'I';
    return this.failed ? 'E' : 'T';
  }

  // ------------------------------------------------------------------ transactions

  inExplicitBlock(): boolean {
    return this.block === 'explicit';
  }

  isFailed(): boolean {
    return this.failed;
  }

  private defaultOptions(): TransactionOptions {
    const isolation = (this.settings.get('default_transaction_isolation') ?? 'read committed') as IsolationLevel;
    return {
      isolation: this.pendingOptions.isolation ?? isolation,
      readOnly: this.pendingOptions.readOnly ?? this.settings.get('default_transaction_read_only') === 'on',
      deferrable: this.pendingOptions.deferrable ?? this.settings.get('default_transaction_deferrable') === 'on',
      ...(this.pendingOptions.asOfSeq !== undefined ? { asOfSeq: this.pendingOptions.asOfSeq } : {}),
    };
  }

  /** The current transaction, begun on first use (its snapshot is taken per statement). */
  transaction(): Transaction {
    if (!this.txn) {
      if (this.block === 'idle') this.block = 'implicit';
      this.txn = this.server.transactions.begin(this.defaultOptions());
      const lockTimeoutMs = parseDurationMs(this.settings.get('lock_timeout') ?? '0') ?? 0;
      if ('lockTimeoutMs' in this.txn) this.txn.lockTimeoutMs = lockTimeoutMs;
      this.transactionStart = this.statementStart || nowMicros();
      this.statementPending = true;
    }
    if (this.statementPending) {
      this.statementPending = false;
      this.txn.beginStatement(this.statementCommand);
    }
    return this.txn;
  }

  /** Marks the start of a statement: timestamps, failed-block check, new snapshot under READ COMMITTED. */
  private startStatement(command: string, allowedWhenFailed: boolean): void {
    if (this.failed && !allowedWhenFailed) {
      throw new SqlError(SqlState.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
    }
    this.cancelRequested = false;
    const timeoutMs = parseDurationMs(this.settings.get('statement_timeout') ?? '0') ?? 0;
    this.statementDeadline = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
    this.statementStart = nowMicros();
    if (!this.txn) this.transactionStart = this.statementStart;
    this.statementCommand = command;
    this.statementPending = true;
  }

  /**
   * SET TRANSACTION SNAPSHOT (issue 9): the block's transaction reads the retained commit `seq`.
   * PostgreSQL's rules: only in a block, before any query, at REPEATABLE READ or SERIALIZABLE.
   */
  importSnapshot(seq: number): void {
    if (this.block !== 'explicit') throw new SqlError(SqlState.noActiveSqlTransaction, 'SET TRANSACTION can only be used in transaction blocks');
    if (this.txn && this.txn.snapshotSeq !== undefined) throw new SqlError(SqlState.activeSqlTransaction, 'SET TRANSACTION SNAPSHOT must be called before any query');
    const isolation = this.txn?.options.isolation ?? this.defaultOptions().isolation;
    if (isolation !== 'repeatable read' && isolation !== 'serializable') {
      throw new SqlError(SqlState.featureNotSupported, 'a snapshot-importing transaction must have isolation level SERIALIZABLE or REPEATABLE READ');
    }
    const options = this.txn ? { ...this.txn.options } : {};
    if (this.txn) {
      // Nothing was read yet: begin again on the snapshot.
      this.txn.rollback();
      this.txn = null;
    }
    this.pendingOptions = { ...this.pendingOptions, ...options, isolation, readOnly: true, asOfSeq: seq };
  }

  /** The retained commit this session's transaction reads (SET TRANSACTION SNAPSHOT), if any. */
  readingSnapshot(): number | undefined {
    return this.txn?.options.asOfSeq ?? this.pendingOptions.asOfSeq;
  }

  beginBlock(options: Partial<TransactionOptions>): void {
    if (this.block === 'explicit') {
      this.notice('WARNING', '25001', 'there is already a transaction in progress');
      return;
    }
    this.block = 'explicit';
    this.failed = false;
    this.pendingOptions = options;
    if (this.txn) this.applyCharacteristics(options);
  }

  applyCharacteristics(options: Partial<TransactionOptions>): void {
    this.pendingOptions = { ...this.pendingOptions, ...options };
    const txn = this.txn as (Transaction & { setCharacteristics?: (changes: Partial<TransactionOptions>) => void }) | null;
    if (txn?.setCharacteristics) txn.setCharacteristics(options);
    else if (txn && txn.snapshotSeq !== undefined && options.isolation && options.isolation !== txn.options.isolation) {
      throw new SqlError(SqlState.activeSqlTransaction, 'SET TRANSACTION ISOLATION LEVEL must be called before any query');
    }
  }

  currentIsolation(): string {
    return this.txn?.options.isolation ?? this.defaultOptions().isolation;
  }

  currentReadOnly(): boolean {
    return this.txn?.options.readOnly ?? this.defaultOptions().readOnly;
  }

  /** COMMIT: returns the tag ('ROLLBACK' when the block had failed). */
  async commitBlock(): Promise<string> {
    if (this.block === 'idle' || (this.block === 'implicit' && !this.txn)) {
      this.notice('WARNING', '25P01', 'there is no transaction in progress');
      this.block = 'idle';
      return 'COMMIT';
    }
    if (this.failed) {
      this.rollbackTransaction();
      return 'ROLLBACK';
    }
    await this.commitTransaction();
    return 'COMMIT';
  }

  rollbackBlock(): string {
    if (this.block === 'idle' || (this.block === 'implicit' && !this.txn)) {
      this.notice('WARNING', '25P01', 'there is no transaction in progress');
    }
    this.rollbackTransaction();
    return 'ROLLBACK';
  }

  private async commitTransaction(): Promise<void> {
    const txn = this.txn;
    const catalog = this.txnCatalog;
    this.resetTransactionState();
    if (txn) {
      try {
        await txn.commit();
      } catch (error) {
        this.settings.endTransaction(false);
        throw error;
      }
      if (catalog) this.server.committed(catalog);
    }
    this.settings.endTransaction(true);
  }

  private rollbackTransaction(): void {
    const txn = this.txn;
    this.resetTransactionState();
    if (txn && txn.state !== 'committed' && txn.state !== 'aborted') txn.rollback();
    this.settings.endTransaction(false);
  }

  private resetTransactionState(): void {
    releaseExports(this.server, this.exportedSnapshots.splice(0));
    this.catalogLocked = false;
    for (const [name, cursor] of this.cursors) {
      if (cursor.hold) continue;
      cursor.execution.close();
      this.cursors.delete(name);
    }
    this.txn = null;
    this.txnCatalog = null;
    this.savepointCatalogs = [];
    this.block = 'idle';
    this.failed = false;
    this.pendingOptions = {};
    this.searchPathCache = null;
  }

  savepoint(name: string): void {
    if (this.block !== 'explicit') throw new SqlError(SqlState.noActiveSqlTransaction, 'SAVEPOINT can only be used in transaction blocks');
    this.transaction().savepoint(name);
    this.savepointCatalogs.push({ name, catalog: this.txnCatalog });
  }

  releaseSavepoint(name: string): void {
    if (this.block !== 'explicit') throw new SqlError(SqlState.noActiveSqlTransaction, 'RELEASE SAVEPOINT can only be used in transaction blocks');
    this.transaction().releaseSavepoint(name);
    const index = this.savepointCatalogs.map((entry) => entry.name).lastIndexOf(name);
    if (index >= 0) this.savepointCatalogs.splice(index);
  }

  rollbackToSavepoint(name: string): void {
    if (this.block !== 'explicit') throw new SqlError(SqlState.noActiveSqlTransaction, 'ROLLBACK TO SAVEPOINT can only be used in transaction blocks');
    if (!this.txn) throw new SqlError('3B001', `savepoint "${name}" does not exist`);
    this.txn.rollbackToSavepoint(name);
    const index = this.savepointCatalogs.map((entry) => entry.name).lastIndexOf(name);
    if (index >= 0) {
      this.txnCatalog = this.savepointCatalogs[index]!.catalog;
      this.savepointCatalogs.splice(index + 1);
    }
    this.failed = false;
    this.searchPathCache = null;
  }

  /** A statement failed: an explicit block becomes failed; an implicit one rolls back. */
  private statementFailed(): void {
    if (this.block === 'explicit') {
      this.failed = true;
      const txn = this.txn as (Transaction & { fail?: () => void }) | null;
      if (txn && txn.state === 'active') txn.fail?.();
    } else {
      this.rollbackTransaction();
    }
  }

  // ------------------------------------------------------------------ catalog, settings, host

  catalog(): Catalog {
    if (this.txnCatalog) return this.txnCatalog;
    return this.server.catalogFor(this.transaction());
  }

  private catalogLocked = false;

  private async lockCatalog(): Promise<void> {
    if (this.catalogLocked) return;
    const txn = this.transaction();
    await txn.lockRow(SystemTree.catalog, catalogVersionKey, 'update', 'wait');
    this.catalogLocked = true;
    if (this.txnCatalog || typeof txn.readLatestCommitted !== 'function') return;
    const latest = txn.readLatestCommitted(SystemTree.catalog, catalogVersionKey);
    const latestVersion = latest ? Number(new TextDecoder().decode(latest)) : 0;
    if (latestVersion === this.catalog().version) return;
    if (txn.options.isolation !== 'read committed') {
      throw new SqlError(SqlState.serializationFailure, 'could not serialize access due to concurrent catalog update');
    }
    // READ COMMITTED: this statement continues from the newest committed catalog.
    this.txnCatalog = this.server.latestAppliedCatalog();
    this.searchPathCache = null;
  }

  private applyCatalog(edited: Catalog): void {
    const txn = this.transaction();
    const next = new Catalog(edited.objects, this.server.allocateCatalogVersion());
    writeCatalogChanges(txn, SystemTree.catalog, this.catalog(), next);
    this.txnCatalog = next;
    this.searchPathCache = null;
  }

  searchPathOids(): number[] {
    const catalog = this.catalog();
    const value = this.settings.get('search_path') ?? '';
    const key = `${catalog.version}|${value}`;
    if (this.searchPathCache?.key !== key || this.txnCatalog) {
      this.searchPathCache = { key, oids: resolveSearchPath(value, catalog, this.databaseOid, this.user) };
    }
    return this.searchPathCache.oids;
  }

  formatSettings(): FormatSettings {
    if (!this.formatSettingsCache) {
      this.formatSettingsCache = {
        dateStyle: this.settings.get('datestyle') ?? 'ISO, MDY',
        timeZone: this.settings.get('timezone') ?? 'UTC',
        intervalStyle: this.settings.get('intervalstyle') ?? 'postgres',
        extraFloatDigits: Number(this.settings.get('extra_float_digits') ?? '1'),
        byteaOutput: (this.settings.get('bytea_output') ?? 'hex') as 'hex' | 'escape',
      };
    }
    return this.formatSettingsCache;
  }

  getSetting(name: string, missingOk: boolean): string | null {
    const lower = name.toLowerCase();
    if (lower === 'transaction_isolation') return this.currentIsolation();
    if (lower === 'transaction_read_only') return this.currentReadOnly() ? 'on' : 'off';
    return this.settings.show(name, missingOk) ?? null;
  }

  setSetting(name: string, value: string | null, local: boolean): void {
    const lower = name.toLowerCase();
    if (lower === 'transaction_isolation' || lower === 'transaction_read_only' || lower === 'transaction_deferrable') {
      const text = (value ?? '').toLowerCase();
      if (lower === 'transaction_isolation') this.applyCharacteristics({ isolation: text as IsolationLevel });
      else if (lower === 'transaction_read_only') this.applyCharacteristics({ readOnly: ['on', 'true', '1', 'yes'].includes(text) });
      else this.applyCharacteristics({ deferrable: ['on', 'true', '1', 'yes'].includes(text) });
      return;
    }
    this.settings.set(name, value, local, this.block !== 'idle' && this.txn !== null || this.block === 'explicit');
    if (lower === 'search_path') this.searchPathCache = null;
  }

  notice(severity: 'WARNING' | 'NOTICE', code: string, message: string, detail?: string): void {
    const minimum = this.settings.get('client_min_messages') ?? 'notice';
    if (severity === 'NOTICE' && (minimum === 'warning' || minimum === 'error')) return;
    this.init.events.notice({ severity, code, message, ...(detail ? { detail } : {}) });
  }

  /** Per-session state of functions such as random()/setseed() (FunctionContext.session.functionState). */
  private readonly functionState = new Map<string, unknown>();

  private functionContext(): FunctionContext {
    const context = this.buildFunctionContext();
    // Additive field of the functions layer (may be absent from this branch's FunctionContext type).
    (context.session as { functionState?: Map<string, unknown> }).functionState = this.functionState;
    return context;
  }

  private buildFunctionContext(): FunctionContext {
    const settings = this.settings;
    const session = this;
    return {
      settings: this.formatSettings(),
      transactionTimestamp: this.transactionStart || this.statementStart || nowMicros(),
      statementTimestamp: this.statementStart || nowMicros(),
      session: {
        user: this.user,
        database: this.init.databaseName,
        processId: this.processId,
        get searchPath() {
          const catalog = session.catalog();
          return session.searchPathOids().map((oid) => catalog.schemaByOid(oid)?.name ?? 'pg_catalog');
        },
        getSetting: (name) => settings.get(name),
      },
    };
  }

  private sequence(oid: number): SequenceObject {
    const object = this.catalog().get(oid);
    if (object?.kind !== 'sequence') {
      const name = object && 'name' in object ? object.name : String(oid);
      throw new SqlError(SqlState.wrongObjectType, `"${name}" is not a sequence`);
    }
    return object;
  }

  private makeServices(): SessionServices {
    return {
      nextval: (oid) => {
        const sequence = this.sequence(oid);
        const value = this.server.sequences.nextval(sequence);
        this.currvals.set(oid, value);
        this.lastSequence = oid;
        return value;
      },
      currval: (oid) => {
        const sequence = this.sequence(oid);
        const value = this.currvals.get(oid);
        if (value === undefined) throw new SqlError(SqlState.objectNotInPrerequisiteState, `currval of sequence "${sequence.name}" is not yet defined in this session`);
        return value;
      },
      lastval: () => {
        if (this.lastSequence === null) throw new SqlError(SqlState.objectNotInPrerequisiteState, 'lastval is not yet defined in this session');
        return this.currvals.get(this.lastSequence)!;
      },
      setval: (oid, value, isCalled) => {
        const sequence = this.sequence(oid);
        this.server.sequences.setval(sequence, value, isCalled);
        if (isCalled) this.currvals.set(oid, value);
        return value;
      },
      getSetting: (name, missingOk) => this.getSetting(name, missingOk),
      setSetting: (name, value, isLocal) => {
        this.setSetting(name, value, isLocal);
        return this.getSetting(name, true) ?? '';
      },
      transactionId: () => this.transaction().id,
      exportSnapshot: () => {
        const exported = exportSnapshot(this.server, this.transaction());
        if (!this.exportedSnapshots.includes(exported.seq)) this.exportedSnapshots.push(exported.seq);
        return exported.id;
      },
      relationOid: (name, missingOk) => this.relationOid(name, missingOk),
      catalog: () => this.catalog(),
      databaseOid: this.databaseOid,
      searchPathOids: () => this.searchPathOids(),
      settingEntries: () => this.settings.entries(),
      sequenceState: (oid) => this.server.sequences.state(this.sequence(oid)),
      typeName: (oid) => getType(oid).name,
    };
  }

  /** 'name', 'schema.name', '"Quoted"' → relation OID (pg_catalog relations included). */
  private relationOid(text: string, missingOk: boolean): number | null {
    const parts: string[] = [];
    const pattern = /"((?:[^"]|"")*)"|([^."]+)/g;
    for (const match of text.trim().matchAll(pattern)) parts.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!.trim().toLowerCase());
    const name = parts[parts.length - 1] ?? '';
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    if (schema === undefined || schema === 'pg_catalog' || schema === 'information_schema') {
      const virtual = virtualRelation(`${schema ?? 'pg_catalog'}.${name}`);
      if (virtual) return virtual.oid;
    }
    let relation;
    try {
      relation = this.catalog().lookupRelation(this.databaseOid, this.searchPathOids(), schema, name);
    } catch (error) {
      if (missingOk) return null;
      throw error;
    }
    if (relation) return relation.oid;
    if (missingOk) return null;
    throw new SqlError(SqlState.undefinedTable, `relation "${text}" does not exist`);
  }

  private makeHost(): StatementHost {
    const session = this;
    return {
      databaseOid: this.databaseOid,
      user: this.user,
      roleOid: this.init.roleOid,
      catalog: () => this.catalog(),
      txn: () => this.transaction(),
      bindContext: (paramTypes: number[]): BindContext => ({
        catalog: this.catalog(), databaseOid: this.databaseOid, searchPath: this.searchPathOids(), user: this.user,
        paramTypes, settings: this.formatSettings(),
        relationOverride: relationOverrideFor(this.preparingStatement, {
          registry: this.server.snapshots, openView: (seq) => this.server.engine.viewAt(seq),
          databaseOid: this.databaseOid, searchPath: () => this.searchPathOids(),
          pinnedBy: (seq) => this.server.sessionsReadingSnapshot(seq),
        }),
        functionOverride: (call) => diffFunction(this, call),
      }),
      runtime: (params: readonly Value[]): RuntimeContext => ({
        params, outerRows: [], functions: this.functionContext(), services: this.services,
        runSubplan: () => {
          throw new SqlError(SqlState.internalError, 'subplans need an execution state');
        },
        checkCancel: () => this.checkCancel(),
      }),
      allocateRowId: (table: TableObject) => this.server.allocateRowId(table, this.transaction()),
      allocateOid: () => this.server.allocateOid(),
      allocateTreeId: () => this.server.engine.allocateTreeId(),
      applyCatalog: (next: Catalog) => this.applyCatalog(next),
      notice: (notice) => this.init.events.notice(notice),
      resetSequence: (oid: number, value: bigint, isCalled: boolean) => {
        const object = this.catalog().get(oid);
        if (object?.kind === 'sequence') this.server.sequences.reset(object, value, isCalled);
      },
      pause: async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        session.checkCancel();
      },
      inTransactionBlock: () => this.block === 'explicit',
      lockCatalog: () => this.lockCatalog(),
      engineStats: () => this.server.engine.stats(),
      temporaryTableCreated: (schemaName: string, tableName: string) => {
        this.temporaryTables.push(`${quoteIdentifier(schemaName)}.${quoteIdentifier(tableName)}`);
      },
    };
  }

  private checkCancel(): void {
    if (this.statementDeadline > 0 && Date.now() > this.statementDeadline) {
      this.statementDeadline = 0;
      throw new SqlError(SqlState.queryCanceled, 'canceling statement due to statement timeout');
    }
    if (this.cancelRequested) {
      this.cancelRequested = false;
      throw new SqlError(SqlState.queryCanceled, 'canceling statement due to user request');
    }
  }

  sessionsOnDatabase(databaseOid: number): number {
    return this.server.sessionsOnDatabase(databaseOid, this);
  }

  // ------------------------------------------------------------------ statements

  private newEntry(sql: string, parsed: ParsedStatement | null, declaredTypes: number[]): StatementEntry {
    return { sql, parsed, declaredTypes, prepared: null, sessionCommand: parsed !== null && (isSessionCommand(parsed.ast as AstBody) || snapshotCommandOf(parsed) !== undefined) };
  }

  /** Plans (or re-plans after DDL) an entry's statement. */
  private ensurePrepared(entry: StatementEntry): PreparedStatement | null {
    if (!entry.parsed || entry.sessionCommand) return null;
    const current = entry.prepared;
    if (current && (!current.dependsOnCatalog || current.catalogVersion === this.catalog().version && !this.txnCatalog)) return current;
    if (current && current.dependsOnCatalog && this.txnCatalog && current.catalogVersion === this.txnCatalog.version) return current;
    const types = current ? current.paramTypes : entry.declaredTypes;
    this.preparingStatement = entry.parsed;
    entry.prepared = prepareStatement(entry.parsed, this.host, [...types], { sessionsOnDatabase: (oid) => this.sessionsOnDatabase(oid) });
    return entry.prepared;
  }

  private fieldsOf(entry: StatementEntry, formats: FormatCode[]): FieldDescription[] | null {
    let columns: OutputColumn[] | null;
    if (entry.sessionCommand) columns = sessionCommandFields(this, entry.parsed!.ast as AstBody);
    else columns = this.ensurePrepared(entry)?.fields ?? null;
    if (!columns) return null;
    return columns.map((column, i) => {
      const type = getType(column.type);
      const format = formats.length === 1 ? formats[0]! : (formats[i] ?? 0);
      return {
        name: column.name, tableOid: column.tableOid, columnAttributeNumber: column.attnum > 0 ? column.attnum : 0,
        typeOid: column.type, typeSize: type.length, typeModifier: column.typmod, format,
      };
    });
  }

  private encodersFor(fields: FieldDescription[] | null): Array<(value: Value) => Uint8Array> {
    if (!fields) return [];
    const settings = this.formatSettings();
    return fields.map((field) => {
      const type = getType(field.typeOid);
      if (field.format === 1) return (value: Value) => type.encodeBinary(value);
      if (regTypeOids.has(field.typeOid)) return (value: Value) => encoder.encode(this.formatRegValue(field.typeOid, value as number));
      return (value: Value) => encoder.encode(type.formatText(value, settings));
    });
  }

  /** Text output of regclass / regtype / regnamespace / regrole: the object's name. */
  private formatRegValue(typeOid: number, oid: number): string {
    const catalog = this.catalog();
    switch (typeOid) {
      case RegType.regclass: {
        const object = catalog.get(oid);
        if (object && 'schemaOid' in object) {
          const visible = this.searchPathOids().includes(object.schemaOid) && this.relationOid(object.name, true) === object.oid;
          const schema = catalog.schemaByOid(object.schemaOid)?.name ?? 'public';
          return visible ? quoteIdentifier(object.name) : `${quoteIdentifier(schema)}.${quoteIdentifier(object.name)}`;
        }
        for (const [name, relation] of virtualRelations()) if (relation.oid === oid) return name.startsWith('pg_catalog.') ? name.slice(11) : name;
        return String(oid);
      }
      case RegType.regtype:
        return formatTypeName(oid, -1);
      case RegType.regnamespace:
        return catalog.schemaByOid(oid)?.name ?? (oid === 11 ? 'pg_catalog' : oid === 99 ? 'pg_toast' : String(oid));
      case RegType.regrole:
        return catalog.roleByOid(oid)?.name ?? String(oid);
      default:
        return String(oid);
    }
  }

  /** Runs a portal until done or `maxRows` rows were sent. */
  private async runPortal(portal: Portal, sink: RowSink, maxRows: number): Promise<ExecuteOutcome> {
    const entry = portal.entry;
    if (!entry.parsed) return { kind: 'empty' };
    if (portal.done) {
      return { kind: 'complete', commandTag: portal.commandTag ?? 'SELECT 0' };
    }
    if (entry.sessionCommand) {
      if (!portal.commandRows) {
        const result = await runSessionCommand(this, entry.parsed.ast as AstBody, entry.parsed);
        portal.commandRows = result.rows;
        portal.commandTag = result.tag;
        if (result.outcome) {
          portal.done = true;
          return result.outcome;
        }
      }
      return this.pumpRows(portal, sink, maxRows, () => portal.commandRows!.shift(), () => portal.commandTag!);
    }
    const prepared = this.ensurePrepared(entry)!;
    if (!portal.execution) {
      if (prepared.copy) return this.copyOutcome(prepared, portal);
      portal.execution = await prepared.start(this.host, portal.params);
    }
    const execution = portal.execution;
    return this.pumpRows(portal, sink, maxRows, () => execution.next(), () => execution.commandTag());
  }

  private async pumpRows(portal: Portal, sink: RowSink, maxRows: number, next: () => Row | undefined, tag: () => string): Promise<ExecuteOutcome> {
    const encoders = portal.encoders;
    let sent = 0;
    for (;;) {
      if (maxRows > 0 && sent >= maxRows) {
        portal.resumed = true;
        return { kind: 'suspended' };
      }
      const row = pullRow(next);
      if (row === rowPending) {
        await this.host.pause();
        continue;
      }
      if (!row) break;
      const values = new Array<Uint8Array | null>(encoders.length);
      for (let i = 0; i < encoders.length; i++) {
        const value = row[i];
        values[i] = value === null || value === undefined ? null : encoders[i]!(value);
      }
      sent++;
      if (!sink.row(values)) await sink.drain();
      if (sent % limits.executorYieldRows === 0) await this.host.pause();
    }
    portal.done = true;
    portal.execution?.close();
    // A portal fetched in pieces reports the rows of the last Execute, as PostgreSQL does.
    const fullTag = tag();
    portal.commandTag = portal.resumed && fullTag.startsWith('SELECT ') ? `SELECT ${sent}` : fullTag;
    return { kind: 'complete', commandTag: portal.commandTag };
  }

  private copyOutcome(prepared: PreparedStatement, portal: Portal): ExecuteOutcome {
    const spec = prepared.copy!(this.host, portal.params);
    portal.done = true;
    if (spec.kind === 'copyFrom') {
      this.transaction().assertWritable?.('COPY FROM');
      const runner = new CopyFromRunner(this.host, spec);
      let tag = 'COPY 0';
      return {
        kind: 'copyIn',
        copy: {
          overallFormat: 0,
          columnFormats: spec.columnIndexes.map(() => 0 as FormatCode),
          data: (chunk) => runner.data(chunk),
          done: async () => {
            tag = await runner.done();
            portal.commandTag = tag;
            return tag;
          },
          fail: (message) => {
            portal.commandTag = `COPY failed: ${message}`;
            this.statementFailed();
          },
        },
      };
    }
    const host = this.host;
    return {
      kind: 'copyOut',
      copy: { overallFormat: 0, columnFormats: spec.columns.map(() => 0 as FormatCode), chunks: () => copyToChunks(spec, host) },
    };
  }

  // ------------------------------------------------------------------ simple query protocol

  simpleQuery(sql: string): SimpleQueryRun {
    const parsed = parseStatements(sql);
    const session = this;
    const statements: SimpleStatement[] = parsed.map((statement, index) => {
      const entry = this.simpleEntry(statement);
      const last = index === parsed.length - 1;
      let started = false;
      let portal: Portal | undefined;
      const start = () => {
        if (started) return;
        started = true;
        const ast = statement.ast as AstBody;
        const command = commandNameOf(ast);
        session.startStatement(command, allowedInFailedBlock(ast));
        if (!entry.sessionCommand && session.block === 'idle') session.block = 'implicit';
        if (parsed.length > 1 && session.block === 'idle' && !isTransactionControl(ast)) session.block = 'implicit';
      };
      return {
        describe: () => {
          start();
          const fields = session.fieldsOf(entry, [0]);
          portal = { entry, params: [], fields, encoders: session.encodersFor(fields), execution: null, commandRows: null, commandTag: null, done: false };
          return fields;
        },
        execute: async (sink) => {
          start();
          if (!portal) {
            const fields = session.fieldsOf(entry, [0]);
            portal = { entry, params: [], fields, encoders: session.encodersFor(fields), execution: null, commandRows: null, commandTag: null, done: false };
          }
          const outcome = await session.runPortal(portal, sink, 0);
          if (last && outcome.kind === 'complete' && session.block === 'implicit') await session.commitTransaction();
          return outcome;
        },
      };
    });
    return {
      statements,
      finish: async (error) => {
        if (error) {
          this.statementFailed();
          return;
        }
        if (this.block === 'implicit') await this.commitTransaction();
      },
    };
  }

  /**
   * Simple-query statements reuse their plan when the same text runs again under the same
   * search_path and date/time settings (plans are re-made after DDL by ensurePrepared).
   */
  private simpleEntry(statement: ParsedStatement): StatementEntry {
    if (isSessionCommand(statement.ast as AstBody) || snapshotCommandOf(statement) !== undefined) return this.newEntry(statement.text, statement, []);
    const settings = this.formatSettings();
    const key = `${this.settings.get('search_path')}|${settings.dateStyle}|${settings.timeZone}|${statement.offset}|${statement.text}`;
    let entry = this.simplePlans.get(key);
    if (entry && entry.parsed === statement) {
      this.simplePlans.delete(key);
    } else {
      entry = this.newEntry(statement.text, statement, []);
    }
    this.simplePlans.set(key, entry);
    if (this.simplePlans.size > limits.simplePlanCacheEntriesMax) this.simplePlans.delete(this.simplePlans.keys().next().value as string);
    return entry;
  }

  // ------------------------------------------------------------------ extended query protocol

  parse(statementName: string, sql: string, parameterTypeOids: number[]): PreparedStatementInfo {
    if (statementName !== '' && this.statements.has(statementName)) {
      throw new SqlError(SqlState.duplicatePreparedStatement, `prepared statement "${statementName}" already exists`);
    }
    const parsed = parseStatements(sql);
    if (parsed.length > 1) throw new SqlError(SqlState.syntaxError, 'cannot insert multiple commands into a prepared statement');
    const statement = parsed[0] ?? null;
    const entry = this.newEntry(sql, statement, parameterTypeOids);
    if (statement) {
      const ast = statement.ast as AstBody;
      if (!entry.sessionCommand) {
        this.startStatement(commandNameOf(ast), false);
        this.ensurePrepared(entry);
      } else if (this.failed && !allowedInFailedBlock(ast)) {
        throw new SqlError(SqlState.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
      }
    }
    if (this.statements.size >= limits.preparedStatementsMax && statementName !== '') {
      throw new SqlError(SqlState.programLimitExceeded, 'too many prepared statements');
    }
    this.statements.set(statementName, entry);
    return this.statementInfo(entry);
  }

  private statementInfo(entry: StatementEntry): PreparedStatementInfo {
    const prepared = entry.sessionCommand ? null : this.ensurePrepared(entry);
    const parameterTypeOids = prepared ? prepared.paramTypes : entry.declaredTypes.map((type) => (type === 0 ? 25 : type));
    return { parameterTypeOids, fields: entry.parsed ? this.fieldsOf(entry, [0]) : null };
  }

  describeStatement(statementName: string): PreparedStatementInfo {
    return this.statementInfo(this.statementEntry(statementName));
  }

  private statementEntry(name: string): StatementEntry {
    const entry = this.statements.get(name);
    if (!entry) throw new SqlError(SqlState.invalidSqlStatementName, `prepared statement "${name}" does not exist`);
    return entry;
  }

  bind(portalName: string, statementName: string, parameters: ReadonlyArray<Uint8Array | null>, parameterFormats: FormatCode[], resultFormats: FormatCode[]): PortalInfo {
    const entry = this.statementEntry(statementName);
    if (portalName !== '' && this.portals.has(portalName)) throw new SqlError(SqlState.duplicateCursor, `portal "${portalName}" already exists`);
    if (entry.parsed) {
      const ast = entry.parsed.ast as AstBody;
      if (this.failed && !allowedInFailedBlock(ast)) {
        throw new SqlError(SqlState.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
      }
      if (!entry.sessionCommand) this.startStatement(commandNameOf(ast), false);
    }
    const prepared = this.ensurePrepared(entry);
    const types = prepared?.paramTypes ?? entry.declaredTypes;
    if (parameters.length !== types.length) {
      throw new SqlError(SqlState.protocolViolation, `bind message supplies ${parameters.length} parameters, but prepared statement "${statementName}" requires ${types.length}`);
    }
    if (parameterFormats.length > 1 && parameterFormats.length !== parameters.length) {
      throw new SqlError(SqlState.protocolViolation, `bind message has ${parameterFormats.length} parameter formats but ${parameters.length} parameters`);
    }
    const settings = this.formatSettings();
    const params = parameters.map((bytes, i) => {
      if (bytes === null) return null;
      const type = getType(types[i] || 25);
      const format = parameterFormats.length === 1 ? parameterFormats[0] : (parameterFormats[i] ?? 0);
      if (format === 1) return type.decodeBinary(bytes, -1);
      return type.parseText(decoder.decode(bytes), -1, settings);
    });
    const fields = entry.parsed ? this.fieldsOf(entry, resultFormats) : null;
    const portal: Portal = { entry, params, fields, encoders: this.encodersFor(fields), execution: null, commandRows: null, commandTag: null, done: false };
    const previous = this.portals.get(portalName);
    previous?.execution?.close();
    this.portals.set(portalName, portal);
    return { fields };
  }

  describePortal(portalName: string): PortalInfo {
    return { fields: this.portalNamed(portalName).fields };
  }

  private portalNamed(name: string): Portal {
    const portal = this.portals.get(name);
    if (!portal) throw new SqlError(SqlState.invalidCursorName, `portal "${name}" does not exist`);
    return portal;
  }

  async execute(portalName: string, maxRows: number, sink: RowSink): Promise<ExecuteOutcome> {
    const portal = this.portalNamed(portalName);
    const parsed = portal.entry.parsed;
    if (parsed && !portal.execution && !portal.commandRows) {
      const ast = parsed.ast as AstBody;
      if (this.failed && !allowedInFailedBlock(ast)) {
        throw new SqlError(SqlState.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
      }
      this.startStatement(commandNameOf(ast), allowedInFailedBlock(ast));
    }
    const outcome = await this.runPortal(portal, sink, maxRows);
    if (portal.done && portalName === '') portal.execution?.close();
    return outcome;
  }

  closeStatement(statementName: string): void {
    this.statements.delete(statementName);
  }

  closePortal(portalName: string): void {
    this.portals.get(portalName)?.execution?.close();
    this.portals.delete(portalName);
  }

  async sync(): Promise<void> {
    for (const [name, portal] of this.portals) {
      if (name === '') {
        portal.execution?.close();
        this.portals.delete(name);
      }
    }
    if (this.block === 'implicit') await this.commitTransaction();
  }

  markFailed(_error: SqlError): void {
    this.statementFailed();
  }

  cancel(): void {
    this.cancelRequested = true;
    const txn = this.txn as (Transaction & { cancelLockWait?: (error: Error) => void }) | null;
    txn?.cancelLockWait?.(new SqlError(SqlState.queryCanceled, 'canceling statement due to user request'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const portal of this.portals.values()) portal.execution?.close();
    this.portals.clear();
    this.rollbackTransaction();
    if (this.temporaryTables.length > 0) {
      try {
        const run = this.simpleQuery(`DROP TABLE IF EXISTS ${this.temporaryTables.join(', ')}`);
        for (const statement of run.statements) await statement.execute({ row: () => true, drain: async () => {} });
        await run.finish(undefined);
      } catch {
        this.rollbackTransaction();
      }
    }
    this.server.sessionClosed(this);
  }

  // ------------------------------------------------------------------ SQL-level PREPARE / EXECUTE

  sqlPrepare(name: string, statement: ParsedStatement, declaredTypes: number[]): void {
    if (this.statements.has(name)) throw new SqlError(SqlState.duplicatePreparedStatement, `prepared statement "${name}" already exists`);
    const entry = this.newEntry(statement.text, statement, declaredTypes);
    this.ensurePrepared(entry);
    this.statements.set(name, entry);
  }

  async sqlExecute(name: string, params: Value[]): Promise<{ rows: Row[]; tag: string; fields: OutputColumn[] | null }> {
    const entry = this.statementEntry(name);
    const prepared = this.ensurePrepared(entry);
    if (!prepared) throw new SqlError(SqlState.featureNotSupported, 'EXECUTE of this statement is not supported');
    const execution = await prepared.start(this.host, params);
    const rows: Row[] = [];
    for (let row = execution.next(); row; row = execution.next()) rows.push(row);
    execution.close();
    return { rows, tag: execution.commandTag(), fields: prepared.fields };
  }

  async declareCursor(name: string, statement: ParsedStatement, hold: boolean): Promise<void> {
    if (this.block !== 'explicit' && !hold) throw new SqlError(SqlState.noActiveSqlTransaction, 'DECLARE CURSOR can only be used in transaction blocks');
    if (this.cursors.has(name)) throw new SqlError(SqlState.duplicateCursor, `cursor "${name}" already exists`);
    const entry = this.newEntry(statement.text, statement, []);
    const prepared = this.ensurePrepared(entry);
    if (!prepared || !prepared.fields) throw new SqlError('42P11', 'cursor can only scan a query that returns rows');
    let execution = await prepared.start(this.host, []);
    if (hold) {
      const rows: Row[] = [];
      for (let row = execution.next(); row; row = execution.next()) rows.push(row);
      execution.close();
      let i = 0;
      execution = { next: () => rows[i++], close: () => {}, commandTag: () => `SELECT ${rows.length}` };
    }
    this.cursors.set(name, { execution, fields: prepared.fields, hold });
  }

  private cursor(name: string) {
    const cursor = this.cursors.get(name);
    if (!cursor) throw new SqlError(SqlState.invalidCursorName, `cursor "${name}" does not exist`);
    return cursor;
  }

  cursorFields(name: string): OutputColumn[] | null {
    return this.cursor(name).fields;
  }

  fetchCursor(name: string, count: number): Row[] {
    const cursor = this.cursor(name);
    const rows: Row[] = [];
    while (rows.length < count) {
      const row = cursor.execution.next();
      if (!row) break;
      rows.push(row);
    }
    return rows;
  }

  closeCursor(name: string | null): void {
    if (name === null) {
      for (const cursor of this.cursors.values()) cursor.execution.close();
      this.cursors.clear();
      return;
    }
    this.cursor(name).execution.close();
    this.cursors.delete(name);
  }

  preparedFields(name: string): OutputColumn[] | null {
    return this.ensurePrepared(this.statementEntry(name))?.fields ?? null;
  }

  deallocate(name: string | null): void {
    if (name === null) {
      for (const key of [...this.statements.keys()]) if (key !== '') this.statements.delete(key);
      return;
    }
    if (!this.statements.delete(name)) throw new SqlError(SqlState.invalidSqlStatementName, `prepared statement "${name}" does not exist`);
  }

  discardAll(): void {
    if (this.block === 'explicit') throw new SqlError(SqlState.activeSqlTransaction, 'DISCARD ALL cannot run inside a transaction block');
    this.deallocate(null);
    for (const portal of this.portals.values()) portal.execution?.close();
    this.portals.clear();
    this.settings.resetAll(false);
    this.currvals.clear();
    this.lastSequence = null;
  }

  toError(error: unknown): SqlError {
    return toSqlError(error);
  }
}

/** The command tag word a statement reports (for read-only errors and logs). */
export function commandNameOf(ast: AstBody): string {
  const kind = nodeKind(ast);
  const names: Record<string, string> = {
    SelectStmt: 'SELECT', InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', CopyStmt: 'COPY',
    CreateStmt: 'CREATE TABLE', DropStmt: 'DROP', AlterTableStmt: 'ALTER TABLE', TruncateStmt: 'TRUNCATE TABLE',
  };
  if (kind === 'SelectStmt' && nodeBody(ast).lockingClause) return 'SELECT FOR UPDATE';
  return names[kind] ?? kind.replace(/Stmt$/, '').toUpperCase();
}

function isTransactionControl(ast: AstBody): boolean {
  return nodeKind(ast) === 'TransactionStmt';
}

/** In a failed block only COMMIT/ROLLBACK/ROLLBACK TO run (PostgreSQL's IsTransactionExitStmt). */
function allowedInFailedBlock(ast: AstBody): boolean {
  if (nodeKind(ast) !== 'TransactionStmt') return false;
  const kind: string = nodeBody(ast).kind;
  return kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_ROLLBACK_TO' || kind === 'TRANS_STMT_PREPARE' || kind === 'TRANS_STMT_COMMIT_PREPARED' || kind === 'TRANS_STMT_ROLLBACK_PREPARED';
}
