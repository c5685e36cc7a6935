// Everything the wire server can be told, with PostgreSQL's defaults where it has one.
import { limits } from '../util/limits.js';
import type { Logger } from '../util/log.js';

export type PasswordMethod = 'scram-sha-256' | 'password';

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port (see Server.port after listen). */
  port?: number;
  /** PEM certificate chain and key: SSLRequest is answered 'S' and TLS follows. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  maxConnections?: number;
  /** Largest frontend message after authentication. */
  maxMessageBytes?: number;
  /** How roles with a password authenticate; 'password' (cleartext) is used only over TLS unless allowed. */
  passwordMethod?: PasswordMethod;
  allowCleartextWithoutTls?: boolean;
  /** Trust roles without a password from any address, not only loopback (development only). */
  trustRemote?: boolean;
  /** log_min_duration_statement: statements at least this slow are logged; -1 disables. */
  logMinDurationStatementMs?: number;
  authenticationTimeoutMs?: number;
  shutdownGraceMs?: number;
  logger?: Logger;
}

export type ResolvedServerOptions = Required<Omit<ServerOptions, 'tls' | 'logger'>> & Pick<ServerOptions, 'tls'>;

export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 5432,
    tls: options.tls,
    maxConnections: options.maxConnections ?? limits.connectionsMax,
    maxMessageBytes: options.maxMessageBytes ?? limits.protocolMessageBytesMax,
    passwordMethod: options.passwordMethod ?? 'scram-sha-256',
    allowCleartextWithoutTls: options.allowCleartextWithoutTls ?? false,
    trustRemote: options.trustRemote ?? false,
    logMinDurationStatementMs: options.logMinDurationStatementMs ?? -1,
    authenticationTimeoutMs: options.authenticationTimeoutMs ?? limits.authenticationTimeoutMs,
    shutdownGraceMs: options.shutdownGraceMs ?? limits.shutdownGraceMs,
  };
}
