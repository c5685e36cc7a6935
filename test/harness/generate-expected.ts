// `npm run sql:expected [-- NAME…]`: regenerates sql/expected/<name>.out by running each
// sql/<name>.sql on a throwaway PostgreSQL 15 (the oracle). Review the diff before committing.
import { writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { startPostgres } from './postgres.js';
import { expectedDirectory, expectedOutputPath, regressionScripts, runRegressionScript } from './regress.js';

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : regressionScripts();
const server = await startPostgres({ fsync: false, synchronousCommit: false });
try {
  mkdirSync(expectedDirectory, { recursive: true });
  for (const name of names) {
    const output = await runRegressionScript(server, name);
    const path = expectedOutputPath(name);
    const previous = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    writeFileSync(path, output);
    console.log(`${previous === undefined ? 'created' : previous === output ? 'unchanged' : 'updated'} sql/expected/${name}.out`);
  }
} finally {
  await server.stop();
}
