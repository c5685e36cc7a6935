// Results of a bench run: the table printed per suite, and the JSON written to bench/results/.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineDescription } from './machine.js';
import { ratioOf, type Measurement, type Metric, type SuiteResult } from './suite.js';

export interface BenchResults {
  formatVersion: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  quick: boolean;
  smoke: boolean;
  machine: MachineDescription;
  durability: string;
  cambiumUnavailable?: string;
  profileDirectory?: string;
  suites: SuiteResult[];
}

export function formatValue(value: number, unit: string): string {
  const digits = Math.abs(value) >= 1000 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toFixed(digits)} ${unit}`;
}

const cell = (measurement: Measurement | null, unit: string) =>
  measurement === null ? '—' : measurement.value === null ? 'failed' : formatValue(measurement.value, unit);

export function ratioText(metric: Metric): string {
  const ratio = ratioOf(metric);
  if (ratio === null) return 'n/a';
  const verdict = metric.targetRatio === undefined ? '' : ratio >= metric.targetRatio ? ' ✓' : ' ✗';
  return `${ratio.toFixed(2)}${verdict}`;
}

/** The rows of a suite's table: metric, Cambium, PostgreSQL, ratio, target. */
export function tableRows(result: SuiteResult): string[][] {
  return result.metrics.map((metric) => [
    metric.name,
    cell(metric.cambium, metric.unit),
    cell(metric.postgres, metric.unit),
    ratioText(metric),
    metric.targetRatio === undefined ? '' : `≥ ${metric.targetRatio.toFixed(1)}`,
  ]);
}

export const tableHeader = ['metric', 'Cambium', 'PostgreSQL 15', 'ratio', 'target'];

/** A plain-text table for the terminal, with the errors that left cells empty listed below. */
export function formatSuiteTable(result: SuiteResult): string {
  const rows = [tableHeader, ...tableRows(result)];
  const widths = tableHeader.map((_, column) => Math.max(...rows.map((row) => [...row[column]!].length)));
  const line = (row: string[]) => row.map((text, column) => text.padEnd(widths[column]!)).join('  ').trimEnd();
  const lines = [`== ${result.suite}${result.elapsedSeconds ? ` (${result.elapsedSeconds.toFixed(0)} s)` : ''}`, line(rows[0]!)];
  lines.push(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows.slice(1)) lines.push(line(row));
  const errors = new Set<string>();
  for (const metric of result.metrics) {
    if (metric.cambium.error) errors.add(`Cambium: ${metric.cambium.error}`);
    if (metric.postgres?.error) errors.add(`PostgreSQL: ${metric.postgres.error}`);
  }
  for (const error of errors) lines.push(`  ! ${error}`);
  for (const note of result.notes ?? []) lines.push(`  ${note}`);
  lines.push('  ratio: Cambium relative to PostgreSQL, ≥ 1 means Cambium is as good or better (throughput ratio, or inverse time ratio)');
  return lines.join('\n');
}

export function resultFileName(startedAt: Date): string {
  return `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
}

export function writeResults(directory: string, results: BenchResults): string {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, resultFileName(new Date(results.startedAt)));
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}

/** Every result file in the directory, oldest first. */
export function readAllResults(directory: string): BenchResults[] {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names
    .sort()
    .map((name) => JSON.parse(readFileSync(join(directory, name), 'utf8')) as BenchResults)
    .filter((results) => results.formatVersion === 1);
}
