// Real client drivers (node-postgres, postgres.js, pg-copy-streams) against the server with the
// test double session: the protocol paths each driver takes, pipelining, cancel, COPY streams
// and output backpressure. The same drivers against the real SQL session are in drivers.test.ts.
import { expect } from 'chai';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import postgres from 'postgres';
import type { FakeSession, FakeSessionFactory } from './fake-session.js';
import { RawClient, serialize, startFakeServer } from './raw-client.js';
import type { Server } from '../../src/server/index.js';

describe('drivers over the wire (test double session)', function () {
  this.timeout(20_000);
  let server: Server;
  let factory: FakeSessionFactory;
  let port: number;

  before(async () => {
    ({ server, factory, port } = await startFakeServer());
  });
  after(async () => {
    await server.shutdown();
  });

  const newestSession = (): FakeSession => [...factory.sessions].at(-1)!;

  describe('node-postgres', () => {
    it('parameters, text and binary results, named prepared statements parsed once', async () => {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await client.connect();
      const session = newestSession();
      expect((await client.query('select $1', [41])).rows).to.deep.equal([{ value: 41 }]);
      expect((await client.query({ text: 'select $1', values: [42], binary: true } as pg.QueryConfig)).rows).to.deep.equal([{ value: 42 }]);
      const before = session.parseCalls;
      for (let index = 0; index < 5; index++) {
        expect((await client.query({ name: 'reuse', text: 'select $1', values: [index] })).rows).to.deep.equal([{ value: index }]);
      }
      expect(session.parseCalls - before).to.equal(1);
      const error = await client.query('error 23505').catch((caught: unknown) => caught as pg.DatabaseError);
      expect(error).to.include({ code: '23505', detail: 'some detail', hint: 'some hint', position: '3' });
      expect((await client.query('select 1')).rows).to.deep.equal([{ value: 1 }]);
      await client.end();
    });

    it('pg-copy-streams: COPY FROM STDIN and COPY TO STDOUT', async () => {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await client.connect();
      const session = newestSession();
      const lines = Array.from({ length: 5000 }, (_, index) => `${index}\tname ${index}\n`);
      const sink = client.query(copyFrom('copy in'));
      await pipeline(Readable.from(lines), sink);
      expect(sink.rowCount).to.equal(5000);
      expect(Buffer.concat(session.copiedIn).toString()).to.equal(lines.join(''));
      const received: Buffer[] = [];
      await pipeline(client.query(copyTo('copy out 2000')), new Writable({ write: (chunk, _encoding, done) => (received.push(chunk), done()) }));
      const text = Buffer.concat(received).toString();
      expect(text.split('\n')).to.have.length(2001);
      expect(text.startsWith('1\tline 1\n')).to.equal(true);
      expect((await client.query('select 2')).rows).to.deep.equal([{ value: 2 }]);
      await client.end();
    });
  });

  describe('postgres.js', () => {
    it('pipelines many queries, errors mid-pipeline affect only their query', async () => {
      const sql = postgres({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 1, fetch_types: false, onnotice: () => undefined });
      try {
        const results = await Promise.all(Array.from({ length: 200 }, (_, index) => sql.unsafe('select $1', [index])));
        expect(results.map((rows) => rows[0]!.value)).to.deep.equal(Array.from({ length: 200 }, (_, index) => index));
        const settled = await Promise.allSettled([sql.unsafe('select $1', [1]), sql.unsafe('error 22012'), sql.unsafe('select $1', [3])]);
        expect(settled.map((result) => result.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
        expect((settled[1] as PromiseRejectedResult).reason.code).to.equal('22012');
        const inTransaction = await sql.begin(async (transaction) => transaction.unsafe('select $1', [9]));
        expect(inTransaction[0]!.value).to.equal(9);
      } finally {
        await sql.end();
      }
    });

    it('cancels a running query (CancelRequest → 57014) and keeps the connection', async () => {
      const sql = postgres({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 1, fetch_types: false });
      try {
        await sql.unsafe('select 1');
        const query = sql.unsafe('sleep 10000');
        setTimeout(() => query.cancel(), 100);
        const started = Date.now();
        const error = (await query.catch((caught: unknown) => caught)) as { code: string };
        expect(error.code).to.equal('57014');
        expect(Date.now() - started).to.be.below(3000);
        expect((await sql.unsafe('select 5'))[0]!.value).to.equal(5);
      } finally {
        await sql.end();
      }
    });
  });

  it('stops reading input while a statement runs and queued input passes its limit', async () => {
    const client = await RawClient.ready(port);
    client.send(serialize.query('sleep 1500'));
    const block = serialize.copyData(Buffer.alloc(64 * 1024, 0x61)); // ignored outside COPY
    for (let index = 0; index < 800; index++) client.socket.write(block);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // 50 MiB written; the server holds at most ~4 MiB queued plus what the kernel buffers.
    expect(client.socket.writableLength).to.be.above(30 * 1024 * 1024);
    client.close();
  });

  it('honours backpressure: a client that stops reading stalls the producer', async () => {
    const client = await RawClient.ready(port);
    const session = newestSession();
    client.socket.pause();
    client.send(serialize.query('rows 1000000 200'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stalledAt = session.rowsProduced;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(session.rowsProduced).to.equal(stalledAt);
    expect(stalledAt).to.be.below(200_000);
    client.close();
  });
});
