// pgjdbc (/usr/share/java/postgresql.jar, Debian libpostgresql-jdbc-java) through JdbcCheck.java,
// compiled once per run with javac.
import { expect } from 'chai';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../harness/cambium.js';
import { registerLeftover, run } from '../harness/processes.js';
import { describeClient } from './targets.js';

const driverJar = process.env.CAMBIUM_PGJDBC_JAR ?? '/usr/share/java/postgresql.jar';
const source = join(repositoryRoot, 'test', 'clients', 'JdbcCheck.java');

let compiled: Promise<string> | undefined;
/** Compiles JdbcCheck.java into a temp directory (removed at exit) and returns that classpath entry. */
function compileCheck(): Promise<string> {
  compiled ??= (async () => {
    if (!existsSync(driverJar)) throw new Error(`${driverJar} is missing (.ci/run installs libpostgresql-jdbc-java)`);
    const directory = mkdtempSync(join(tmpdir(), 'cambium-jdbc-'));
    registerLeftover({ directory });
    const result = await run('javac', ['-cp', driverJar, '-d', directory, source], { timeoutMs: 60_000 });
    if (result.code !== 0) throw new Error(`javac failed:\n${result.stdout}\n${result.stderr}`);
    return directory;
  })();
  return compiled;
}

describeClient('pgjdbc', (clientCase) => {
  clientCase(
    'connects, prepares and reuses statements, reads metadata, handles errors',
    async (target) => {
      const classes = await compileCheck();
      const result = await run('java', ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-cp', `${driverJar}:${classes}`, 'JdbcCheck'], {
        env: target.environment,
        timeoutMs: 60_000,
      });
      expect(result.code, `${result.stdout}\n${result.stderr}`).to.equal(0);
      const report = Object.fromEntries(result.stdout.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
      expect(report).to.deep.equal({
        product: 'PostgreSQL',
        major: '15',
        batch: '10',
        reused:
          'item 1/1.25/2024-01-11,item 2/2.25/2024-01-12,item 3/3.25/2024-01-13,item 4/null/2024-01-14,' +
          'item 5/5.25/2024-01-15,item 6/6.25/2024-01-16,item 7/7.25/2024-01-17,item 8/null/2024-01-18',
        columns: 'name:text,price:numeric,added:date',
        after_rollback: '10/45.00',
        error: '23505',
        tables: 'jdbc_items',
        metadata_columns: 'id:int4:NO,name:text:NO,price:numeric:YES,added:date:YES',
      });
    },
    90_000,
  );
});
