// Running one query and comparing two servers' outcomes: the SQLSTATE when either fails,
// otherwise column names, type OIDs and rows as PostgreSQL's text output (ordered, or as a
// multiset when the query's order isn't fixed).
import pg from 'pg';
import type { RunningServer } from './local-servers.js';

export type Outcome =
  | { kind: 'rows'; columns: string[]; typeOids: number[]; rows: Array<Array<string | null>> }
  | { kind: 'error'; sqlState: string; message: string };

/** Every value as PostgreSQL's text, never parsed into JS (so formatting differences show). */
const rawTypes = { getTypeParser: () => (value: string) => value };

export async function connect(server: RunningServer): Promise<pg.Client> {
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.database, types: rawTypes as never });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function runQuery(client: pg.Client, sql: string): Promise<Outcome> {
  try {
    const result = await client.query({ text: sql, rowMode: 'array' });
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return {
      kind: 'rows',
      columns: last.fields.map((field: pg.FieldDef) => field.name),
      typeOids: last.fields.map((field: pg.FieldDef) => field.dataTypeID),
      rows: last.rows as Array<Array<string | null>>,
    };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { kind: 'error', sqlState: typeof code === 'string' ? code : 'connection', message: (error as Error).message };
  }
}

export type Verdict = { agree: true } | { agree: false; reason: string };

function rowKey(row: Array<string | null>): string {
  return JSON.stringify(row);
}

export function compareOutcomes(expected: Outcome, actual: Outcome, ordered: boolean): Verdict {
  if (expected.kind === 'error' || actual.kind === 'error') {
    if (expected.kind === 'error' && actual.kind === 'error') {
      return expected.sqlState === actual.sqlState ? { agree: true } : { agree: false, reason: `SQLSTATE ${actual.sqlState} (${actual.message}), PostgreSQL ${expected.sqlState} (${expected.message})` };
    }
    if (expected.kind === 'error') return { agree: false, reason: `answered, PostgreSQL raised ${expected.sqlState} (${expected.message})` };
    return { agree: false, reason: `raised ${(actual as { sqlState: string }).sqlState}: ${(actual as { message: string }).message}` };
  }
  if (expected.columns.join('\u0000') !== actual.columns.join('\u0000')) {
    return { agree: false, reason: `columns ${JSON.stringify(actual.columns)}, PostgreSQL ${JSON.stringify(expected.columns)}` };
  }
  if (expected.typeOids.join(',') !== actual.typeOids.join(',')) {
    return { agree: false, reason: `type OIDs ${actual.typeOids.join(',')}, PostgreSQL ${expected.typeOids.join(',')}` };
  }
  if (expected.rows.length !== actual.rows.length) return { agree: false, reason: `${actual.rows.length} rows, PostgreSQL ${expected.rows.length}` };
  const expectedKeys = expected.rows.map(rowKey);
  const actualKeys = actual.rows.map(rowKey);
  if (!ordered) {
    expectedKeys.sort();
    actualKeys.sort();
  }
  for (let index = 0; index < expectedKeys.length; index++) {
    if (expectedKeys[index] !== actualKeys[index]) return { agree: false, reason: `row ${index + 1}: ${actualKeys[index]}, PostgreSQL ${expectedKeys[index]}` };
  }
  return { agree: true };
}
