// The benchmark suites `npm run bench [-- SUITE]` knows, in the order they run. A suite is
// { name, description, run(context): Promise<SuiteResult> } (bench/lib/suite.ts); to add one,
// write bench/<name>.ts exporting it and add one line below.
import { analyticsSuite } from './analytics.js';
import { pgbenchSuite } from './pgbench.js';
import { txnSuite } from './txn.js';
import type { Suite } from './lib/suite.js';

export const suites: Suite[] = [
  pgbenchSuite,
  analyticsSuite,
  txnSuite,
  // storage (bench/storage.ts, runStorageBench), txn, analytics, snapshots, blobs: added by their owners.
];

export function findSuite(name: string): Suite | undefined {
  return suites.find((suite) => suite.name === name);
}
