// Runs generated queries on PostgreSQL (the oracle) and on a target server, class by class, and
// tallies agreement. With no target it only validates the generator: every query of a normal class
// must succeed on PostgreSQL, and every errors-class query must fail with its expected SQLSTATE.
import type pg from 'pg';
import { featureClasses, generateQueries, schemaStatements, type FeatureClass, type GeneratedQuery } from './querygen/index.js';
import { compareOutcomes, runQuery, type Outcome } from './outcome.js';

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
    const outcome = await runQuery(client, statement);
    if (outcome.kind === 'error') failures.push(`${statement.slice(0, 80)}…: ${outcome.sqlState} ${outcome.message}`);
  }
  return failures;
}

export function validateAgainstOracle(query: GeneratedQuery, outcome: Outcome): string | undefined {
  if (query.expectedSqlState) {
    if (outcome.kind !== 'error') return `expected SQLSTATE ${query.expectedSqlState}, PostgreSQL answered`;
    if (outcome.sqlState !== query.expectedSqlState) return `expected SQLSTATE ${query.expectedSqlState}, PostgreSQL raised ${outcome.sqlState}: ${outcome.message}`;
    return undefined;
  }
  return outcome.kind === 'error' ? `PostgreSQL raised ${outcome.sqlState}: ${outcome.message}` : undefined;
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
    const expected = await runQuery(options.oracle, query.sql);
    const problem = validateAgainstOracle(query, expected);
    if (problem) {
      invalid.push({ query, reason: problem });
      continue;
    }
    if (!target) continue;
    const tally = tallies.get(query.featureClass)!;
    tally.total++;
    const actual = await runQuery(target, query.sql);
    const verdict = compareOutcomes(expected, actual, query.ordered);
    if (verdict.agree) tally.agreed++;
    else disagreements.push({ query, reason: verdict.reason });
    if (actual.kind === 'error' && actual.sqlState === 'connection' && options.reconnectTarget) target = await options.reconnectTarget();
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
