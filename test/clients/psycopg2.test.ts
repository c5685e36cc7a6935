// psycopg2 (Debian python3-psycopg2, run by /usr/bin/python3) through psycopg2_check.py.
import { expect } from 'chai';
import { join } from 'node:path';
import { repositoryRoot } from '../harness/cambium.js';
import { run } from '../harness/processes.js';
import { describeClient } from './targets.js';

const python = process.env.CAMBIUM_PYTHON ?? '/usr/bin/python3';
const script = join(repositoryRoot, 'test', 'clients', 'psycopg2_check.py');

describeClient('psycopg2', (clientCase) => {
  clientCase('connects, queries with parameters, reads metadata, handles errors', async (target) => {
    const result = await run(python, [script], { env: { ...target.environment, PYTHONIOENCODING: 'utf-8' }, timeoutMs: 30_000 });
    expect(result.code, `${result.stdout}\n${result.stderr}`).to.equal(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).to.deep.equal({
      server_version: 15,
      encoding: 'UTF8',
      executemany_rowcount: 2,
      row: [1, "it's", '9.99', '2024-02-29', true, 0.5],
      description: [
        ['id', 23],
        ['name', 25],
        ['price', 1700],
        ['added', 1082],
        ['flag', 16],
        ['ratio', 701],
      ],
      any: ['two', '三'],
      aggregate: [3, '8.99'],
      dict_rows: [{ id: 2, name: 'two' }],
      after_rollback: 3,
      error: '23505',
      error2: '22012',
      literals: ['x', 42, true],
    });
  });
});
