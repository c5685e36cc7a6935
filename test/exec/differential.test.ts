// Differential checks of the SQL layer: each test/exec/differential/*.sql script runs statement
// by statement on PostgreSQL 15 and on Cambium (in-process server, real engine); every
// statement's rows (as text) or SQLSTATE must be equal.
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { repositoryRoot } from '../harness/cambium.js';
import { postgresInstalled, sharedPostgres } from '../harness/postgres.js';
import { Server } from '../../src/server/index.js';
import { openDatabaseServer } from '../../src/session/index.js';
import type { SessionFactory } from '../../src/session/contract.js';
import { createLogger } from '../../src/util/log.js';

const scriptDirectory = join(repositoryRoot, 'test', 'exec', 'differential');
const rawText = { getTypeParser: () => (value: string) => value };

interface Outcome {
  statement: string;
  rows?: unknown[][];
  error?: string;
}

async function runScript(port: number, database: string, statements: string[]): Promise<Outcome[]> {
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`drop database if exists ${database}`);
  await admin.query(`create database ${database}`);
  await admin.end();
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database });
  client.on('notice', () => undefined);
  await client.connect();
  const outcomes: Outcome[] = [];
  try {
    for (const statement of statements) {
      try {
        const result = await client.query({ text: statement, rowMode: 'array', types: rawText });
        const results = Array.isArray(result) ? result : [result];
        outcomes.push({ statement, rows: results.flatMap((r: pg.QueryResult) => r.rows) });
      } catch (error) {
        outcomes.push({ statement, error: (error as pg.DatabaseError).code ?? String(error) });
      }
    }
  } finally {
    await client.end();
  }
  return outcomes;
}

describe('SQL differential scripts (Cambium vs PostgreSQL 15)', function () {
  this.timeout(120_000);
  let dir: string;
  let factory: SessionFactory;
  let server: Server;
  let cambiumPort: number;
  let postgresPort: number;

  before(async function () {
    if (!postgresInstalled()) this.skip();
    postgresPort = (await sharedPostgres()).port;
    dir = mkdtempSync(join(tmpdir(), 'cambium-diff-'));
    factory = await openDatabaseServer({ dataDir: dir });
    server = new Server(factory, { port: 0, host: '127.0.0.1', logger: createLogger('test', 'silent') });
    cambiumPort = (await server.listen()).port;
  });
  after(async () => {
    await server?.shutdown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const file of readdirSync(scriptDirectory).filter((name) => name.endsWith('.sql')).sort()) {
    it(file, async () => {
      const statements = readFileSync(join(scriptDirectory, file), 'utf8')
        .split(/;\s*\n/).map((text) => text.trim()).filter((text) => text && !text.startsWith('--'));
      const database = `diff_${file.replace(/\W/g, '_')}`.toLowerCase();
      const expected = await runScript(postgresPort, database, statements);
      const actual = await runScript(cambiumPort, database, statements);
      for (let i = 0; i < statements.length; i++) {
        expect(actual[i], `statement: ${statements[i]}`).to.deep.equal(expected[i]);
      }
    });
  }
});
