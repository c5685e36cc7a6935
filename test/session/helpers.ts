// Drives the real SessionFactory (real engine in a temp dir, real txn layer) the way the wire
// server does, collecting rows as text.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseServer } from '../../src/session/index.js';
import type { FieldDescription, Notice, Session, SessionFactory } from '../../src/session/contract.js';
import type { SqlError } from '../../src/util/errors.js';

export interface QueryResult {
  fields: FieldDescription[] | null;
  rows: Array<Array<string | null>>;
  tag: string;
}

export class TestClient {
  readonly notices: Notice[] = [];
  readonly parameterChanges: Array<[string, string]> = [];
  readonly session: Session;

  constructor(factory: SessionFactory, database = 'postgres', user = 'postgres') {
    this.session = factory.openSession({
      user, database, applicationName: 'test', parameters: {}, clientAddress: '127.0.0.1',
      events: {
        parameterStatus: (name, value) => this.parameterChanges.push([name, value]),
        notice: (notice) => this.notices.push(notice),
      },
    });
  }

  /** Runs a simple Query; returns each statement's result, throws the first error (after finish). */
  async query(sql: string): Promise<QueryResult[]> {
    const run = this.session.simpleQuery(sql);
    const results: QueryResult[] = [];
    let failure: SqlError | undefined;
    for (const statement of run.statements) {
      try {
        const fields = statement.describe();
        const rows: Array<Array<string | null>> = [];
        const outcome = await statement.execute({
          row: (values) => {
            rows.push(values.map((value) => (value === null ? null : Buffer.from(value).toString('utf8'))));
            return true;
          },
          drain: async () => {},
        });
        let tag = '';
        if (outcome.kind === 'complete') tag = outcome.commandTag;
        else if (outcome.kind === 'copyIn') {
          tag = 'COPY IN';
          (results as unknown as { copyIn?: unknown }).copyIn = outcome.copy;
        } else if (outcome.kind === 'copyOut') {
          const chunks: string[] = [];
          const generator = outcome.copy.chunks();
          for (;;) {
            const next = await generator.next();
            if (next.done) {
              tag = next.value;
              break;
            }
            chunks.push(Buffer.from(next.value).toString('utf8'));
          }
          rows.push([chunks.join('')]);
        }
        results.push({ fields, rows, tag });
      } catch (error) {
        failure = error as SqlError;
        break;
      }
    }
    await run.finish(failure);
    if (failure) throw failure;
    return results;
  }

  /** The rows of the last statement. */
  async rows(sql: string): Promise<Array<Array<string | null>>> {
    const results = await this.query(sql);
    return results[results.length - 1]!.rows;
  }

  async value(sql: string): Promise<string | null> {
    return (await this.rows(sql))[0]![0]!;
  }

  /** The error a statement raises (fails the test when none). */
  async error(sql: string): Promise<SqlError> {
    try {
      await this.query(sql);
    } catch (error) {
      return error as SqlError;
    }
    throw new Error(`expected an error from: ${sql}`);
  }

  async copyIn(sql: string, data: string): Promise<string> {
    const run = this.session.simpleQuery(sql);
    const statement = run.statements[0]!;
    statement.describe();
    const outcome = await statement.execute({ row: () => true, drain: async () => {} });
    if (outcome.kind !== 'copyIn') throw new Error('not a COPY FROM');
    try {
      await outcome.copy.data(Buffer.from(data));
      const tag = await outcome.copy.done();
      await run.finish(undefined);
      return tag;
    } catch (error) {
      await run.finish(error as SqlError);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

export class TestDatabase {
  private constructor(readonly dir: string, readonly factory: SessionFactory) {}

  static async open(): Promise<TestDatabase> {
    const dir = mkdtempSync(join(tmpdir(), 'cambium-sql-'));
    const factory = await openDatabaseServer({ dataDir: dir });
    return new TestDatabase(dir, factory);
  }

  client(database = 'postgres', user = 'postgres'): TestClient {
    return new TestClient(this.factory, database, user);
  }

  async close(): Promise<void> {
    await this.factory.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
