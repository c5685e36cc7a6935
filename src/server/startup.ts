// Start-up and authentication: SSLRequest / GSSENCRequest / CancelRequest / StartupMessage,
// then trust, SCRAM-SHA-256(-PLUS) or cleartext password, then the session opens and the client
// gets AuthenticationOk, the ParameterStatus set, BackendKeyData and ReadyForQuery.
import type { SecureContext } from 'node:tls';
import { SqlError, SqlState, toSqlError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { limits } from '../util/limits.js';
import { parseScramVerifier, scramVerifyPassword, type ScramVerifier } from '../util/scram.js';
import type { Session, SessionEvents, SessionFactory } from '../session/contract.js';
import {
  authentication,
  AuthenticationKind,
  authenticationSasl,
  backendKeyData,
  noticeResponse,
  notificationResponse,
  parameterStatus,
  readyForQuery,
} from './backend-messages.js';
import type { Connection } from './connection.js';
import { MessageCursor } from './message-cursor.js';
import type { FrontendMessage } from './message-reader.js';
import { fakeVerifier, ScramServerExchange, scramMechanism, scramPlusMechanism } from './scram-exchange.js';
import type { ResolvedServerOptions } from './server-options.js';

export interface ServerContext {
  readonly factory: SessionFactory;
  readonly options: ResolvedServerOptions;
  readonly log: Logger;
  readonly tls: { context: SecureContext; channelBinding: Buffer | null } | null;
  /** Random per server process; seeds fake SCRAM salts. */
  readonly serverSecret: Buffer;
  /** Counts a connection that sent a StartupMessage (released when it closes); false at max_connections. */
  admit(): boolean;
}

const sslRequestCode = 80877103;
const gssEncRequestCode = 80877104;
const cancelRequestCode = 80877102;
const protocolMajor = 3;
const passwordMessageCode = 0x70; // 'p'

function fatal(code: string, message: string, fields: { detail?: string; hint?: string } = {}): SqlError {
  return new SqlError(code, message, { ...fields, severity: 'FATAL' });
}

export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Runs start-up to ReadyForQuery; null when the connection ended instead (cancel, failure). */
export async function runStartup(connection: Connection, context: ServerContext): Promise<Session | null> {
  const cursor = new MessageCursor();
  try {
    const startup = await readStartupMessage(connection, context, cursor);
    if (startup === null) return null;
    if (!context.admit()) throw fatal(SqlState.tooManyConnections, 'sorry, too many clients already');
    connection.admitted = true;
    const { user, database, parameters } = startup;
    connection.user = user;
    connection.database = database;
    if (!(await authenticate(connection, context, cursor, user))) return null;

    authentication(connection.writer, AuthenticationKind.ok);
    if (!context.factory.databaseExists(database)) {
      throw fatal(SqlState.invalidCatalogName, `database "${database}" does not exist`);
    }
    const events: SessionEvents = {
      parameterStatus: (name, value) => {
        parameterStatus(connection.writer, name, value);
      },
      notice: (notice) => {
        noticeResponse(connection.writer, notice);
        if (connection.isIdle) connection.flush();
      },
      terminate: (error) => connection.terminate(error),
      notification: (senderProcessId, channel, payload) => {
        notificationResponse(connection.writer, senderProcessId, channel, payload);
        if (connection.isIdle) connection.flush();
      },
    };
    const session = context.factory.openSession({
      user,
      database,
      applicationName: parameters.application_name ?? '',
      parameters,
      clientAddress: connection.clientAddress,
      events,
    });
    connection.session = session;
    connection.reader.setMaxMessageBytes(context.options.maxMessageBytes);
    for (const [name, value] of session.initialParameterStatus()) parameterStatus(connection.writer, name, value);
    backendKeyData(connection.writer, session.processId, session.secretKey);
    readyForQuery(connection.writer, session.transactionStatus());
    await connection.flushAndDrain();
    return session;
  } catch (error) {
    const sqlError = toSqlError(error);
    if (sqlError.code === SqlState.internalError) context.log.error({ connection: connection.id, err: error }, 'start-up failed');
    connection.fatal(sqlError);
    return null;
  }
}

interface StartupParameters {
  user: string;
  database: string;
  parameters: Record<string, string>;
}

async function readStartupMessage(
  connection: Connection,
  context: ServerContext,
  cursor: MessageCursor,
): Promise<StartupParameters | null> {
  for (;;) {
    const message = await connection.nextMessage();
    if (message === null) {
      const framingError = connection.takeFatal();
      if (framingError) throw framingError;
      return null;
    }
    cursor.reset(message);
    const code = cursor.int32();
    if (code === sslRequestCode || code === gssEncRequestCode) {
      cursor.expectEnd();
      if (connection.hasQueuedInput()) {
        throw fatal(SqlState.protocolViolation, `received unencrypted data after ${code === sslRequestCode ? 'SSL' : 'GSSAPI encryption'} request`, {
          detail: 'This could be either a client-software bug or evidence of an attempted man-in-the-middle attack.',
        });
      }
      if (code === sslRequestCode && context.tls && !connection.isTls) {
        connection.writeRawByte('S');
        if (!(await connection.upgradeToTls(context.tls.context))) return null;
      } else {
        connection.writeRawByte('N');
      }
      connection.resumeFraming();
      continue;
    }
    if (code === cancelRequestCode) {
      const processId = cursor.int32();
      const secretKey = cursor.int32();
      cursor.expectEnd();
      context.factory.cancel(processId, secretKey);
      connection.stopReason = 'terminated';
      connection.end();
      return null;
    }
    const major = code >>> 16;
    const minor = code & 0xffff;
    if (major !== protocolMajor) {
      throw fatal(SqlState.featureNotSupported, `unsupported frontend protocol ${major}.${minor}: server supports 3.0 to 3.0`);
    }
    const parsed = parseStartupParameters(cursor);
    connection.reader.enterTypedMode();
    connection.reader.setMaxMessageBytes(Math.min(context.options.maxMessageBytes, limits.authenticationMessageBytesMax));
    connection.resumeFraming();
    const unsupportedOptions = Object.keys(parsed.parameters).filter((name) => name.startsWith('_pq_.'));
    if (minor > 0 || unsupportedOptions.length > 0) {
      negotiateProtocolVersion(connection, unsupportedOptions);
      for (const name of unsupportedOptions) delete parsed.parameters[name];
    }
    return parsed;
  }
}

function parseStartupParameters(cursor: MessageCursor): StartupParameters {
  const parameters: Record<string, string> = {};
  for (;;) {
    const name = cursor.cstring();
    if (name === '') break;
    parameters[name] = cursor.cstring();
  }
  cursor.expectEnd();
  const user = parameters.user ?? '';
  if (user === '') throw fatal(SqlState.invalidAuthorizationSpecification, 'no PostgreSQL user name specified in startup packet');
  const database = parameters.database || user;
  delete parameters.user;
  delete parameters.database;
  return { user, database, parameters };
}

/** NegotiateProtocolVersion ('v'): we speak 3.0 and none of the _pq_ options. */
function negotiateProtocolVersion(connection: Connection, unsupportedOptions: string[]): void {
  const writer = connection.writer;
  writer.begin(0x76);
  writer.int32((protocolMajor << 16) | 0);
  writer.int32(unsupportedOptions.length);
  for (const name of unsupportedOptions) writer.cstring(name);
  writer.end();
}

function passwordFailed(user: string): SqlError {
  return fatal(SqlState.invalidPassword, `password authentication failed for user "${user}"`);
}

/** Returns false when the connection ended during the exchange. */
async function authenticate(connection: Connection, context: ServerContext, cursor: MessageCursor, user: string): Promise<boolean> {
  const info = context.factory.authInfo(user);
  const stored = info.roleExists && info.scramVerifier !== null ? parseScramVerifier(info.scramVerifier) : null;
  const trusted =
    info.roleExists && info.scramVerifier === null && (context.options.trustRemote || isLoopback(connection.clientAddress));
  if (!trusted) {
    const verifier = stored ?? fakeVerifier(user, context.serverSecret);
    const useCleartext =
      context.options.passwordMethod === 'password' && (connection.isTls || context.options.allowCleartextWithoutTls);
    const ok = useCleartext
      ? await cleartextExchange(connection, cursor, verifier, stored === null)
      : await scramExchange(connection, context, cursor, verifier, stored === null);
    if (ok === null) return false;
    if (!ok) throw passwordFailed(user);
  }
  if (!info.roleExists) throw fatal(SqlState.invalidAuthorizationSpecification, `role "${user}" does not exist`);
  if (!info.canLogin) throw fatal(SqlState.invalidAuthorizationSpecification, `role "${user}" is not permitted to log in`);
  return true;
}

async function readPasswordMessage(connection: Connection, cursor: MessageCursor): Promise<MessageCursor | null> {
  await connection.flushAndDrain();
  const message: FrontendMessage | null = await connection.nextMessage();
  if (message === null) {
    const framingError = connection.takeFatal();
    if (framingError) throw framingError;
    return null;
  }
  if (message.code !== passwordMessageCode) {
    throw fatal(SqlState.protocolViolation, `expected password response, got message type ${message.code}`);
  }
  return cursor.reset(message);
}

async function cleartextExchange(
  connection: Connection,
  cursor: MessageCursor,
  verifier: ScramVerifier,
  fake: boolean,
): Promise<boolean | null> {
  authentication(connection.writer, AuthenticationKind.cleartextPassword);
  const reply = await readPasswordMessage(connection, cursor);
  if (reply === null) return null;
  const password = reply.cstring();
  reply.expectEnd();
  if (password === '') throw fatal(SqlState.invalidPassword, 'empty password returned by client');
  return !fake && scramVerifyPassword(password, verifier);
}

async function scramExchange(
  connection: Connection,
  context: ServerContext,
  cursor: MessageCursor,
  verifier: ScramVerifier,
  fake: boolean,
): Promise<boolean | null> {
  const channelBinding = connection.isTls ? (context.tls?.channelBinding ?? null) : null;
  authenticationSasl(connection.writer, channelBinding ? [scramPlusMechanism, scramMechanism] : [scramMechanism]);
  const initial = await readPasswordMessage(connection, cursor);
  if (initial === null) return null;
  const mechanism = initial.cstring();
  const length = initial.int32();
  if (length < 0) throw fatal(SqlState.protocolViolation, 'malformed SCRAM message', { detail: 'The message is empty.' });
  const clientFirst = initial.bytes(length).toString('utf8');
  initial.expectEnd();
  const exchange = new ScramServerExchange(verifier, fake, channelBinding);
  const serverFirst = exchange.clientFirst(mechanism, clientFirst);
  authentication(connection.writer, AuthenticationKind.saslContinue, Buffer.from(serverFirst, 'utf8'));
  const response = await readPasswordMessage(connection, cursor);
  if (response === null) return null;
  const serverFinal = exchange.clientFinal(response.rest().toString('utf8'));
  if (serverFinal === null) return false;
  authentication(connection.writer, AuthenticationKind.saslFinal, Buffer.from(serverFinal, 'utf8'));
  return true;
}
