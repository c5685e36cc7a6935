// `npm run bench [-- SUITE…] [--quick] [--profile]`: runs Cambium side by side with PostgreSQL 15
// (same machine, same durability), prints a table per suite, writes bench/results/<time>.json and
// regenerates docs/performance.md with its charts.
import { defaultBenchPaths, runBench } from './lib/run.js';
import { suites } from './suites.js';

const args = process.argv.slice(2);
const flags = new Set(args.filter((arg) => arg.startsWith('--')));
const known = new Set(['--quick', '--profile', '--smoke', '--help']);
const unknownFlags = [...flags].filter((flag) => !known.has(flag));
if (flags.has('--help') || unknownFlags.length > 0) {
  if (unknownFlags.length > 0) console.error(`unknown option ${unknownFlags.join(', ')}`);
  console.log(`usage: npm run bench -- [SUITE…] [--quick] [--profile] [--smoke]
suites: ${suites.map((suite) => `${suite.name} (${suite.description})`).join('; ')}
  --quick    small data and short runs (minutes, not tens of minutes)
  --profile  run the Cambium server with --cpu-prof; profiles land in bench/results/profiles/
  --smoke    the CI smoke version (seconds); does not touch docs/performance.md`);
  process.exit(unknownFlags.length > 0 ? 2 : 0);
}
const smoke = flags.has('--smoke');
try {
  await runBench({
    suites: args.filter((arg) => !arg.startsWith('--')),
    quick: flags.has('--quick'),
    smoke,
    profile: flags.has('--profile'),
    ...defaultBenchPaths,
    documentPath: smoke ? null : defaultBenchPaths.documentPath,
    log: (line) => console.log(line),
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
