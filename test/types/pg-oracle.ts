// Starts a throw-away PostgreSQL 15 (initdb into a temp dir, locale C, loopback port) for
// differential tests, and evaluates many SQL expressions in one round trip through a plpgsql
// helper that turns errors into 'ERR:<sqlstate>:<message>'.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const binDir = '/usr/lib/postgresql/15/bin';

export function oracleAvailable(): boolean {
  return existsSync(join(binDir, 'initdb')) && existsSync(join(binDir, 'postgres'));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** PostgreSQL refuses to run as root: run its binaries as the 'postgres' user then. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  // setpriv execs in place, so signals reach postgres itself.
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--clear-groups', command, ...args]];
}

export class PgOracle {
  private constructor(
    private readonly process: ChildProcess,
    private readonly dir: string,
    readonly client: pg.Client,
  ) {}

  static async start(): Promise<PgOracle> {
    const dir = mkdtempSync(join(tmpdir(), 'cambium-types-pg-'));
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(dir, uid, gid);
    }
    const dataDir = join(dir, 'data');
    const [initCommand, initArgs] = asServerUser(join(binDir, 'initdb'), [
      '-D', dataDir, '--locale=C', '--encoding=UTF8', '-U', 'postgres', '-A', 'trust', '--no-sync',
    ]);
    execFileSync(initCommand, initArgs, { stdio: 'ignore' });
    const port = await freePort();
    const [command, args] = asServerUser(join(binDir, 'postgres'), [
      '-D', dataDir, '-c', `port=${port}`, '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`,
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'TimeZone=UTC',
    ]);
    const child = spawn(command, args, { stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      try {
        await client.connect();
        const oracle = new PgOracle(child, dir, client);
        await oracle.installHelpers();
        return oracle;
      } catch (error) {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) {
          child.kill('SIGINT');
          throw error;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private async installHelpers(): Promise<void> {
    await this.client.query(`
      CREATE FUNCTION try_eval(sql text) RETURNS text LANGUAGE plpgsql AS $$
      DECLARE result text;
      BEGIN
        EXECUTE sql INTO result;
        RETURN 'OK:' || coalesce(result, '<NULL>');
      EXCEPTION WHEN others THEN
        RETURN 'ERR:' || SQLSTATE || ':' || SQLERRM;
      END $$`);
  }

  /** Runs each single-value SELECT; results are 'OK:<text>' / 'OK:<NULL>' / 'ERR:<sqlstate>:<message>'. */
  async evaluate(statements: string[]): Promise<string[]> {
    const result = await this.client.query('SELECT try_eval(s) AS r FROM unnest($1::text[]) WITH ORDINALITY AS t(s, n) ORDER BY n', [statements]);
    return result.rows.map((row: { r: string }) => row.r);
  }

  async stop(): Promise<void> {
    await this.client.end().catch(() => undefined);
    await new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) return resolve();
      this.process.once('exit', () => resolve());
      this.process.kill('SIGINT'); // fast shutdown
    });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** SQL string literal. */
export function quote(text: string): string {
  return "'" + text.replace(/'/g, "''") + "'";
}

let shared: Promise<PgOracle> | undefined;

/** One PostgreSQL for all differential test files of this layer; stopped after the run. */
export function sharedOracle(): Promise<PgOracle> {
  shared ??= PgOracle.start();
  return shared;
}

// Root-level hook: runs once after every test file has finished.
after(async () => {
  if (shared) await (await shared.catch(() => undefined))?.stop();
  shared = undefined;
});

/** Mocha `before` body: the shared oracle, or skips the suite with a clear message. */
export async function oracleOrSkip(context: Mocha.Context): Promise<PgOracle> {
  if (!oracleAvailable()) {
    console.warn('PostgreSQL 15 binaries absent (/usr/lib/postgresql/15/bin): skipping differential tests');
    context.skip();
  }
  return sharedOracle();
}
