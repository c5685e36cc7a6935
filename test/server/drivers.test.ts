// node-postgres (with pg-copy-streams) and postgres.js against the real server: first on
// PostgreSQL 15 (so each case is known-good), then on Cambium (`cambium serve` as a child
// process, the real SessionFactory), gated by test/cambium-enabled.txt as
// clients/node-postgres/<case> and clients/postgres.js/<case>.
import { expect } from 'chai';
import { connect } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { serialize } from 'pg-protocol';
import postgres from 'postgres';
import { describeClient, type Target } from '../clients/targets.js';

async function pgClient(target: Target, options: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const client = new pg.Client({ host: target.server.host, port: target.server.port, user: target.server.user, database: target.database, ...options });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function withPg<T>(target: Target, body: (client: pg.Client) => Promise<T>, options: Partial<pg.ClientConfig> = {}): Promise<T> {
  const client = await pgClient(target, options);
  try {
    return await body(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A CancelRequest on a fresh connection, as libpq's PQcancel sends it. */
async function sendCancelRequest(target: Target, processId: number, secretKey: number): Promise<void> {
  const socket = connect({ host: target.server.host, port: target.server.port });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.end(serialize.cancel(processId, secretKey));
  await new Promise((resolve) => socket.once('close', resolve));
}

function failure(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => {
      throw new Error('expected the query to fail');
    },
    (error: unknown) => error,
  );
}

describeClient('node-postgres', (clientCase) => {
  clientCase('parameters in, text and binary results out', async (target) => {
    await withPg(target, async (client) => {
      await client.query('drop table if exists wire_values');
      await client.query('create table wire_values (i int, b bigint, s text, f float8, ok boolean, raw bytea, n numeric(10,2), d date)');
      const values = [7, '9007199254740993', "it's ünïcode", 2.5, true, Buffer.from([0, 1, 255]), '12.50', '2024-02-29'];
      const inserted = await client.query('insert into wire_values values ($1, $2, $3, $4, $5, $6, $7, $8)', values);
      expect(inserted.rowCount).to.equal(1);
      await client.query('insert into wire_values (i, s) values ($1, $2)', [null, null]);
      const text = await client.query('select i, b, s, f, ok, raw, n, d::text as d from wire_values order by i nulls last');
      expect(text.rows[0]).to.deep.equal({ i: 7, b: '9007199254740993', s: "it's ünïcode", f: 2.5, ok: true, raw: Buffer.from([0, 1, 255]), n: '12.50', d: '2024-02-29' });
      expect(text.rows[1]).to.deep.include({ i: null, s: null, b: null });
      expect(text.fields.map((field) => field.dataTypeID)).to.deep.equal([23, 20, 25, 701, 16, 17, 1700, 25]);
      const binary = await client.query({ text: 'select i, b, s, f, ok from wire_values where i = $1', values: [7], binary: true } as pg.QueryConfig);
      expect(binary.rows).to.deep.equal([{ i: 7, b: '9007199254740993', s: "it's ünïcode", f: 2.5, ok: true }]);
    });
  });

  clientCase('prepared statements are reused across executions', async (target) => {
    await withPg(target, async (client) => {
      for (let index = 0; index < 20; index++) {
        const result = await client.query({ name: 'wire_add', text: 'select $1::int + $2::int as sum', values: [index, 100] });
        expect(result.rows).to.deep.equal([{ sum: index + 100 }]);
      }
      const error = await failure(client.query({ name: 'wire_add', text: 'select $1::int + $2::int as sum', values: ['x', 1] }));
      expect(error.code).to.equal('22P02');
      expect((await client.query({ name: 'wire_add', text: 'select $1::int + $2::int as sum', values: [1, 2] })).rows).to.deep.equal([{ sum: 3 }]);
    });
  });

  clientCase('transactions: commit, rollback, 25P02 until ROLLBACK', async (target) => {
    await withPg(target, async (client) => {
      await client.query('drop table if exists wire_accounts');
      await client.query('create table wire_accounts (id int primary key, balance int not null)');
      await client.query('begin');
      await client.query('insert into wire_accounts values (1, 100), (2, 50)');
      await client.query('commit');
      await client.query('begin');
      await client.query('update wire_accounts set balance = balance - 30 where id = 1');
      await client.query('rollback');
      expect((await client.query('select balance from wire_accounts where id = 1')).rows).to.deep.equal([{ balance: 100 }]);
      await client.query('begin');
      expect((await failure(client.query('insert into wire_accounts values (1, 0)'))).code).to.equal('23505');
      expect((await failure(client.query('select 1'))).code).to.equal('25P02');
      await client.query('rollback');
      expect((await client.query('select count(*)::int as n from wire_accounts')).rows).to.deep.equal([{ n: 2 }]);
    });
  });

  clientCase('errors carry SQLSTATE and position; the connection stays usable', async (target) => {
    await withPg(target, async (client) => {
      expect((await failure(client.query('select 1/0'))).code).to.equal('22012');
      const syntax = await failure(client.query('select * fro wire_values'));
      expect(syntax.code).to.equal('42601');
      expect(syntax.position).to.equal('10');
      expect((await failure(client.query('select * from wire_no_such_table'))).code).to.equal('42P01');
      expect((await failure(client.query('select $1::int', ['abc']))).code).to.equal('22P02');
      expect((await client.query('select 2 as two')).rows).to.deep.equal([{ two: 2 }]);
    });
  });

  clientCase('cancel stops a running statement with 57014', async (target) => {
    await withPg(target, async (client) => {
      const running = failure(client.query('select pg_sleep(20)'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      await sendCancelRequest(target, (client as any).processID, (client as any).secretKey);
      const error = await running;
      expect(error.code).to.equal('57014');
      expect(Date.now() - started).to.be.below(5000);
      expect((await client.query('select 3 as three')).rows).to.deep.equal([{ three: 3 }]);
    });
  });

  clientCase('COPY FROM STDIN and TO STDOUT through pg-copy-streams (text and CSV)', async (target) => {
    await withPg(target, async (client) => {
      await client.query('drop table if exists wire_copy');
      await client.query('create table wire_copy (id int, name text)');
      const lines = Array.from({ length: 3000 }, (_, index) => `${index}\tname ${index}\n`);
      const copyIn = client.query(copyFrom('copy wire_copy from stdin'));
      await pipeline(Readable.from(lines), copyIn);
      expect(copyIn.rowCount).to.equal(3000);
      const csvIn = client.query(copyFrom("copy wire_copy from stdin with (format csv, header true)"));
      await pipeline(Readable.from(['id,name\n', '5000,"quoted, name"\n']), csvIn);
      expect((await client.query('select count(*)::int as n from wire_copy')).rows).to.deep.equal([{ n: 3001 }]);
      const received: Buffer[] = [];
      await pipeline(client.query(copyTo('copy (select id, name from wire_copy order by id) to stdout with (format csv)')), new Writable({ write: (chunk, _encoding, done) => (received.push(chunk), done()) }));
      const text = Buffer.concat(received).toString();
      expect(text.split('\n')).to.have.length(3002);
      expect(text.endsWith('5000,"quoted, name"\n')).to.equal(true);
      const bad = await failure(pipeline(Readable.from(['1\tx\n', 'not-a-number\ty\n']), client.query(copyFrom('copy wire_copy from stdin'))));
      expect(bad.code).to.equal('22P02');
      expect((await client.query('select count(*)::int as n from wire_copy')).rows).to.deep.equal([{ n: 3001 }]);
    });
  });

  clientCase('statement_timeout cancels a slow statement with 57014', async (target) => {
    await withPg(target, async (client) => {
      await client.query("set statement_timeout = '200ms'");
      expect((await failure(client.query('select pg_sleep(5)'))).code).to.equal('57014');
      await client.query('reset statement_timeout');
      expect((await client.query("select current_setting('statement_timeout') as t")).rows).to.deep.equal([{ t: '0' }]);
    });
  });
});

describeClient('postgres.js', (clientCase) => {
  const connect = (target: Target, options: postgres.Options<{}> = {}) =>
    postgres({ host: target.server.host, port: target.server.port, user: target.server.user, database: target.database, max: 1, onnotice: () => undefined, ...options });

  clientCase('connects with default options (fetches array types) and round-trips arrays', async (target) => {
    const sql = connect(target);
    try {
      const [row] = await sql`select ${[1, 2, 3]}::int[] as numbers, ${'x'}::text as letter`;
      expect(row).to.deep.equal({ numbers: [1, 2, 3], letter: 'x' });
    } finally {
      await sql.end();
    }
  });

  clientCase('receives the ParameterStatus set PostgreSQL 15 sends, with a 15.x server_version', async (target) => {
    const sql = connect(target, { fetch_types: false, connection: { application_name: 'wire-test' } });
    try {
      await sql`select 1`;
      const parameters = sql.parameters as Record<string, string>;
      expect(parameters.server_version).to.match(/^15\./);
      expect(parameters).to.include({ server_encoding: 'UTF8', client_encoding: 'UTF8', integer_datetimes: 'on', standard_conforming_strings: 'on', application_name: 'wire-test' });
      const names = Object.keys(parameters).sort();
      if (target.reference) {
        const reference = connect(target.reference, { fetch_types: false });
        try {
          await reference`select 1`;
          expect(names).to.deep.equal(Object.keys(reference.parameters as Record<string, string>).sort());
        } finally {
          await reference.end();
        }
      } else {
        expect(names).to.include.members(['DateStyle', 'IntervalStyle', 'TimeZone', 'is_superuser', 'session_authorization']);
      }
    } finally {
      await sql.end();
    }
  });

  clientCase('pipelines many queries on one connection; errors mid-pipeline fail only their query', async (target) => {
    const sql = connect(target, { fetch_types: false });
    try {
      const results = await Promise.all(Array.from({ length: 200 }, (_, index) => sql`select ${index}::int as v`));
      expect(results.map((rows) => rows[0]!.v)).to.deep.equal(Array.from({ length: 200 }, (_, index) => index));
      const settled = await Promise.allSettled([sql`select 1::int as v`, sql`select 1/0 as v`, sql`select ${3}::int as v`]);
      expect(settled.map((result) => result.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
      expect((settled[1] as PromiseRejectedResult).reason.code).to.equal('22012');
      expect((settled[2] as PromiseFulfilledResult<any>).value[0].v).to.equal(3);
    } finally {
      await sql.end();
    }
  });

  clientCase('prepared statements reused, transactions with sql.begin, rollback on throw', async (target) => {
    const sql = connect(target, { fetch_types: false });
    try {
      await sql`drop table if exists wire_pjs`;
      await sql`create table wire_pjs (id int primary key, name text)`;
      for (let index = 0; index < 10; index++) await sql`insert into wire_pjs values (${index}, ${`n${index}`})`;
      await sql.begin(async (transaction) => {
        await transaction`update wire_pjs set name = 'changed' where id = 1`;
      });
      await sql
        .begin(async (transaction) => {
          await transaction`update wire_pjs set name = 'lost' where id = 2`;
          throw new Error('roll back');
        })
        .catch(() => undefined);
      const rows = await sql`select id, name from wire_pjs where id in (1, 2) order by id`;
      expect(rows.map((row) => ({ ...row }))).to.deep.equal([{ id: 1, name: 'changed' }, { id: 2, name: 'n2' }]);
      const duplicate = await failure(sql`insert into wire_pjs values (1, 'dup')`);
      expect(duplicate.code).to.equal('23505');
    } finally {
      await sql.end();
    }
  });

  clientCase('query.cancel() stops a running statement with 57014', async (target) => {
    const sql = connect(target, { fetch_types: false });
    try {
      const query = sql`select pg_sleep(20)`;
      setTimeout(() => query.cancel(), 200);
      const error = await failure(query);
      expect(error.code).to.equal('57014');
      expect((await sql`select 4::int as four`)[0]!.four).to.equal(4);
    } finally {
      await sql.end();
    }
  });
});
