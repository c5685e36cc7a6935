// One bench run: start both servers, run the chosen suites, print their tables, write the
// results JSON and regenerate docs/performance.md. Used by bench/main.ts and the CI smoke test.
import { join } from 'node:path';
import { repositoryRoot } from '../../test/harness/cambium.js';
import { postgresBinDir } from '../../test/harness/postgres.js';
import { suites as registeredSuites } from '../suites.js';
import { describeMachine } from './machine.js';
import { writePerformanceDoc } from './performance-doc.js';
import { formatSuiteTable, writeResults, type BenchResults } from './report.js';
import { startBenchServers } from './servers.js';
import { failedMeasurement, type BenchContext, type Suite, type SuiteResult } from './suite.js';

export interface BenchOptions {
  suites: readonly string[];
  quick: boolean;
  smoke: boolean;
  profile: boolean;
  resultsDirectory: string;
  /** Where docs/performance.md goes; null leaves the docs alone (smoke test). */
  documentPath: string | null;
  chartDirectory: string;
  log(line: string): void;
  suiteRegistry?: readonly Suite[];
}

export const defaultBenchPaths = {
  resultsDirectory: join(repositoryRoot, 'bench', 'results'),
  documentPath: join(repositoryRoot, 'docs', 'performance.md'),
  chartDirectory: join(repositoryRoot, 'docs', 'performance'),
};

export async function runBench(options: BenchOptions): Promise<{ results: BenchResults; resultsPath: string }> {
  const registry = options.suiteRegistry ?? registeredSuites;
  const unknown = options.suites.filter((name) => !registry.some((suite) => suite.name === name));
  if (unknown.length > 0) throw new Error(`unknown suite ${unknown.join(', ')}; known: ${registry.map((suite) => suite.name).join(', ')}`);
  const chosen = options.suites.length > 0 ? registry.filter((suite) => options.suites.includes(suite.name)) : registry;
  const startedAt = new Date();
  const profileDirectory = options.profile ? join(options.resultsDirectory, 'profiles', startedAt.toISOString().replace(/[:.]/g, '-')) : undefined;
  const servers = await startBenchServers({ profileDirectory });
  options.log(
    `PostgreSQL ${servers.postgres.version} on port ${servers.postgres.port}; ` +
      (servers.cambium ? `Cambium on port ${servers.cambium.port}` : `Cambium unavailable: ${servers.cambiumUnavailable}`),
  );
  const suiteResults: SuiteResult[] = [];
  try {
    const context: BenchContext = {
      quick: options.quick || options.smoke,
      smoke: options.smoke,
      profile: options.profile,
      profileDirectory,
      postgres: servers.postgres,
      cambium: servers.cambium,
      cambiumUnavailable: servers.cambiumUnavailable,
      log: options.log,
    };
    for (const suite of chosen) {
      options.log(`running suite ${suite.name}: ${suite.description}`);
      const started = performance.now();
      let result: SuiteResult;
      try {
        result = await suite.run(context);
      } catch (error) {
        // A suite that crashes still leaves a row saying so; the other suites go on.
        result = { suite: suite.name, metrics: [{ name: 'suite', unit: '', better: 'higher', cambium: failedMeasurement(error), postgres: failedMeasurement(error) }] };
      }
      result.elapsedSeconds = (performance.now() - started) / 1000;
      suiteResults.push(result);
      options.log(`\n${formatSuiteTable(result)}\n`);
    }
  } finally {
    await servers.stop();
  }
  if (profileDirectory) options.log(`Cambium CPU profile(s) in ${profileDirectory} (open in Chrome DevTools / speedscope)`);
  const results: BenchResults = {
    formatVersion: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    quick: options.quick || options.smoke,
    smoke: options.smoke,
    machine: describeMachine(postgresBinDir),
    durability: 'PostgreSQL fsync=on synchronous_commit=on full_page_writes=on; Cambium durable commits',
    cambiumUnavailable: servers.cambiumUnavailable,
    profileDirectory,
    suites: suiteResults,
  };
  const resultsPath = writeResults(options.resultsDirectory, results);
  options.log(`results written to ${resultsPath}`);
  if (options.documentPath) {
    writePerformanceDoc(options.resultsDirectory, options.documentPath, options.chartDirectory);
    options.log(`${options.documentPath} regenerated`);
  }
  return { results, resultsPath };
}
