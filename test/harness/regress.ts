// sql/ regression scripts, pg_regress style: each sql/<name>.sql runs through psql (echoing every
// statement, errors reduced to their SQLSTATE) in a fresh database; the combined output must
// equal sql/expected/<name>.out, which `npm run sql:expected` produces from PostgreSQL 15.
import { closeSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { repositoryRoot } from './cambium.js';
import type { DatabaseServer } from './postgres.js';
import { exited, registerLeftover } from './processes.js';

export const sqlDirectory = join(repositoryRoot, 'sql');
export const expectedDirectory = join(sqlDirectory, 'expected');
export const psqlProgram = process.env.CAMBIUM_PSQL ?? '/usr/lib/postgresql/15/bin/psql';

export function regressionScripts(): string[] {
  return readdirSync(sqlDirectory)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => name.slice(0, -'.sql'.length))
    .sort();
}

export const expectedOutputPath = (name: string) => join(expectedDirectory, `${name}.out`);
export const readExpectedOutput = (name: string) => readFileSync(expectedOutputPath(name), 'utf8');

/**
 * A fresh database named after the script, so scripts cannot see each other's leftovers.
 * Falls back to the default database when the server cannot create databases (yet).
 */
export async function scratchDatabase(server: DatabaseServer, name: string): Promise<string> {
  const database = `regress_${name}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.database });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`drop database if exists ${database}`);
    await client.query(`create database ${database}`);
    return database;
  } catch {
    return server.database;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs sql/<name>.sql with psql against the server; returns stdout and stderr interleaved as written. */
export async function runRegressionScript(server: DatabaseServer, name: string): Promise<string> {
  const database = await scratchDatabase(server, name);
  const scratch = mkdtempSync(join(tmpdir(), 'cambium-regress-'));
  const registration = registerLeftover({ directory: scratch });
  const outputPath = join(scratch, `${name}.out`);
  const output = openSync(outputPath, 'w');
  try {
    // One file descriptor for both streams keeps errors next to the statements that caused them.
    const child = spawn(
      psqlProgram,
      ['-X', '-a', '-v', 'VERBOSITY=sqlstate', '-v', 'ON_ERROR_STOP=0', '-d', database, '-f', `${name}.sql`],
      { cwd: sqlDirectory, env: { ...server.clientEnvironment(), PGDATABASE: database, PAGER: '', PSQL_PAGER: '' }, stdio: ['ignore', output, output] },
    );
    registration.update({ pid: child.pid });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const { code, signal } = await exited(child);
    clearTimeout(timer);
    const text = readFileSync(outputPath, 'utf8');
    if (code !== 0) throw new Error(`psql -f ${name}.sql exited with ${code ?? signal}:\n${text}`);
    return text;
  } finally {
    closeSync(output);
    rmSync(scratch, { recursive: true, force: true });
    registration.release();
  }
}
