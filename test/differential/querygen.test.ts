// The random query generator and the differential run of its queries, Cambium vs PostgreSQL 15.
// Agreement is reported per class; a class falling below its checked-in baseline
// (querygen-baseline.json) fails. CAMBIUM_RATCHET=1 raises the baseline to what was measured.
import { expect } from 'chai';
import type pg from 'pg';
import { featureClasses, generateQueries, queryById, type FeatureClass } from './querygen/index.js';
import { agreementRate, formatReport, loadSchema, runDifferential, type DifferentialReport } from './differential-run.js';
import { ratchet, readBaseline, regressions } from './baseline.js';
import { cambiumOrSkip } from '../harness/cambium.js';
import { sharedPostgres, type DatabaseServer } from '../harness/postgres.js';
import { scratchDatabase } from '../harness/regress.js';
import { connectAsText } from './runner.js';

/** A fresh database for the generated queries' schema (the server's default one if it can't create databases). */
async function connectToQuerygenDatabase(server: DatabaseServer): Promise<pg.Client> {
  return connectAsText({ host: server.host, port: server.port, user: server.user, database: await scratchDatabase(server, 'querygen') });
}

describe('query generator (test/differential/querygen)', function () {
  this.timeout(120_000);
  let oracle: pg.Client;

  before(async () => {
    oracle = await connectToQuerygenDatabase(await sharedPostgres());
    const failures = await loadSchema(oracle);
    expect(failures, 'PostgreSQL rejected the differential schema').to.deep.equal([]);
  });

  after(async () => {
    await oracle?.end();
  });

  it('is reproducible: the same seed gives the same queries, and an id regenerates its query', () => {
    const first = generateQueries({ seed: 42, perClass: 20 });
    const second = generateQueries({ seed: 42, perClass: 20 });
    expect(second).to.deep.equal(first);
    expect(generateQueries({ seed: 43, perClass: 20 }).map((q) => q.sql)).to.not.deep.equal(first.map((q) => q.sql));
    for (const query of first.filter((_, index) => index % 7 === 0)) expect(queryById(query.id)).to.deep.equal(query);
  });

  it('covers every feature class of the query-language spec', () => {
    const sql = generateQueries({ seed: 1, perClass: 200 }).map((q) => q.sql).join('\n');
    const features = [
      / LEFT JOIN /, / RIGHT JOIN /, / FULL JOIN /, / CROSS JOIN /, / NATURAL /, / USING \(/, / LATERAL /, /FROM v12 /,
      / GROUP BY /, / HAVING /, / FILTER \(WHERE /, /count\(DISTINCT /, /string_agg\([^)]* ORDER BY /, /percentile_cont/, /stddev/, /bool_and|bool_or/,
      /ROLLUP|CUBE|GROUPING SETS/, /row_number\(\)/, /dense_rank\(\)/, /ntile\(/, /\blag\(/, /\blead\(/, /first_value\(/, /last_value\(/, /nth_value\(/,
      / ROWS /, / RANGE BETWEEN \d/, / GROUPS /, / EXCLUDE /, / WINDOW w/, /^WITH (?!RECURSIVE)/m, /WITH RECURSIVE/, /MATERIALIZED/,
      / IN \(SELECT /, /NOT IN \(SELECT /, /EXISTS \(/, / ALL \(SELECT /, / ANY \(SELECT /, /ARRAY\(SELECT /,
      / UNION ALL /, / INTERSECT /, / EXCEPT ALL /, /DISTINCT ON/, /NULLS FIRST/, /NULLS LAST/, / OFFSET /, /FETCH FIRST/, /WITH TIES/,
      /\(VALUES /, /generate_series/, /unnest\(/, /WITH ORDINALITY/, /CASE WHEN/, /COALESCE\(/, /NULLIF\(/, /GREATEST\(/, /LEAST\(/,
      /IS DISTINCT FROM/, /BETWEEN SYMMETRIC/, / LIKE /, / ILIKE /, /SIMILAR TO/, / ~\* /, /regexp_replace/, /split_part/, /lpad|rpad/, /format\(/,
      /extract\(/, /date_trunc/, /age\(/, /interval/, /to_char/, /now\(\)/, / ->> /, /jsonb_build_object/, / @> /, /array_length/, / && /,
    ];
    const missing = features.filter((pattern) => !pattern.test(sql)).map(String);
    expect(missing).to.deep.equal([]);
  });

  it('every generated query runs on PostgreSQL 15, and every errors-class query raises its SQLSTATE', async () => {
    const report = await runDifferential({ seed: 20261122, perClass: 60, oracle });
    const problems = report.invalid.map(({ query, reason }) => `${query.id}: ${reason}\n  ${query.sql}`);
    expect(problems).to.deep.equal([]);
  });
});

describe('differential: Cambium vs PostgreSQL 15 on generated queries', function () {
  this.timeout(180_000);
  let oracle: pg.Client | undefined;
  let target: pg.Client | undefined;

  after(async () => {
    await target?.end().catch(() => undefined);
    await oracle?.end();
  });

  it('no feature class agrees less often than its checked-in baseline', async function () {
    // Skips (with the reason printed) only when `cambium serve` cannot start at all.
    const cambium = await cambiumOrSkip(this);
    oracle = await connectToQuerygenDatabase(await sharedPostgres());
    target = await connectToQuerygenDatabase(cambium);
    expect(await loadSchema(oracle)).to.deep.equal([]);
    const rejected = await loadSchema(target);
    if (rejected.length > 0) console.log(`      Cambium rejected ${rejected.length} schema statements:\n        ${rejected.join('\n        ')}`);
    const baseline = readBaseline();
    const report: DifferentialReport = await runDifferential({
      seed: baseline.seed,
      perClass: baseline.perClass,
      oracle: oracle!,
      target: target!,
      reconnectTarget: async () => {
        await target?.end().catch(() => undefined);
        target = await connectToQuerygenDatabase(cambium);
        return target;
      },
    });
    console.log(`      ${report.tallies.size * baseline.perClass} queries in ${report.elapsedMs} ms\n${formatReport(report).replace(/^/gm, '      ')}`);
    const rates = new Map<FeatureClass, number>([...report.tallies].map(([featureClass, tally]) => [featureClass, agreementRate(tally)]));
    for (const featureClass of featureClasses) {
      const sample = report.disagreements.filter((d) => d.query.featureClass === featureClass).slice(0, 2);
      for (const { query, reason } of sample) console.log(`      ✗ ${query.id}: ${reason}\n        ${query.sql}`);
    }
    expect(report.invalid.map((d) => d.query.id), 'generator defects').to.deep.equal([]);
    if (process.env.CAMBIUM_RATCHET === '1') ratchet(baseline, rates);
    const fallen = regressions(baseline, rates).map((r) => `${r.featureClass}: ${(r.rate * 100).toFixed(1)} % < baseline ${(r.minimum * 100).toFixed(1)} %`);
    expect(fallen, 'classes below their baseline agreement').to.deep.equal([]);
  });
});
