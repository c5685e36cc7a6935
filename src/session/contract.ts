// The contract between the wire server (src/server, above) and the session layer (src/session):
// the server owns bytes, framing, auth exchanges and message order; the session owns SQL
// semantics: statements, portals, transaction blocks, settings, COPY data interpretation.
// Values cross this boundary already encoded in the format the client asked for.
import type { SqlError } from '../util/errors.js';

export type TransactionStatus = 'I' | 'T' | 'E';
/** 0 = text, 1 = binary (PostgreSQL's format codes). */
export type FormatCode = 0 | 1;

export interface FieldDescription {
  name: string;
  tableOid: number;
  columnAttributeNumber: number;
  typeOid: number;
  typeSize: number;
  typeModifier: number;
  format: FormatCode;
}

export interface Notice {
  severity: 'WARNING' | 'NOTICE' | 'INFO' | 'DEBUG' | 'LOG';
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

/** How the session talks back to the server while a statement runs. */
export interface SessionEvents {
  /** A reported setting changed (ParameterStatus): application_name, TimeZone, DateStyle, … */
  parameterStatus(name: string, value: string): void;
  notice(notice: Notice): void;
  /**
   * Added by the wire server: the session ends its connection (idle_in_transaction_session_timeout,
   * pg_terminate_backend, …). The server sends `error` as a FATAL ErrorResponse at once when idle,
   * or after the running statement, and closes the connection. (Optional members so existing
   * SessionEvents test doubles still compile; the server always provides them.)
   */
  terminate?(error: SqlError): void;
  /** Added by the wire server: NOTIFY delivered to this session (NotificationResponse). */
  notification?(senderProcessId: number, channel: string, payload: string): void;
}

/** Receives encoded rows; returns false when the socket is saturated (the executor should await drain()). */
export interface RowSink {
  row(values: ReadonlyArray<Uint8Array | null>): boolean;
  drain(): Promise<void>;
}

export type ExecuteOutcome =
  | { kind: 'complete'; commandTag: string }
  /** Execute's row limit was reached (PortalSuspended). */
  | { kind: 'suspended' }
  /** The statement is COPY … FROM STDIN: the server sends CopyInResponse and feeds `copyIn`. */
  | { kind: 'copyIn'; copy: CopyIn }
  /** COPY … TO STDOUT: the server sends CopyOutResponse, then each chunk as CopyData, then CopyDone. */
  | { kind: 'copyOut'; copy: CopyOut }
  /**
   * Added by the wire server: Execute of an empty query string (Parse of '' or only comments);
   * the server answers EmptyQueryResponse instead of CommandComplete, as PostgreSQL does.
   */
  | { kind: 'empty' };

export interface CopyIn {
  readonly overallFormat: FormatCode;
  readonly columnFormats: FormatCode[];
  /**
   * One CopyData payload (any split of the stream), a view the session may keep. May throw
   * SqlError (22P04, 23505, …); after data() or done() throws the copy is over and the server
   * does not call fail().
   */
  data(chunk: Uint8Array): Promise<void>;
  /** CopyDone: finish and return the command tag (`COPY n`). */
  done(): Promise<string>;
  /** CopyFail or connection loss. */
  fail(message: string): void;
}

export interface CopyOut {
  readonly overallFormat: FormatCode;
  readonly columnFormats: FormatCode[];
  /** Yields CopyData payloads; ends with the command tag. */
  chunks(): AsyncGenerator<Uint8Array, string, void>;
}

export interface PreparedStatementInfo {
  /** Parameter type OIDs after inference (never 0). */
  readonly parameterTypeOids: number[];
  /** Result columns (text format), or null when the statement returns no rows (NoData). */
  readonly fields: FieldDescription[] | null;
}

export interface PortalInfo {
  /** Result columns with the formats chosen at Bind, or null (NoData). */
  readonly fields: FieldDescription[] | null;
}

/** One connection's SQL state. Every method may throw SqlError; the session stays usable. */
export interface Session {
  readonly processId: number;
  readonly secretKey: number;
  /** The ParameterStatus set sent after AuthenticationOk (server_version, TimeZone, …). */
  initialParameterStatus(): Array<[string, string]>;
  transactionStatus(): TransactionStatus;

  // --- simple query protocol
  /**
   * Parses a Query message's text into its statements (a syntax error throws before any runs)
   * and returns them in order; each runs as an unnamed portal with text results.
   * The session applies PostgreSQL's implicit-transaction rules across them.
   */
  simpleQuery(sql: string): SimpleQueryRun;

  // --- extended query protocol
  /** Parse. '' is the unnamed statement (replaced silently); a named one must not exist (42P05). */
  parse(statementName: string, sql: string, parameterTypeOids: number[]): PreparedStatementInfo;
  describeStatement(statementName: string): PreparedStatementInfo;
  /** Bind. Parameter values as sent (text or binary per parameterFormats, PostgreSQL's 0/1/n rule). */
  bind(
    portalName: string,
    statementName: string,
    parameters: ReadonlyArray<Uint8Array | null>,
    parameterFormats: FormatCode[],
    resultFormats: FormatCode[],
  ): PortalInfo;
  describePortal(portalName: string): PortalInfo;
  /** Execute; maxRows 0 = all. Rows go to the sink before the outcome resolves. */
  execute(portalName: string, maxRows: number, sink: RowSink): Promise<ExecuteOutcome>;
  closeStatement(statementName: string): void;
  closePortal(portalName: string): void;
  /** Sync: ends the implicit transaction of an extended-protocol batch (commit, or rollback after an error). */
  sync(): Promise<void>;
  /** The server hit an error inside an extended batch and is skipping to Sync. */
  markFailed(error: SqlError): void;

  /** CancelRequest for this session: the running statement fails with 57014. */
  cancel(): void;
  /** Connection closed: roll back, release pins and locks. */
  close(): Promise<void>;
}

export interface SimpleQueryRun {
  /** The statements of the query text, in order ([] for an empty query → EmptyQueryResponse). */
  readonly statements: ReadonlyArray<SimpleStatement>;
  /** Called once after the last statement ran or after the first error (which stops the rest). */
  finish(error: SqlError | undefined): Promise<void>;
}

export interface SimpleStatement {
  /** Result columns (text format) or null. Known only once the statement is planned, hence a method. */
  describe(): FieldDescription[] | null;
  execute(sink: RowSink): Promise<ExecuteOutcome>;
}

export interface AuthInfo {
  /** false for an unknown role: the server must still run a full SCRAM exchange with a fake verifier. */
  roleExists: boolean;
  canLogin: boolean;
  /** 'SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>' as PostgreSQL stores it, or null (no password). */
  scramVerifier: string | null;
}

/** What the server needs from the whole database, one per server process. */
export interface SessionFactory {
  authInfo(user: string): AuthInfo;
  databaseExists(name: string): boolean;
  /** Opens a session after authentication; throws SqlError (3D000, 53300, …). */
  openSession(options: {
    user: string;
    database: string;
    applicationName: string;
    /** Other StartupMessage parameters (options, client_encoding, DateStyle, …). */
    parameters: Record<string, string>;
    clientAddress: string;
    events: SessionEvents;
  }): Session;
  /** CancelRequest: finds the session by (processId, secretKey); silently ignores a mismatch. */
  cancel(processId: number, secretKey: number): void;
  /** Clean shutdown: checkpoint and close. */
  shutdown(): Promise<void>;
}
