// Fuzz: thousands of random and mutated frames over many connections while a healthy
// node-postgres client keeps querying. The server must never throw, never log an internal
// failure, keep the healthy client's answers right, and release every connection and session.
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import pg from 'pg';
import { RawClient, serialize, startFakeServer } from './raw-client.js';

/** mulberry32: a small seeded PRNG so a failure can be replayed with FUZZ_SEED. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fuzz: random and mutated frames', function () {
  this.timeout(60_000);
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

  it(`never crashes and keeps serving a healthy client (seed ${seed})`, async () => {
    const next = random(seed);
    const int = (below: number) => Math.floor(next() * below);
    const bytes = (length: number) => Buffer.from(Array.from({ length }, () => int(256)));

    const failures: string[] = [];
    const logSink = new Writable({
      write(chunk, _encoding, done) {
        const line = JSON.parse(String(chunk)) as { level: number; msg: string; err?: { message: string } };
        if (line.level >= 50) failures.push(`${line.msg}: ${line.err?.message ?? ''}`);
        done();
      },
    });
    const { server, factory, port } = await startFakeServer({ logger: pino({ level: 'error' }, logSink), maxMessageBytes: 1 << 20, authenticationTimeoutMs: 2000 });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);

    const healthy = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await healthy.connect();
    let healthyQueries = 0;
    let fuzzing = true;
    const healthyLoop = (async () => {
      while (fuzzing) {
        const value = healthyQueries++;
        const result = await healthy.query({ text: 'select $1', values: [value] });
        expect(result.rows).to.deep.equal([{ value }]);
        const simple = await healthy.query(`select ${value}`);
        expect(simple.rows).to.deep.equal([{ value }]);
      }
    })();

    const validMessages = (): Buffer[] => [
      serialize.query(['select 1', 'rows 3', 'begin', 'commit', 'copy in', 'copy out 2', '', 'notice'][int(8)]!),
      serialize.parse({ name: int(2) ? '' : 's', text: 'select $1', types: int(2) ? [] : [23] }),
      serialize.bind({ statement: int(2) ? '' : 's', values: [String(int(100))], binary: int(2) === 0 }),
      serialize.describe({ type: int(2) ? 'S' : 'P', name: '' }),
      serialize.execute({ rows: int(3) }),
      serialize.close({ type: int(2) ? 'S' : 'P', name: 's' }),
      serialize.sync(),
      serialize.flush(),
      serialize.copyData(bytes(int(20))),
      serialize.copyDone(),
      serialize.copyFail('x'),
    ];

    const mutate = (frame: Buffer): Buffer => {
      const copy = Buffer.from(frame);
      switch (int(5)) {
        case 0: // flip a byte anywhere, header included
          copy[int(copy.length)] = int(256);
          return copy;
        case 1: // truncate
          return copy.subarray(0, int(copy.length));
        case 2: // wrong length field
          if (copy.length >= 5) copy.writeInt32BE(int(3) === 0 ? -int(1000) : int(2000), 1);
          return copy;
        case 3: // random type byte
          copy[0] = int(256);
          return copy;
        default: // random garbage frame
          return bytes(1 + int(40));
      }
    };

    let frames = 0;
    const connectionsTotal = 240;
    const parallel = 8;
    const runConnection = async (index: number) => {
      const client = await RawClient.open(port);
      const chunks: Buffer[] = [];
      const mode = index % 4;
      if (mode === 0) {
        chunks.push(bytes(1 + int(60))); // garbage instead of a startup packet
        frames++;
      } else {
        if (int(4) === 0) chunks.push(serialize.requestSsl());
        chunks.push(serialize.startup({ user: 'postgres', database: 'postgres' }));
        const count = 10 + int(30);
        for (let frame = 0; frame < count; frame++) {
          const messages = validMessages();
          const message = messages[int(messages.length)]!;
          chunks.push(mode === 1 || int(6) === 0 ? mutate(message) : message);
          frames++;
        }
      }
      // Deliver in random splits, sometimes one chunk, sometimes byte groups.
      const stream = Buffer.concat(chunks);
      let position = 0;
      while (position < stream.length && !client.closed) {
        const size = int(3) === 0 ? stream.length : 1 + int(64);
        client.socket.write(stream.subarray(position, position + size));
        position += size;
        if (int(4) === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.race([client.closedPromise, new Promise((resolve) => setTimeout(resolve, 30))]);
      client.close();
    };
    for (let start = 0; start < connectionsTotal; start += parallel) {
      await Promise.all(Array.from({ length: parallel }, (_, offset) => runConnection(start + offset)));
    }
    fuzzing = false;
    await healthyLoop;
    await healthy.end();

    const deadline = Date.now() + 5000;
    while ((server.connectionCount > 0 || factory.sessions.size > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    process.removeListener('uncaughtException', onUncaught);
    process.removeListener('unhandledRejection', onUncaught);
    await server.shutdown();

    expect(frames).to.be.above(2000);
    expect(healthyQueries).to.be.above(10);
    expect(uncaught).to.deep.equal([]);
    expect(failures).to.deep.equal([]);
    expect(server.connectionCount).to.equal(0);
    expect(factory.sessions.size).to.equal(0);
  });
});
