// psql as a child process: -c, -f, the \d family, \l, \dn, \du, \copy, \timing, ON_ERROR_STOP.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunResult } from '../harness/processes.js';
import { psqlProgram } from '../harness/regress.js';
import { describeClient, type Target } from './targets.js';

async function psql(target: Target, args: string[], input?: string): Promise<RunResult> {
  return run(psqlProgram, ['-X', '-v', 'VERBOSITY=default', ...args], {
    env: { ...target.environment, PAGER: '', PSQL_PAGER: '', COLUMNS: '200' },
    input,
    timeoutMs: 30_000,
  });
}

async function psqlOk(target: Target, args: string[], input?: string): Promise<string> {
  const result = await psql(target, args, input);
  expect(result.code, `psql ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`).to.equal(0);
  expect(result.stderr, 'psql printed errors').not.to.match(/ERROR|FATAL|PANIC/);
  return result.stdout;
}

const schema = `
drop table if exists psql_orders;
drop table if exists psql_customers;
create table psql_customers (id int primary key, name text not null, email varchar(80) unique);
create table psql_orders (
  id bigint primary key,
  customer_id int references psql_customers (id),
  total numeric(12, 2) default 0 check (total >= 0),
  placed date
);
`;

describeClient('psql', (clientCase) => {
  clientCase('-c runs one statement and prints an aligned table', async (target) => {
    const output = await psqlOk(target, ['-c', "select 1 as one, 'two'::text as two, null::int as nothing"]);
    expect(output).to.equal(' one | two | nothing \n-----+-----+---------\n   1 | two |        \n(1 row)\n\n');
    expect(await psqlOk(target, ['-A', '-t', '-c', 'select 40 + 2'])).to.equal('42\n');
  });

  clientCase('-f runs a script and echoes command tags', async (target) => {
    const directory = mkdtempSync(join(tmpdir(), 'cambium-psql-'));
    try {
      writeFileSync(
        join(directory, 'script.sql'),
        'drop table if exists psql_script;\ncreate table psql_script (a int, b text);\n' +
          "insert into psql_script values (1, 'x'), (2, 'y');\nselect b from psql_script order by a desc;\ndrop table psql_script;\n",
      );
      const output = await psqlOk(target, ['-q', '-f', join(directory, 'script.sql')]);
      expect(output).to.equal(' b \n---\n y\n x\n(2 rows)\n\n');
      const tags = await psqlOk(target, ['-f', join(directory, 'script.sql')]);
      expect(tags.split('\n').filter((line) => /^[A-Z]+( [A-Z]+)*( \d+)*$/.test(line))).to.deep.equal([
        'DROP TABLE',
        'CREATE TABLE',
        'INSERT 0 2',
        'DROP TABLE',
      ]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  clientCase('ON_ERROR_STOP stops at the first error with exit code 3', async (target) => {
    const script = 'select 1 as before;\nselect * from no_such_table;\nselect 2 as after;\n';
    const stopping = await psql(target, ['-v', 'ON_ERROR_STOP=1', '-A', '-t'], script);
    expect(stopping.code).to.equal(3);
    expect(stopping.stdout).to.equal('1\n');
    expect(stopping.stderr).to.match(/ERROR: {2}relation "no_such_table" does not exist/);
    const continuing = await psql(target, ['-A', '-t'], script);
    expect(continuing.code).to.equal(0);
    expect(continuing.stdout).to.equal('1\n2\n');
  });

  clientCase('\\dt and \\d describe tables like PostgreSQL', async (target) => {
    await psqlOk(target, ['-q', '-c', schema.replace(/\n/g, ' ')]);
    const listing = await psqlOk(target, ['-c', '\\dt psql_*']);
    expect(listing).to.contain('public | psql_customers | table | postgres');
    expect(listing).to.contain('public | psql_orders    | table | postgres');
    const described = await psqlOk(target, ['-c', '\\d psql_orders']);
    expect(described).to.contain('Table "public.psql_orders"');
    expect(described).to.match(/ customer_id +\| integer +\|/);
    expect(described).to.match(/ total +\| numeric\(12,2\) +\| +\| +\| 0/);
    expect(described).to.contain('"psql_orders_pkey" PRIMARY KEY, btree (id)');
    expect(described).to.contain('FOREIGN KEY (customer_id) REFERENCES psql_customers(id)');
    if (target.reference) {
      for (const command of ['\\dt psql_*', '\\d psql_orders', '\\d psql_customers', '\\d+ psql_customers']) {
        expect(await psqlOk(target, ['-c', command]), command).to.equal(await psqlOk(target.reference, ['-c', command]));
      }
    }
  });

  clientCase('\\l, \\dn and \\du list databases, schemas and roles', async (target) => {
    expect(await psqlOk(target, ['-c', '\\l'])).to.match(/^ postgres +\| postgres +\| UTF8/m);
    expect(await psqlOk(target, ['-c', '\\dn'])).to.match(/^ public +\| /m);
    expect(await psqlOk(target, ['-c', '\\du'])).to.match(/^ postgres +\| Superuser/m);
  });

  clientCase('\\copy loads and unloads a table', async (target) => {
    const directory = mkdtempSync(join(tmpdir(), 'cambium-psql-'));
    try {
      const rows = Array.from({ length: 500 }, (_, index) => `${index + 1}\tname ${index + 1}\t${index % 7 === 0 ? '\\N' : `n${index}@example.com`}`);
      writeFileSync(join(directory, 'in.tsv'), `${rows.join('\n')}\n`);
      await psqlOk(target, ['-q', '-c', 'drop table if exists psql_copy', '-c', 'create table psql_copy (id int primary key, name text, email text)']);
      const loaded = await psqlOk(target, ['-c', `\\copy psql_copy from '${join(directory, 'in.tsv')}'`]);
      expect(loaded).to.equal('COPY 500\n');
      expect(await psqlOk(target, ['-A', '-t', '-c', 'select count(*), count(email), sum(id) from psql_copy'])).to.equal('500|428|125250\n');
      const unloaded = await psqlOk(target, ['-c', `\\copy (select * from psql_copy order by id) to '${join(directory, 'out.tsv')}'`]);
      expect(unloaded).to.equal('COPY 500\n');
      expect(readFileSync(join(directory, 'out.tsv'), 'utf8')).to.equal(readFileSync(join(directory, 'in.tsv'), 'utf8'));
      await psqlOk(target, ['-q', '-c', 'drop table psql_copy']);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  clientCase('\\timing reports how long each statement took', async (target) => {
    const output = await psqlOk(target, ['-A', '-t'], '\\timing on\nselect 7;\n');
    expect(output).to.match(/^Timing is on\.\n7\nTime: \d+\.\d{3} ms\n$/);
  });
});
