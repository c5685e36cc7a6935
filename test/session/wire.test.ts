// The SQL layer over the real wire server with node-postgres: DDL/DML/constraints, extended
// protocol parameter inference (pgbench's statements send no parameter types), type round trips
// in text and binary, COPY through pg-copy-streams-free simple COPY, transaction status.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Server } from '../../src/server/index.js';
import { openDatabaseServer } from '../../src/session/index.js';
import type { SessionFactory } from '../../src/session/contract.js';
import { createLogger } from '../../src/util/log.js';

describe('SQL over the wire (node-postgres)', function () {
  let dir: string;
  let factory: SessionFactory;
  let server: Server;
  let client: pg.Client;
  let port: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cambium-wire-sql-'));
    factory = await openDatabaseServer({ dataDir: dir });
    server = new Server(factory, { port: 0, host: '127.0.0.1', logger: createLogger('test', 'silent') });
    port = (await server.listen()).port;
    client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await client.connect();
  });
  after(async () => {
    await client.end();
    await server.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs DDL, DML and reports constraint errors with SQLSTATE, detail, table and constraint', async () => {
    await client.query('create table accounts (aid int primary key, bid int not null, abalance int, filler char(10))');
    await client.query("insert into accounts values (1, 1, 0, 'a'), (2, 1, 10, 'b')");
    const error = await client.query('insert into accounts values (1, 1, 0, null)').catch((e: unknown) => e as pg.DatabaseError);
    expect(error).to.be.instanceOf(Error);
    const dbError = error as pg.DatabaseError;
    expect(dbError.code).to.equal('23505');
    expect(dbError.detail).to.equal('Key (aid)=(1) already exists.');
    expect(dbError.constraint).to.equal('accounts_pkey');
    expect(dbError.table).to.equal('accounts');
    const syntax = await client.query('selec 1').catch((e: unknown) => e as pg.DatabaseError);
    expect((syntax as pg.DatabaseError).code).to.equal('42601');
    expect((syntax as pg.DatabaseError).position).to.equal('1');
  });

  it('infers parameter types like PostgreSQL (pgbench extended mode)', async () => {
    const update = await client.query('UPDATE accounts SET abalance = abalance + $1 WHERE aid = $2;', ['-5', '2']);
    expect(update.rowCount).to.equal(1);
    const select = await client.query({ text: 'SELECT abalance FROM accounts WHERE aid = $1;', values: [2] });
    expect(select.rows).to.deep.equal([{ abalance: 5 }]);
    expect(select.fields[0]!.dataTypeID).to.equal(23);
    const prepared = { name: 'p_sel', text: 'SELECT aid, filler FROM accounts WHERE aid = $1', values: [1] };
    expect((await client.query(prepared)).rows).to.deep.equal([{ aid: 1, filler: 'a         ' }]);
    expect((await client.query({ ...prepared, values: [2] })).rows).to.deep.equal([{ aid: 2, filler: 'b         ' }]);
  });

  it('round-trips values in text and binary formats', async () => {
    const text = await client.query("select 1::int2 as a, 2::int4 as b, 3::int8 as c, 1.5::float8 as d, 12.340::numeric as e, true as f, 'x'::varchar(3) as g, '\\x0102'::bytea as h");
    expect(text.rows[0]).to.deep.equal({ a: 1, b: 2, c: '3', d: 1.5, e: '12.340', f: true, g: 'x', h: Buffer.from([1, 2]) });
    const binary = await client.query({ text: 'select $1::int4 as a, $2::int8 as b, $3::text as c, $4::bool as d, $5::float8 as e', values: [7, '9000000000', 'héllo', true, 2.25], binary: true } as pg.QueryConfig);
    // node-postgres decodes binary int4/int8/text/bool/float8 itself.
    expect(binary.rows[0]).to.deep.equal({ a: 7, b: '9000000000', c: 'héllo', d: true, e: 2.25 });
  });

  it('reports transaction status through BEGIN / COMMIT and rolls back failed blocks', async () => {
    await client.query('begin');
    await client.query("insert into accounts values (3, 1, 0, 'c')");
    const failed = await client.query('select 1/0').catch((e: unknown) => e as pg.DatabaseError);
    expect((failed as pg.DatabaseError).code).to.equal('22012');
    const aborted = await client.query('select 1').catch((e: unknown) => e as pg.DatabaseError);
    expect((aborted as pg.DatabaseError).code).to.equal('25P02');
    await client.query('rollback');
    expect((await client.query('select count(*)::int as n from accounts')).rows).to.deep.equal([{ n: 2 }]);
  });

  it('gives each connection its own prepared statements and snapshot', async () => {
    const other = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await other.connect();
    try {
      await client.query('begin isolation level repeatable read');
      expect((await client.query('select abalance from accounts where aid = 1')).rows).to.deep.equal([{ abalance: 0 }]);
      await other.query('update accounts set abalance = 100 where aid = 1');
      expect((await client.query('select abalance from accounts where aid = 1')).rows).to.deep.equal([{ abalance: 0 }]);
      await client.query('commit');
      expect((await client.query('select abalance from accounts where aid = 1')).rows).to.deep.equal([{ abalance: 100 }]);
    } finally {
      await other.end();
    }
  });
});
