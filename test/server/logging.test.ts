// Logs: one line per connection (with user, database, reason), one per error, one per slow statement
// (log_min_duration_statement, simple and extended protocol), nothing per fast statement.
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { RawClient, serialize, startFakeServer } from './raw-client.js';

describe('server logs', () => {
  it('logs each connection once and statements slower than log_min_duration_statement', async () => {
    const lines: Array<Record<string, any>> = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const { server, port } = await startFakeServer({ logger: pino({ level: 'info' }, sink), logMinDurationStatementMs: 40 });
    try {
      const client = await RawClient.ready(port);
      client.send(serialize.query('select 1'));
      await client.until('readyForQuery');
      client.send(serialize.query('sleep 60'));
      await client.until('readyForQuery');
      client.send(serialize.parse({ name: 'slow', text: 'sleep 50' }), serialize.bind({ statement: 'slow' }), serialize.execute({}), serialize.sync());
      await client.until('readyForQuery');
      client.send(serialize.query('error 23505'));
      await client.until('readyForQuery');
      client.send(serialize.end());
      await client.untilClosed();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await server.shutdown();
    }
    const slow = lines.filter((line) => line.msg === 'slow statement');
    expect(slow.map((line) => line.statement)).to.deep.equal(['sleep 60', 'sleep 50']);
    expect(slow[0]!.durationMs).to.be.at.least(40);
    const errors = lines.filter((line) => line.code !== undefined);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({ code: '23505', msg: 'fake error 23505', statement: 'error 23505' });
    const connections = lines.filter((line) => line.msg === 'connection closed');
    expect(connections).to.have.length(1);
    expect(connections[0]).to.include({ user: 'postgres', database: 'postgres', reason: 'terminated', client: '127.0.0.1' });
  });
});
