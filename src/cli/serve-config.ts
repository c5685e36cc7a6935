// `cambium serve` flags and CAMBIUM_* environment variables (flags win), validated into
// ServerOptions plus the data directory.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { PasswordMethod, ServerOptions } from '../server/index.js';

export class UsageError extends Error {}

export const serveUsage = `usage: cambium serve [options]
  --host H                         listen address, * = all interfaces (CAMBIUM_HOST, default 127.0.0.1)
  --port N                         TCP port, 0 = any free port (CAMBIUM_PORT, default 5432)
  --data DIR                       data directory, created on first start (CAMBIUM_DATA, default ./.cambium-data)
  --tls-cert FILE --tls-key FILE   PEM certificate and key: enables TLS (CAMBIUM_TLS_CERT, CAMBIUM_TLS_KEY)
  --max-connections N              (CAMBIUM_MAX_CONNECTIONS, default 100)
  --max-message-bytes N            largest frontend message (default 1 GiB)
  --password-auth METHOD           scram-sha-256 (default) or password (cleartext; TLS only unless allowed)
  --allow-cleartext-without-tls    let --password-auth password run without TLS
  --trust-remote                   trust roles without a password from any address (default: loopback only)
  --log-min-duration-statement MS  log statements at least this slow (-1 = off)
  --log-level LEVEL                pino level (CAMBIUM_LOG_LEVEL, default info)`;

export interface ServeConfig {
  dataDirectory: string;
  logLevel: string | undefined;
  server: ServerOptions;
}

function integer(name: string, text: string, minimum: number, maximum: number): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || value < minimum || value > maximum) {
    throw new UsageError(`invalid value for ${name}: "${text}" (expected an integer from ${minimum} to ${maximum})`);
  }
  return value;
}

export function parseServeConfig(argv: string[], env: NodeJS.ProcessEnv): ServeConfig {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        data: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'max-connections': { type: 'string' },
        'max-message-bytes': { type: 'string' },
        'password-auth': { type: 'string' },
        'allow-cleartext-without-tls': { type: 'boolean' },
        'trust-remote': { type: 'boolean' },
        'log-min-duration-statement': { type: 'string' },
        'log-level': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values;
  const server: ServerOptions = {
    host: values.host ?? env.CAMBIUM_HOST ?? '127.0.0.1',
    port: integer('--port', values.port ?? env.CAMBIUM_PORT ?? '5432', 0, 65535),
  };
  const maxConnections = values['max-connections'] ?? env.CAMBIUM_MAX_CONNECTIONS;
  if (maxConnections !== undefined) server.maxConnections = integer('--max-connections', maxConnections, 1, 100_000);
  if (values['max-message-bytes'] !== undefined) {
    server.maxMessageBytes = integer('--max-message-bytes', values['max-message-bytes'], 1024, 1024 * 1024 * 1024);
  }
  const passwordAuth = values['password-auth'];
  if (passwordAuth !== undefined) {
    if (passwordAuth !== 'scram-sha-256' && passwordAuth !== 'password') {
      throw new UsageError(`invalid value for --password-auth: "${passwordAuth}" (expected scram-sha-256 or password)`);
    }
    server.passwordMethod = passwordAuth as PasswordMethod;
  }
  server.allowCleartextWithoutTls = values['allow-cleartext-without-tls'] ?? false;
  server.trustRemote = values['trust-remote'] ?? false;
  if (values['log-min-duration-statement'] !== undefined) {
    server.logMinDurationStatementMs = integer('--log-min-duration-statement', values['log-min-duration-statement'], -1, 2 ** 31 - 1);
  }
  const certFile = values['tls-cert'] ?? env.CAMBIUM_TLS_CERT;
  const keyFile = values['tls-key'] ?? env.CAMBIUM_TLS_KEY;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert and --tls-key must be given together');
  if (certFile !== undefined && keyFile !== undefined) {
    try {
      server.tls = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
    } catch (error) {
      throw new UsageError(`cannot read the TLS certificate or key: ${(error as Error).message}`);
    }
  }
  return {
    dataDirectory: resolve(values.data ?? env.CAMBIUM_DATA ?? '.cambium-data'),
    logLevel: values['log-level'] ?? env.CAMBIUM_LOG_LEVEL,
    server,
  };
}
