// `node dist/test/differential/querygen-cli.js [--seed N] [--per-class N] [--class C] [--show N]
//  [--target host:port] [--print]`: validates the generator against a fresh PostgreSQL 15, and with
// --target compares a running server (e.g. Cambium) with it, printing per-class agreement and the
// first disagreements. --print only prints the queries.
import { featureClasses, generateQueries, type FeatureClass } from './querygen/index.js';
import { formatReport, loadSchema, runDifferential } from './differential-run.js';
import { startPostgres } from '../harness/postgres.js';
import { connectAsText } from './runner.js';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const seed = Number(option('seed') ?? 1);
const perClass = Number(option('per-class') ?? 50);
const classes = option('class') ? (option('class')!.split(',') as FeatureClass[]) : [...featureClasses];
const show = Number(option('show') ?? 10);

if (process.argv.includes('--print')) {
  for (const query of generateQueries({ seed, perClass, classes })) console.log(`-- ${query.id}${query.ordered ? '' : ' (unordered)'}\n${query.sql};`);
  process.exit(0);
}

const postgres = await startPostgres({ fsync: false, synchronousCommit: false });
try {
  const oracle = await connectAsText(postgres);
  const schemaFailures = await loadSchema(oracle);
  if (schemaFailures.length > 0) throw new Error(`schema failed on PostgreSQL: ${schemaFailures.join('\n')}`);
  let target;
  const targetAddress = option('target');
  if (targetAddress) {
    const [host, port] = targetAddress.split(':');
    target = await connectAsText({ host: host!, port: Number(port), user: 'postgres', database: 'postgres' });
    const failures = await loadSchema(target);
    if (failures.length > 0) console.log(`target rejected schema statements:\n${failures.join('\n')}`);
  }
  if (process.argv.includes('--self-check')) {
    // The same PostgreSQL with other plan shapes: a generated query whose answer changes with the
    // plan is not deterministic (a tie left unordered), which would blame Cambium unfairly.
    target = await connectAsText(postgres);
    for (const setting of ['enable_hashagg', 'enable_hashjoin', 'enable_mergejoin', 'enable_indexscan', 'enable_bitmapscan', 'enable_memoize', 'enable_material']) {
      await target.query(`SET ${setting} = off`);
    }
    await target.query("SET work_mem = '64kB'");
    await target.query('SET enable_nestloop = on');
  }
  const report = await runDifferential({ seed, perClass, classes, oracle, target });
  console.log(`${report.invalid.length} invalid queries (generator defects) in ${report.elapsedMs} ms`);
  for (const { query, reason } of report.invalid.slice(0, show)) console.log(`\n-- ${query.id}: ${reason}\n${query.sql}`);
  if (target) {
    console.log(formatReport(report));
    for (const { query, reason } of report.disagreements.slice(0, show)) console.log(`\n-- ${query.id}: ${reason}\n${query.sql}`);
    await target.end();
  }
  await oracle.end();
} finally {
  await postgres.stop();
}
