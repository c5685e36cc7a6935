// After start-up: the simple and extended query protocols and the COPY sub-protocols, driven
// by pulling messages from the connection's inbox. SQL meaning belongs to the Session; this
// file owns message order, skip-to-Sync after errors, and when output is flushed (once per
// batch of pipelined input, or whenever a large result fills the buffer).
import { SqlError, SqlState, toSqlError } from '../util/errors.js';
import { limits } from '../util/limits.js';
import type { ExecuteOutcome, FormatCode, RowSink, Session } from '../session/contract.js';
import {
  BackendCode,
  commandComplete,
  copyResponse,
  describeResult,
  empty,
  errorResponse,
  parameterDescription,
  readyForQuery,
  rowDescription,
} from './backend-messages.js';
import type { Connection } from './connection.js';
import { MessageCursor } from './message-cursor.js';
import { printableType, type FrontendMessage } from './message-reader.js';
import type { ServerContext } from './startup.js';

/** Frontend message type bytes after start-up. */
const enum FrontendCode {
  query = 0x51, // Q
  parse = 0x50, // P
  bind = 0x42, // B
  describe = 0x44, // D
  execute = 0x45, // E
  close = 0x43, // C
  sync = 0x53, // S
  flush = 0x48, // H
  terminate = 0x58, // X
  copyData = 0x64, // d
  copyDone = 0x63, // c
  copyFail = 0x66, // f
  functionCall = 0x46, // F
}

const statementTarget = 0x53; // 'S'
const portalTarget = 0x50; // 'P'

function protocolViolation(message: string): SqlError {
  return new SqlError(SqlState.protocolViolation, message, { severity: 'FATAL' });
}

/** Thrown to unwind when the connection must stop (closed, shut down, framing error). */
class ConnectionStop extends Error {}

export class QueryProtocol {
  private readonly cursor = new MessageCursor();
  private skippingToSync = false;
  private readonly sink: RowSink;
  private readonly slowMs: number;
  /** SQL text by statement and portal name, kept only when slow statements are logged. */
  private readonly sqlByStatement = new Map<string, string>();
  private readonly sqlByPortal = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly session: Session,
    private readonly context: ServerContext,
  ) {
    this.slowMs = context.options.logMinDurationStatementMs;
    const writer = connection.writer;
    this.sink = {
      row(values) {
        writer.dataRow(values);
        if (writer.pendingBytes < limits.serverOutputFlushBytes) return true;
        return connection.flush();
      },
      drain: () => connection.waitDrain(),
    };
  }

  /** Serves messages until Terminate, close, a FATAL error or shutdown. */
  async run(): Promise<void> {
    const connection = this.connection;
    /** A ReadyForQuery is buffered but not yet flushed. */
    let answeredSinceFlush = false;
    try {
      for (;;) {
        let message = connection.nextMessage();
        if (message instanceof Promise) message = await message;
        if (message === null) return this.stopped();
        if (message.code === FrontendCode.terminate) {
          connection.stopReason = 'terminated';
          return;
        }
        connection.busy = true;
        const handled = this.handle(message);
        if (handled !== undefined) {
          // Answers completed earlier in this batch (up to a ReadyForQuery) go out before
          // waiting on this statement, as PostgreSQL flushes at each ReadyForQuery: a client
          // may need them to make the progress this statement waits for (locks).
          if (answeredSinceFlush) connection.flush();
          await handled;
        }
        connection.busy = false;
        if (message.code === FrontendCode.sync || message.code === FrontendCode.query) answeredSinceFlush = true;
        if (!connection.hasQueuedMessages() || connection.writer.pendingBytes >= limits.serverOutputFlushBytes) {
          answeredSinceFlush = false;
          if (!connection.flush()) await connection.waitDrain();
        }
      }
    } catch (error) {
      if (error instanceof ConnectionStop) return this.stopped();
      const sqlError = toSqlError(error);
      if (sqlError.code === SqlState.internalError) this.context.log.error({ connection: connection.id, err: error }, 'protocol failure');
      connection.fatal(sqlError);
    } finally {
      connection.busy = false;
    }
  }

  private stopped(): void {
    const connection = this.connection;
    const framingError = connection.takeFatal();
    if (framingError) connection.fatal(framingError);
    else if (connection.stopReason === 'shutdown') {
      connection.fatal(new SqlError(SqlState.adminShutdown, 'terminating connection due to administrator command'));
    }
  }

  /** Handles one message; returns a promise only when the work is asynchronous. */
  private handle(message: FrontendMessage): Promise<void> | undefined {
    const code = message.code;
    if (this.skippingToSync && code !== FrontendCode.sync) {
      if (isKnownMessage(code)) return undefined;
      throw protocolViolation(`invalid frontend message type ${code}`);
    }
    switch (code) {
      case FrontendCode.query:
        return this.simpleQuery(message);
      case FrontendCode.parse:
      case FrontendCode.bind:
      case FrontendCode.describe:
      case FrontendCode.close:
        try {
          this.extendedSync(code, this.cursor.reset(message));
        } catch (error) {
          this.extendedError(error);
        }
        return undefined;
      case FrontendCode.execute:
        return this.execute(message);
      case FrontendCode.sync:
        return this.sync();
      case FrontendCode.flush:
        this.connection.flush();
        return undefined;
      case FrontendCode.copyData:
      case FrontendCode.copyDone:
      case FrontendCode.copyFail:
        // PostgreSQL ignores these outside COPY: a COPY failed and the client is still sending.
        return undefined;
      case FrontendCode.functionCall:
        errorResponse(this.connection.writer, new SqlError(SqlState.featureNotSupported, 'the fastpath function call protocol is not supported'));
        readyForQuery(this.connection.writer, this.session.transactionStatus());
        return undefined;
      default:
        throw protocolViolation(`invalid frontend message type ${code} ("${printableType(code)}")`);
    }
  }

  // --- simple query

  private async simpleQuery(message: FrontendMessage): Promise<void> {
    const cursor = this.cursor.reset(message);
    const writer = this.connection.writer;
    let sql: string;
    try {
      sql = cursor.cstring();
      cursor.expectEnd();
    } catch (error) {
      this.sendError(this.reportable(error));
      readyForQuery(writer, this.session.transactionStatus());
      return;
    }
    const startedAt = this.slowMs >= 0 ? performance.now() : 0;
    let failure: SqlError | undefined;
    try {
      const run = this.session.simpleQuery(sql);
      if (run.statements.length === 0) empty(writer, BackendCode.emptyQueryResponse);
      for (const statement of run.statements) {
        try {
          const fields = statement.describe();
          if (fields !== null) rowDescription(writer, fields);
          const outcome = await statement.execute(this.sink);
          await this.finishOutcome(outcome, false);
        } catch (error) {
          failure = this.reportable(error);
          break;
        }
      }
      try {
        await run.finish(failure);
      } catch (error) {
        if (failure === undefined) failure = this.reportable(error);
      }
    } catch (error) {
      failure = this.reportable(error);
    }
    if (failure !== undefined) this.sendError(failure, sql);
    this.logIfSlow(startedAt, sql);
    readyForQuery(writer, this.session.transactionStatus());
  }

  /** Turns a thrown value into the error to report; connection stops and FATALs propagate. */
  private reportable(error: unknown): SqlError {
    if (error instanceof ConnectionStop) throw error;
    const sqlError = toSqlError(error);
    if (sqlError.severity === 'FATAL' || sqlError.severity === 'PANIC') throw sqlError;
    if (sqlError.code === SqlState.internalError) this.context.log.error({ connection: this.connection.id, err: error }, 'statement failed');
    return sqlError;
  }

  /** ErrorResponse, and one log line per error (PostgreSQL logs every ERROR by default). */
  private sendError(error: SqlError, statement?: string): void {
    this.connection.writer.abandon();
    errorResponse(this.connection.writer, error);
    if (error.code !== SqlState.internalError) {
      this.context.log.info({ connection: this.connection.id, user: this.connection.user, code: error.code, statement }, error.message);
    }
  }

  /** CommandComplete, PortalSuspended, EmptyQueryResponse, or a COPY sub-protocol. */
  private async finishOutcome(outcome: ExecuteOutcome, extended: boolean): Promise<void> {
    const writer = this.connection.writer;
    switch (outcome.kind) {
      case 'complete':
        commandComplete(writer, outcome.commandTag);
        return;
      case 'suspended':
        if (!extended) throw new SqlError(SqlState.internalError, 'a simple-query statement was suspended');
        empty(writer, BackendCode.portalSuspended);
        return;
      case 'empty':
        empty(writer, BackendCode.emptyQueryResponse);
        return;
      case 'copyIn':
        commandComplete(writer, await this.copyIn(outcome.copy));
        return;
      case 'copyOut': {
        const copy = outcome.copy;
        copyResponse(writer, BackendCode.copyOutResponse, copy.overallFormat, copy.columnFormats);
        const chunks = copy.chunks();
        for (;;) {
          const next = await chunks.next();
          if (next.done) {
            empty(writer, BackendCode.copyDone);
            commandComplete(writer, next.value);
            return;
          }
          writer.message(BackendCode.copyData, next.value);
          if (writer.pendingBytes >= limits.serverOutputFlushBytes) await this.connection.flushAndDrain();
          if (this.connection.isClosed) {
            await chunks.return('');
            throw new ConnectionStop();
          }
        }
      }
    }
  }

  /** COPY FROM STDIN: CopyInResponse, then CopyData* and CopyDone or CopyFail; returns the tag. */
  private async copyIn(copy: Extract<ExecuteOutcome, { kind: 'copyIn' }>['copy']): Promise<string> {
    copyResponse(this.connection.writer, BackendCode.copyInResponse, copy.overallFormat, copy.columnFormats);
    await this.connection.flushAndDrain();
    for (;;) {
      let next = this.connection.nextMessage();
      if (next instanceof Promise) next = await next;
      if (next === null) {
        copy.fail('connection lost during COPY');
        throw new ConnectionStop();
      }
      const message = next;
      switch (message.code) {
        case FrontendCode.copyData:
          await copy.data(message.buffer.subarray(message.start, message.end));
          continue;
        case FrontendCode.copyDone:
          return copy.done();
        case FrontendCode.copyFail: {
          const reason = this.cursor.reset(message).cstring();
          copy.fail(reason);
          throw new SqlError(SqlState.queryCanceled, `COPY from stdin failed: ${reason}`);
        }
        case FrontendCode.flush:
        case FrontendCode.sync:
          // Extended-protocol clients may send these right after Execute; PostgreSQL ignores them.
          continue;
        default:
          copy.fail('unexpected message during COPY');
          if (!isKnownMessage(message.code)) throw protocolViolation(`invalid frontend message type ${message.code}`);
          throw new SqlError(SqlState.protocolViolation, `unexpected message type 0x${message.code.toString(16)} during COPY from stdin`);
      }
    }
  }

  // --- extended query

  private extendedSync(code: FrontendCode, cursor: MessageCursor): void {
    const writer = this.connection.writer;
    const session = this.session;
    switch (code) {
      case FrontendCode.parse: {
        const name = cursor.cstring();
        const sql = cursor.cstring();
        const count = cursor.int16();
        if (count < 0) throw protocolViolation('invalid number of parameter types');
        const typeOids: number[] = new Array(count);
        for (let index = 0; index < count; index++) typeOids[index] = cursor.int32() >>> 0;
        cursor.expectEnd();
        session.parse(name, sql, typeOids);
        if (this.slowMs >= 0) this.sqlByStatement.set(name, sql);
        empty(writer, BackendCode.parseComplete);
        return;
      }
      case FrontendCode.bind: {
        const portal = cursor.cstring();
        const statement = cursor.cstring();
        const parameterFormats = readFormats(cursor);
        const count = cursor.int16();
        if (count < 0) throw protocolViolation('invalid number of parameters');
        const parameters: Array<Uint8Array | null> = new Array(count);
        for (let index = 0; index < count; index++) {
          const length = cursor.int32();
          parameters[index] = length === -1 ? null : cursor.bytes(length);
        }
        const resultFormats = readFormats(cursor);
        cursor.expectEnd();
        session.bind(portal, statement, parameters, parameterFormats, resultFormats);
        if (this.slowMs >= 0) this.sqlByPortal.set(portal, this.sqlByStatement.get(statement) ?? '');
        empty(writer, BackendCode.bindComplete);
        return;
      }
      case FrontendCode.describe: {
        const target = cursor.int8();
        const name = cursor.cstring();
        cursor.expectEnd();
        if (target === statementTarget) {
          const info = session.describeStatement(name);
          parameterDescription(writer, info.parameterTypeOids);
          describeResult(writer, info.fields);
        } else if (target === portalTarget) {
          describeResult(writer, session.describePortal(name).fields);
        } else {
          throw protocolViolation(`invalid DESCRIBE message subtype ${target}`);
        }
        return;
      }
      case FrontendCode.close: {
        const target = cursor.int8();
        const name = cursor.cstring();
        cursor.expectEnd();
        if (target === statementTarget) session.closeStatement(name);
        else if (target === portalTarget) session.closePortal(name);
        else throw protocolViolation(`invalid CLOSE message subtype ${target}`);
        empty(writer, BackendCode.closeComplete);
        return;
      }
      default:
        throw new SqlError(SqlState.internalError, `not an extended-protocol message: ${code}`);
    }
  }

  /** An error inside an extended batch: report it and skip to Sync. FATALs propagate. */
  private extendedError(error: unknown): void {
    const sqlError = this.reportable(error);
    this.sendError(sqlError);
    this.session.markFailed(sqlError);
    this.skippingToSync = true;
  }

  private async execute(message: FrontendMessage): Promise<void> {
    const cursor = this.cursor.reset(message);
    let portal = '';
    const startedAt = this.slowMs >= 0 ? performance.now() : 0;
    try {
      portal = cursor.cstring();
      const maxRows = cursor.int32();
      cursor.expectEnd();
      const outcome = await this.session.execute(portal, maxRows > 0 ? maxRows : 0, this.sink);
      await this.finishOutcome(outcome, true);
    } catch (error) {
      this.extendedError(error);
    }
    if (this.slowMs >= 0) this.logIfSlow(startedAt, this.sqlByPortal.get(portal) ?? '');
  }

  private async sync(): Promise<void> {
    this.skippingToSync = false;
    try {
      await this.session.sync();
    } catch (error) {
      this.sendError(this.reportable(error));
    }
    readyForQuery(this.connection.writer, this.session.transactionStatus());
  }

  private logIfSlow(startedAt: number, sql: string): void {
    if (this.slowMs < 0) return;
    const durationMs = performance.now() - startedAt;
    if (durationMs < this.slowMs) return;
    this.context.log.info({ connection: this.connection.id, user: this.connection.user, durationMs: Math.round(durationMs * 1000) / 1000, statement: sql }, 'slow statement');
  }
}

function readFormats(cursor: MessageCursor): FormatCode[] {
  const count = cursor.int16();
  if (count < 0) throw protocolViolation('invalid number of format codes');
  const formats: FormatCode[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const format = cursor.int16();
    if (format !== 0 && format !== 1) {
      throw new SqlError(SqlState.invalidParameterValue, `unsupported format code: ${format}`);
    }
    formats[index] = format;
  }
  return formats;
}

function isKnownMessage(code: number): boolean {
  switch (code) {
    case FrontendCode.query:
    case FrontendCode.parse:
    case FrontendCode.bind:
    case FrontendCode.describe:
    case FrontendCode.execute:
    case FrontendCode.close:
    case FrontendCode.sync:
    case FrontendCode.flush:
    case FrontendCode.terminate:
    case FrontendCode.copyData:
    case FrontendCode.copyDone:
    case FrontendCode.copyFail:
    case FrontendCode.functionCall:
      return true;
    default:
      return false;
  }
}
