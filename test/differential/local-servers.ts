// Minimal server starters for the differential query tests, until the harness's shared ones
// (test/harness/postgres.ts, test/harness/cambium.ts) land: PostgreSQL 15 from
// /usr/lib/postgresql/15/bin in a temp dir (locale C, UTC, loopback, free port), and the Cambium
// server from dist/src/cli/main.js.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const postgresBin = '/usr/lib/postgresql/15/bin';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** PostgreSQL refuses to run as root; when we are root, run it as the `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root and no postgres user to run PostgreSQL as');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function waitForConnection(config: pg.ClientConfig, deadlineMs: number, child?: ChildProcess): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadlineMs) {
    if (child && child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    const client = new pg.Client(config);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server did not accept connections: ${String(lastError)}`);
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill(signal);
  });
}

export async function startPostgres(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cambium-pg-'));
  const dataDir = join(dir, 'data');
  const identity = runAs();
  if (identity) chownSync(dir, identity.uid, identity.gid);
  const initdb = spawnSync(join(postgresBin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--locale=C', '-E', 'UTF8', '--auth=trust', '-N'], {
    encoding: 'utf8',
    ...identity,
  });
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr}`);
  const port = await freePort();
  const child = spawn(
    join(postgresBin, 'postgres'),
    ['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'timezone=UTC', '-c', 'max_connections=20', '-c', 'shared_buffers=32MB'],
    { stdio: 'ignore', ...identity },
  );
  const server: RunningServer = {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    async stop() {
      await stopChild(child, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitForConnection({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' }, Date.now() + 30_000, child);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Starts `cambium serve` on a free port with a temp data dir; rejects if it can't serve SQL. */
export async function startCambium(timeoutMs = 15_000): Promise<RunningServer> {
  const main = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is not built`);
  const dir = mkdtempSync(join(tmpdir(), 'cambium-diff-'));
  const port = await freePort();
  const child = spawn(process.execPath, [main, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data', dir], { stdio: 'ignore' });
  const server: RunningServer = {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    async stop() {
      await stopChild(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitForConnection({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' }, Date.now() + timeoutMs, child);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
