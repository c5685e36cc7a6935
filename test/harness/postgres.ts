// A throwaway PostgreSQL 15 (the oracle for differential tests and the peer in benchmarks):
// initdb into a temp dir (locale C, UTF8, trust), a free loopback port, stopped at the end.
// initdb and postgres refuse to run as root, so as root they run as the `postgres` user.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { OutputTail, exited, freePort, loopbackHost, registerLeftover, run, sleep, stopChild } from './processes.js';

export const postgresBinDir = process.env.CAMBIUM_PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const postgresSuperuser = 'postgres';
const startTimeoutMs = 30_000;

export interface PostgresOptions {
  /** Durability: benchmarks need both on (the default); tests may turn them off for speed. */
  fsync?: boolean;
  synchronousCommit?: boolean;
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string>;
}

export interface DatabaseServer {
  readonly kind: 'postgresql' | 'cambium';
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** The main server process (for RSS measurements); null when unknown. */
  readonly pid: number | null;
  /** libpq-style environment (PGHOST, PGPORT, PGUSER, PGDATABASE) for client programs. */
  clientEnvironment(): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface PostgresServer extends DatabaseServer {
  readonly kind: 'postgresql';
  readonly dataDirectory: string;
  readonly version: string;
}

export function postgresInstalled(): boolean {
  return existsSync(join(postgresBinDir, 'postgres')) && existsSync(join(postgresBinDir, 'initdb'));
}

interface RunAs {
  uid: number;
  gid: number;
}

/** Whom to run PostgreSQL as: ourselves unless root, then the `postgres` system user. */
function postgresAccount(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = (flag: string) => Number(execFileSync('id', [flag, postgresSuperuser], { encoding: 'utf8' }).trim());
  try {
    return { uid: lookup('-u'), gid: lookup('-g') };
  } catch {
    // The postgresql-15 package creates the user; without it, make a system user of our own.
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', postgresSuperuser]);
    return { uid: lookup('-u'), gid: lookup('-g') };
  }
}

function clientEnvironment(server: { host: string; port: number; user: string; database: string }): NodeJS.ProcessEnv {
  const environment = { ...process.env };
  for (const name of Object.keys(environment)) if (name.startsWith('PG')) delete environment[name];
  return {
    ...environment,
    PGHOST: server.host,
    PGPORT: String(server.port),
    PGUSER: server.user,
    PGDATABASE: server.database,
    PGSSLMODE: 'disable',
    PGCONNECT_TIMEOUT: '10',
  };
}

/** Tries to connect until the server answers (or the process dies / time runs out). */
export async function waitUntilAcceptingConnections(
  connection: { host: string; port: number; user: string; database: string },
  child: ChildProcess,
  describeFailure: () => string,
  timeoutMs = startTimeoutMs,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before accepting connections\n${describeFailure()}`);
    }
    const client = new pg.Client({ ...connection, connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await sleep(50);
    }
  }
  throw new Error(`server not ready after ${timeoutMs} ms: ${String(lastError)}\n${describeFailure()}`);
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  if (!postgresInstalled()) throw new Error(`PostgreSQL 15 is not installed at ${postgresBinDir} (.ci/run installs postgresql-15)`);
  const account = postgresAccount();
  const root = mkdtempSync(join(tmpdir(), 'cambium-pg-'));
  const cleanup = registerLeftover({ directory: root });
  if (account) chownSync(root, account.uid, account.gid);
  const dataDirectory = join(root, 'data');
  const asAccount = account ? { uid: account.uid, gid: account.gid } : {};
  const initdb = await run(
    join(postgresBinDir, 'initdb'),
    ['-D', dataDirectory, '-A', 'trust', '-U', postgresSuperuser, '--locale=C', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    { ...asAccount, cwd: root, env: { ...process.env, LC_ALL: 'C' }, timeoutMs: 60_000 },
  );
  if (initdb.code !== 0) {
    rmSync(root, { recursive: true, force: true });
    cleanup.release();
    throw new Error(`initdb failed (${initdb.code}):\n${initdb.stdout}\n${initdb.stderr}`);
  }
  const settings: Record<string, string> = {
    listen_addresses: loopbackHost,
    unix_socket_directories: root,
    fsync: options.fsync === false ? 'off' : 'on',
    synchronous_commit: options.synchronousCommit === false ? 'off' : 'on',
    full_page_writes: options.fsync === false ? 'off' : 'on',
    max_connections: '100',
    // Fixed so that expected outputs do not depend on the machine's zone or locale.
    timezone: 'UTC',
    log_timezone: 'UTC',
    datestyle: 'ISO, MDY',
    ...options.settings,
  };
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = ['-D', dataDirectory, '-c', `port=${port}`];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    const output = new OutputTail();
    const child = spawn(join(postgresBinDir, 'postgres'), args, {
      ...asAccount,
      cwd: root,
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.update({ pid: child.pid });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output.append(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.append(chunk));
    const connection = { host: loopbackHost, port, user: postgresSuperuser, database: 'postgres' };
    try {
      await waitUntilAcceptingConnections(connection, child, () => output.toString());
    } catch (error) {
      await stopChild(child, 'SIGQUIT', 2000);
      if (attempt < 3 && /could not bind|already in use/i.test(output.toString())) continue;
      rmSync(root, { recursive: true, force: true });
      cleanup.release();
      throw error;
    }
    const version = readFileSync(join(dataDirectory, 'PG_VERSION'), 'utf8').trim();
    let stopped: Promise<void> | undefined;
    return {
      kind: 'postgresql',
      ...connection,
      pid: child.pid ?? null,
      dataDirectory,
      version,
      clientEnvironment: () => clientEnvironment(connection),
      stop: () =>
        (stopped ??= (async () => {
          // SIGINT is PostgreSQL's "fast" shutdown: roll back sessions, checkpoint, exit.
          await stopChild(child, 'SIGINT', 15_000);
          await exited(child);
          rmSync(root, { recursive: true, force: true });
          cleanup.release();
        })()),
    };
  }
}

let shared: Promise<PostgresServer> | undefined;

/**
 * One PostgreSQL per test run, started on first use (fsync off: tests need answers, not
 * durability) and stopped by the mocha root hook in mocha-hooks.ts (or at exit).
 */
export function sharedPostgres(): Promise<PostgresServer> {
  shared ??= startPostgres({ fsync: false, synchronousCommit: false });
  shared.catch(() => (shared = undefined));
  return shared;
}

export async function stopSharedPostgres(): Promise<void> {
  const running = shared;
  shared = undefined;
  if (running) await (await running.catch(() => undefined))?.stop();
}
