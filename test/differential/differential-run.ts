// Runs generated queries on PostgreSQL (the oracle) and on a target server, class by class, and
// tallies agreement. With no target it only validates the generator: every query of a normal class
// must succeed on PostgreSQL, and every errors-class query must fail with its expected SQLSTATE.
import type pg from 'pg';
import { featureClasses, generateQueries, schemaStatements, type FeatureClass, type GeneratedQuery } from './querygen/index.js';
import { compareOutcomes, execute, type Outcome } from './runner.js';

export interface ClassTally {
  total: number;
  agreed: number;
}

export interface Disagreement {
  readonly query: GeneratedQuery;
  readonly reason: string;
}

export interface DifferentialReport {
  readonly tallies: Map<FeatureClass, ClassTally>;
  /** Generator defects: PostgreSQL rejected a query it should run (or raised another SQLSTATE). */
  readonly invalid: Disagreement[];
  readonly disagreements: Disagreement[];
  readonly elapsedMs: number;
}

/** Loads the differential schema; returns the statements the server rejected. */
export async function loadSchema(client: pg.Client): Promise<string[]> {
  const failures: string[] = [];
  for (const statement of schemaStatements()) {
    const outcome = await execute(client, statement);
    if (!outcome.ok) failures.push(`${statement.slice(0, 80)}…: ${outcome.sqlstate} ${outcome.message}`);
  }
  return failures;
}

export function validateAgainstOracle(query: GeneratedQuery, outcome: Outcome): string | undefined {
  if (query.expectedSqlState) {
    if (outcome.ok) return `expected SQLSTATE ${query.expectedSqlState}, PostgreSQL answered`;
    if (outcome.sqlstate !== query.expectedSqlState) return `expected SQLSTATE ${query.expectedSqlState}, PostgreSQL raised ${outcome.sqlstate}: ${outcome.message}`;
    return undefined;
  }
  return outcome.ok ? undefined : `PostgreSQL raised ${outcome.sqlstate}: ${outcome.message}`;
}

export interface RunOptions {
  seed: number;
  perClass: number;
  classes?: readonly FeatureClass[];
  oracle: pg.Client;
  target?: pg.Client;
  /** Reconnects the target after a query broke its connection. */
  reconnectTarget?: () => Promise<pg.Client>;
}

export async function runDifferential(options: RunOptions): Promise<DifferentialReport> {
  const started = Date.now();
  const tallies = new Map<FeatureClass, ClassTally>();
  const invalid: Disagreement[] = [];
  const disagreements: Disagreement[] = [];
  let target = options.target;
  for (const featureClass of options.classes ?? featureClasses) tallies.set(featureClass, { total: 0, agreed: 0 });
  for (const query of generateQueries({ seed: options.seed, perClass: options.perClass, classes: options.classes })) {
    const expected = await execute(options.oracle, query.sql);
    const problem = validateAgainstOracle(query, expected);
    if (problem) {
      invalid.push({ query, reason: problem });
      continue;
    }
    if (!target) continue;
    const tally = tallies.get(query.featureClass)!;
    tally.total++;
    const actual = await execute(target, query.sql);
    const differences = compareOutcomes(expected, actual, query.ordered);
    if (differences.length === 0) tally.agreed++;
    else disagreements.push({ query, reason: differences.join('; ') });
    // A statement that broke the connection must not fail every later one.
    if (!actual.ok && actual.sqlstate === 'client-side' && options.reconnectTarget) target = await options.reconnectTarget();
  }
  return { tallies, invalid, disagreements, elapsedMs: Date.now() - started };
}

export function agreementRate(tally: ClassTally): number {
  return tally.total === 0 ? 0 : tally.agreed / tally.total;
}

export function formatReport(report: DifferentialReport): string {
  const lines = ['class                  agreed/total   rate'];
  for (const [featureClass, tally] of report.tallies) {
    lines.push(`${featureClass.padEnd(22)} ${`${tally.agreed}/${tally.total}`.padStart(12)}  ${(agreementRate(tally) * 100).toFixed(1).padStart(5)} %`);
  }
  return lines.join('\n');
}
