// sql/<name>.sql through psql: PostgreSQL 15 must reproduce sql/expected/<name>.out (so the
// expected files are known-good and current), and Cambium must match it (gated: sql/<name>).
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { cambiumOrSkip } from '../harness/cambium.js';
import { gatedOnCambium } from '../harness/gates.js';
import { sharedPostgres } from '../harness/postgres.js';
import { expectedOutputPath, readExpectedOutput, regressionScripts, runRegressionScript } from '../harness/regress.js';
import { lineDiff } from '../harness/text-diff.js';

function expectSameOutput(name: string, actual: string, server: string): void {
  const expected = readExpectedOutput(name);
  if (actual !== expected) {
    expect.fail(`${server} output of sql/${name}.sql differs from sql/expected/${name}.out (- expected, + actual):\n${lineDiff(expected, actual)}`);
  }
}

describe('sql/ regression scripts', function () {
  this.timeout(60_000);
  for (const name of regressionScripts()) {
    describe(name, () => {
      it('PostgreSQL 15 reproduces the expected output', async () => {
        if (!existsSync(expectedOutputPath(name))) expect.fail(`sql/expected/${name}.out is missing: run npm run sql:expected`);
        expectSameOutput(name, await runRegressionScript(await sharedPostgres(), name), 'PostgreSQL');
      });

      it('Cambium matches the expected output', async function () {
        const cambium = await cambiumOrSkip(this);
        await gatedOnCambium(this, `sql/${name}`, async () => expectSameOutput(name, await runRegressionScript(cambium, name), 'Cambium'));
      });
    });
  }
});
