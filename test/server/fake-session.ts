// A test double SessionFactory for unit-testing the wire protocol before (and apart from) the
// real SQL layer. Its "SQL" is a handful of commands, enough to drive every message flow:
//   select N | select $1 | rows N | error CODE | sleep MS | begin | commit | rollback
//   | stuck MS | copy in | copy out N | notice | notify CHANNEL PAYLOAD | terminate_after MS | set NAME VALUE | (empty)
import { SqlError, SqlState } from '../../src/util/errors.js';
import { buildScramVerifier } from '../../src/util/scram.js';
import type {
  AuthInfo,
  CopyIn,
  ExecuteOutcome,
  FieldDescription,
  FormatCode,
  PortalInfo,
  PreparedStatementInfo,
  RowSink,
  Session,
  SessionEvents,
  SessionFactory,
  SimpleQueryRun,
  TransactionStatus,
} from '../../src/session/contract.js';

const int4Oid = 23;
const textOid = 25;

function field(name: string, typeOid: number, format: FormatCode = 0): FieldDescription {
  return { name, tableOid: 0, columnAttributeNumber: 0, typeOid, typeSize: typeOid === int4Oid ? 4 : -1, typeModifier: -1, format };
}

interface Prepared {
  sql: string;
  parameterTypeOids: number[];
  fields: FieldDescription[] | null;
}

interface Portal {
  prepared: Prepared;
  parameters: Array<string | null>;
  resultFormats: FormatCode[];
  produced: number;
  rows: Array<Array<string | null>> | null;
}

function encodeInt4(value: number, format: FormatCode): Uint8Array {
  if (format === 0) return Buffer.from(String(value));
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

export class FakeSession implements Session {
  readonly processId: number;
  readonly secretKey: number;
  status: TransactionStatus = 'I';
  statements = new Map<string, Prepared>();
  portals = new Map<string, Portal>();
  cancelRequested = false;
  closed = false;
  copiedIn: Buffer[] = [];
  rowsProduced = 0;
  parseCalls = 0;
  private sleeping: (() => void) | null = null;

  constructor(
    private readonly factory: FakeSessionFactory,
    private readonly events: SessionEvents,
    readonly user: string,
  ) {
    this.processId = factory.nextProcessId++;
    this.secretKey = (Math.random() * 0x7fffffff) | 0;
  }

  initialParameterStatus(): Array<[string, string]> {
    return [
      ['server_version', '15.0 (Cambium fake)'],
      ['server_encoding', 'UTF8'],
      ['client_encoding', 'UTF8'],
      ['DateStyle', 'ISO, MDY'],
      ['integer_datetimes', 'on'],
      ['standard_conforming_strings', 'on'],
      ['TimeZone', 'UTC'],
    ];
  }

  transactionStatus(): TransactionStatus {
    return this.status;
  }

  private describe(sql: string): FieldDescription[] | null {
    const word = sql.trim().split(/\s+/)[0]?.toLowerCase();
    if (word === 'select') return [field('value', sql.includes("'") ? textOid : int4Oid)];
    if (word === 'rows') return [field('n', int4Oid), field('label', textOid)];
    return null;
  }

  private fail(error: SqlError): never {
    if (this.status === 'T') this.status = 'E';
    throw error;
  }

  private async run(sql: string, parameters: Array<string | null>, formats: FormatCode[], sink: RowSink, portal?: Portal, maxRows = 0): Promise<ExecuteOutcome> {
    const words = sql.trim().replace(/;$/, '').split(/\s+/);
    const command = words[0]?.toLowerCase() ?? '';
    if (command === '') return { kind: 'empty' };
    if (this.status === 'E' && command !== 'rollback' && command !== 'commit') {
      throw new SqlError(SqlState.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
    }
    switch (command) {
      case 'select': {
        const argument = words[1] ?? '1';
        const text = argument.startsWith('$') ? parameters[Number(argument.slice(1)) - 1] ?? null : argument;
        if (text === null) sink.row([null]);
        else if (/^'.*'$/.test(text)) sink.row([Buffer.from(text.slice(1, -1))]);
        else if (!/^-?\d+$/.test(text)) this.fail(new SqlError(SqlState.invalidTextRepresentation, `invalid input syntax for type integer: "${text}"`));
        else sink.row([encodeInt4(Number(text), formats[0] ?? 0)]);
        return { kind: 'complete', commandTag: 'SELECT 1' };
      }
      case 'rows': {
        const total = Number(words[1] ?? '0');
        let produced = portal?.produced ?? 0;
        const label = Buffer.from('x'.repeat(Number(words[2] ?? '8')));
        const values: Array<Uint8Array | null> = [null, label];
        while (produced < total) {
          if (maxRows > 0 && portal && produced - (portal.produced ?? 0) >= maxRows) {
            portal.produced = produced;
            return { kind: 'suspended' };
          }
          values[0] = encodeInt4(produced + 1, formats[0] ?? 0);
          produced++;
          this.rowsProduced++;
          if (!sink.row(values)) await sink.drain();
          if (this.cancelRequested) {
            this.cancelRequested = false;
            this.fail(new SqlError(SqlState.queryCanceled, 'canceling statement due to user request'));
          }
        }
        if (portal) portal.produced = produced;
        return { kind: 'complete', commandTag: `SELECT ${total}` };
      }
      case 'error':
        this.fail(new SqlError(words[1] ?? SqlState.internalError, `fake error ${words[1] ?? ''}`.trim(), { detail: 'some detail', hint: 'some hint', position: 3 }));
      // falls through (fail never returns)
      case 'sleep': {
        this.cancelRequested = false;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Number(words[1] ?? '0'));
          this.sleeping = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.sleeping = null;
        if (this.cancelRequested) {
          this.cancelRequested = false;
          this.fail(new SqlError(SqlState.queryCanceled, 'canceling statement due to user request'));
        }
        return { kind: 'complete', commandTag: 'SLEEP' };
      }
      case 'stuck': // ignores cancellation
        await new Promise((resolve) => setTimeout(resolve, Number(words[1] ?? '0')));
        return { kind: 'complete', commandTag: 'STUCK' };
      case 'begin':
        this.status = 'T';
        return { kind: 'complete', commandTag: 'BEGIN' };
      case 'commit':
      case 'rollback': {
        const tag = this.status === 'E' ? 'ROLLBACK' : command.toUpperCase();
        this.status = 'I';
        return { kind: 'complete', commandTag: tag };
      }
      case 'notice':
        this.events.notice({ severity: 'NOTICE', code: '00000', message: 'a notice' });
        return { kind: 'complete', commandTag: 'NOTICE' };
      case 'notify':
        this.events.notification!(this.processId, words[1] ?? '', words[2] ?? '');
        return { kind: 'complete', commandTag: 'NOTIFY' };
      case 'terminate_after': {
        const error = new SqlError('25P03', 'terminating connection due to idle-in-transaction timeout', { severity: 'FATAL' });
        setTimeout(() => this.events.terminate!(error), Number(words[1] ?? '0'));
        return { kind: 'complete', commandTag: 'SET' };
      }
      case 'set':
        this.events.parameterStatus(words[1] ?? '', words[2] ?? '');
        return { kind: 'complete', commandTag: 'SET' };
      case 'copy':
        return words[1] === 'out' ? this.copyOut(Number(words[2] ?? '0')) : this.copyIn();
      default:
        this.fail(new SqlError(SqlState.syntaxError, `syntax error at or near "${words[0]}"`, { position: 1 }));
    }
  }

  private copyIn(): ExecuteOutcome {
    const received: Buffer[] = [];
    const copy: CopyIn = {
      overallFormat: 0,
      columnFormats: [0, 0],
      data: async (chunk) => {
        if (Buffer.from(chunk).includes('bad')) throw new SqlError(SqlState.badCopyFileFormat, 'invalid COPY data');
        received.push(Buffer.from(chunk));
      },
      done: async () => {
        this.copiedIn = received;
        const text = Buffer.concat(received).toString();
        return `COPY ${text.split('\n').filter(Boolean).length}`;
      },
      fail: () => {
        this.copiedIn = [];
      },
    };
    return { kind: 'copyIn', copy };
  }

  private copyOut(lines: number): ExecuteOutcome {
    async function* chunks(): AsyncGenerator<Uint8Array, string, void> {
      for (let index = 1; index <= lines; index++) yield Buffer.from(`${index}\tline ${index}\n`);
      return `COPY ${lines}`;
    }
    return { kind: 'copyOut', copy: { overallFormat: 0, columnFormats: [0, 0], chunks } };
  }

  simpleQuery(sql: string): SimpleQueryRun {
    if (sql.includes('syntax!')) throw new SqlError(SqlState.syntaxError, 'syntax error at or near "!"', { position: sql.indexOf('!') + 1 });
    const texts = sql.split(';').filter((part) => part.trim() !== '');
    const statements = texts.map((text) => ({
      describe: () => this.describe(text),
      execute: (sink: RowSink) => this.run(text, [], [], sink),
    }));
    return {
      statements,
      finish: async () => undefined,
    };
  }

  parse(statementName: string, sql: string, parameterTypeOids: number[]): PreparedStatementInfo {
    this.parseCalls++;
    if (sql.includes('syntax!')) this.fail(new SqlError(SqlState.syntaxError, 'syntax error at or near "!"'));
    if (statementName !== '' && this.statements.has(statementName)) {
      this.fail(new SqlError(SqlState.duplicatePreparedStatement, `prepared statement "${statementName}" already exists`));
    }
    const count = Math.max(parameterTypeOids.length, ...[...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
    const types = Array.from({ length: count }, (_, index) => parameterTypeOids[index] || int4Oid);
    const prepared = { sql, parameterTypeOids: types, fields: this.describe(sql) };
    this.statements.set(statementName, prepared);
    return prepared;
  }

  describeStatement(statementName: string): PreparedStatementInfo {
    const prepared = this.statements.get(statementName);
    if (!prepared) this.fail(new SqlError(SqlState.invalidSqlStatementName, `prepared statement "${statementName}" does not exist`));
    return prepared;
  }

  bind(portalName: string, statementName: string, parameters: ReadonlyArray<Uint8Array | null>, parameterFormats: FormatCode[], resultFormats: FormatCode[]): PortalInfo {
    this.describeStatement(statementName);
    const prepared = this.statements.get(statementName)!;
    if (parameters.length !== prepared.parameterTypeOids.length) {
      this.fail(new SqlError(SqlState.protocolViolation, `bind message supplies ${parameters.length} parameters, but prepared statement "${statementName}" requires ${prepared.parameterTypeOids.length}`));
    }
    const texts = parameters.map((value, index) => {
      if (value === null) return null;
      const format = parameterFormats.length === 1 ? parameterFormats[0] : (parameterFormats[index] ?? 0);
      return format === 1 ? String(Buffer.from(value).readInt32BE()) : Buffer.from(value).toString();
    });
    const fields = prepared.fields?.map((column, index) => ({ ...column, format: (resultFormats.length === 1 ? resultFormats[0] : resultFormats[index] ?? 0) as FormatCode })) ?? null;
    this.portals.set(portalName, { prepared: { ...prepared, fields }, parameters: texts, resultFormats, produced: 0, rows: null });
    return { fields };
  }

  describePortal(portalName: string): PortalInfo {
    const portal = this.portals.get(portalName);
    if (!portal) this.fail(new SqlError(SqlState.invalidCursorName, `portal "${portalName}" does not exist`));
    return { fields: portal.prepared.fields };
  }

  async execute(portalName: string, maxRows: number, sink: RowSink): Promise<ExecuteOutcome> {
    const portal = this.portals.get(portalName);
    if (!portal) this.fail(new SqlError(SqlState.invalidCursorName, `portal "${portalName}" does not exist`));
    const formats = portal.resultFormats.length === 1 ? [portal.resultFormats[0]!, portal.resultFormats[0]!] : portal.resultFormats;
    return this.run(portal.prepared.sql, portal.parameters, formats, sink, portal, maxRows);
  }

  closeStatement(statementName: string): void {
    this.statements.delete(statementName);
  }

  closePortal(portalName: string): void {
    this.portals.delete(portalName);
  }

  async sync(): Promise<void> {
    this.portals.delete('');
  }

  markFailed(): void {
    if (this.status === 'T') this.status = 'E';
  }

  cancel(): void {
    this.cancelRequested = true;
    this.sleeping?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.factory.sessions.delete(this);
  }
}

export class FakeSessionFactory implements SessionFactory {
  nextProcessId = 1000;
  readonly sessions = new Set<FakeSession>();
  readonly roles = new Map<string, { password: string | null; canLogin: boolean; verifier: string | null }>();
  readonly databases = new Set(['postgres', 'test']);
  shutDown = false;

  constructor() {
    this.addRole('postgres', null);
    this.addRole('alice', 'secret');
    this.addRole('nologin', null, false);
  }

  addRole(name: string, password: string | null, canLogin = true): void {
    this.roles.set(name, { password, canLogin, verifier: password === null ? null : buildScramVerifier(password) });
  }

  authInfo(user: string): AuthInfo {
    const role = this.roles.get(user);
    if (!role) return { roleExists: false, canLogin: false, scramVerifier: null };
    return { roleExists: true, canLogin: role.canLogin, scramVerifier: role.verifier };
  }

  databaseExists(name: string): boolean {
    return this.databases.has(name);
  }

  openSession(options: Parameters<SessionFactory['openSession']>[0]): Session {
    const session = new FakeSession(this, options.events, options.user);
    this.sessions.add(session);
    return session;
  }

  cancel(processId: number, secretKey: number): void {
    for (const session of this.sessions) if (session.processId === processId && session.secretKey === secretKey) session.cancel();
  }

  async shutdown(): Promise<void> {
    this.shutDown = true;
  }
}
