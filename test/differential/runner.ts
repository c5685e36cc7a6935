// The differential runner: the same statements on PostgreSQL 15 (the reference) and on Cambium
// (the candidate), through node-postgres, everything read back as text. Compared: column
// names and type OIDs, rows (sorted first when the statement has no top-level ORDER BY),
// command tags, and the SQLSTATE of errors. Mismatches are reported statement by statement.
import { loadModule, parseSync } from 'libpg-query';
import pg from 'pg';

export type Statement = string | { text: string; values: unknown[] };

export interface Field {
  name: string;
  typeOid: number;
}

export type Outcome =
  | { ok: true; commandTag: string; fields: Field[]; rows: Array<Array<string | null>> }
  | { ok: false; sqlstate: string; message: string };

export interface Mismatch {
  index: number;
  statement: string;
  differences: string[];
  reference: Outcome;
  candidate: Outcome;
}

export interface DifferentialReport {
  statements: number;
  mismatches: Mismatch[];
}

export interface ConnectionTarget {
  host: string;
  port: number;
  user: string;
  database: string;
}

/** Every type read back as the text the server sent: the comparison is of wire text, not of JS values. */
const textTypes = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export async function connectAsText(target: ConnectionTarget): Promise<pg.Client> {
  const client = new pg.Client({ ...target, types: textTypes, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // a dropped connection shows up as the next query's error
  await client.connect();
  return client;
}

export const statementText = (statement: Statement) => (typeof statement === 'string' ? statement : statement.text);

let parserLoaded: Promise<void> | undefined;
export const loadParser = () => (parserLoaded ??= loadModule());

/** True when the statement's result order is defined: a top-level ORDER BY. (Call loadParser() first.) */
export function hasTopLevelOrderBy(sql: string): boolean {
  try {
    const parsed = parseSync(sql) as { stmts?: Array<{ stmt?: Record<string, { sortClause?: unknown[] }> }> };
    const statement = parsed.stmts?.[0]?.stmt;
    const select = statement?.SelectStmt;
    return Boolean(select?.sortClause?.length);
  } catch {
    return /\border\s+by\b/i.test(sql);
  }
}

/** Splits a script into statements with the PostgreSQL parser (comments between statements are dropped). */
export function splitStatements(script: string): string[] {
  const parsed = parseSync(script) as { stmts?: Array<{ stmt_location?: number; stmt_len?: number }> };
  const bytes = Buffer.from(script, 'utf8');
  return (parsed.stmts ?? [])
    .map((entry) => {
      const start = entry.stmt_location ?? 0;
      const end = entry.stmt_len ? start + entry.stmt_len : bytes.length;
      return bytes.subarray(start, end).toString('utf8').trim();
    })
    .filter(Boolean);
}

export async function execute(client: pg.Client, statement: Statement): Promise<Outcome> {
  try {
    const result =
      typeof statement === 'string'
        ? await client.query({ text: statement, rowMode: 'array' })
        : await client.query({ text: statement.text, values: statement.values, rowMode: 'array' });
    const single = Array.isArray(result) ? (result[result.length - 1] as pg.QueryResult) : result;
    return {
      ok: true,
      commandTag: commandTag(single),
      fields: (single.fields ?? []).map((field) => ({ name: field.name, typeOid: field.dataTypeID })),
      rows: (single.rows as unknown[][]).map((row) => row.map((value) => (value === null ? null : String(value)))),
    };
  } catch (error) {
    const databaseError = error as { code?: string; message?: string };
    return { ok: false, sqlstate: databaseError.code ?? 'client-side', message: databaseError.message ?? String(error) };
  }
}

function commandTag(result: pg.QueryResult): string {
  if (!result.command) return '';
  // node-postgres drops INSERT's oid (always 0): put it back so the tag reads as on the wire.
  if (result.command === 'INSERT') return `INSERT 0 ${result.rowCount}`;
  return result.rowCount === null || result.rowCount === undefined ? result.command : `${result.command} ${result.rowCount}`;
}

const rowKey = (row: ReadonlyArray<string | null>) => JSON.stringify(row);

export function describeOutcome(outcome: Outcome, rowLimit = 10): string {
  if (!outcome.ok) return `ERROR ${outcome.sqlstate}: ${outcome.message}`;
  const header = outcome.fields.map((field) => `${field.name}:${field.typeOid}`).join(', ');
  const rows = outcome.rows.slice(0, rowLimit).map((row) => `    ${rowKey(row)}`);
  if (outcome.rows.length > rowLimit) rows.push(`    … ${outcome.rows.length - rowLimit} more`);
  return [`${outcome.commandTag}${header ? ` [${header}]` : ''}`, ...rows].join('\n');
}

/** The differences between two outcomes of one statement, in words (empty when they agree). */
export function compareOutcomes(reference: Outcome, candidate: Outcome, ordered: boolean): string[] {
  if (!reference.ok || !candidate.ok) {
    if (!reference.ok && !candidate.ok) {
      return reference.sqlstate === candidate.sqlstate ? [] : [`SQLSTATE ${reference.sqlstate} expected, got ${candidate.sqlstate}`];
    }
    return reference.ok
      ? [`expected success (${reference.commandTag}), got ERROR ${(candidate as { sqlstate: string }).sqlstate}: ${(candidate as { message: string }).message}`]
      : [`expected ERROR ${reference.sqlstate} (${reference.message}), got success (${(candidate as { commandTag: string }).commandTag})`];
  }
  const differences: string[] = [];
  if (reference.commandTag !== candidate.commandTag) {
    differences.push(`command tag ${JSON.stringify(reference.commandTag)} expected, got ${JSON.stringify(candidate.commandTag)}`);
  }
  const referenceColumns = reference.fields.map((field) => `${field.name}:${field.typeOid}`).join(', ');
  const candidateColumns = candidate.fields.map((field) => `${field.name}:${field.typeOid}`).join(', ');
  if (referenceColumns !== candidateColumns) differences.push(`columns [${referenceColumns}] expected, got [${candidateColumns}]`);
  const referenceRows = reference.rows.map(rowKey);
  const candidateRows = candidate.rows.map(rowKey);
  if (!ordered) {
    referenceRows.sort();
    candidateRows.sort();
  }
  if (referenceRows.length !== candidateRows.length) {
    differences.push(`${referenceRows.length} rows expected, got ${candidateRows.length}`);
  }
  const shown: string[] = [];
  for (let index = 0; index < Math.max(referenceRows.length, candidateRows.length) && shown.length < 5; index++) {
    if (referenceRows[index] !== candidateRows[index]) {
      shown.push(`row ${index + 1}${ordered ? '' : ' (sorted)'}: expected ${referenceRows[index] ?? '(none)'}, got ${candidateRows[index] ?? '(none)'}`);
    }
  }
  differences.push(...shown);
  return differences;
}

/** Runs the statements in order on both connections (each pair before the next) and compares. */
export async function runDifferential(
  statements: readonly Statement[],
  reference: pg.Client,
  candidate: pg.Client,
): Promise<DifferentialReport> {
  await loadParser();
  const mismatches: Mismatch[] = [];
  for (const [index, statement] of statements.entries()) {
    const text = statementText(statement);
    const referenceOutcome = await execute(reference, statement);
    const candidateOutcome = await execute(candidate, statement);
    const differences = compareOutcomes(referenceOutcome, candidateOutcome, hasTopLevelOrderBy(text));
    if (differences.length > 0) {
      mismatches.push({ index, statement: text, differences, reference: referenceOutcome, candidate: candidateOutcome });
    }
  }
  return { statements: statements.length, mismatches };
}

export function formatReport(report: DifferentialReport, referenceName = 'PostgreSQL', candidateName = 'Cambium'): string {
  if (report.mismatches.length === 0) return `${report.statements} statements, all agree`;
  const lines = [`${report.mismatches.length} of ${report.statements} statements disagree:`];
  for (const mismatch of report.mismatches) {
    lines.push(`#${mismatch.index + 1}: ${mismatch.statement}`);
    for (const difference of mismatch.differences) lines.push(`  - ${difference}`);
    lines.push(`  ${referenceName}: ${describeOutcome(mismatch.reference, 5).replace(/\n/g, '\n  ')}`);
    lines.push(`  ${candidateName}: ${describeOutcome(mismatch.candidate, 5).replace(/\n/g, '\n  ')}`);
  }
  return lines.join('\n');
}
