import { expect } from 'chai';
import pg from 'pg';
import { sharedPostgres, startPostgres } from './postgres.js';

describe('harness: throwaway PostgreSQL 15', () => {
  it('starts a shared instance on a loopback port and answers queries', async () => {
    const server = await sharedPostgres();
    expect(server.version).to.equal('15');
    const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.database });
    await client.connect();
    const result = await client.query<{ version: string; collate: string }>(
      "select version(), datcollate as collate from pg_database where datname = current_database()",
    );
    await client.end();
    expect(result.rows[0]!.version).to.match(/^PostgreSQL 15\./);
    expect(result.rows[0]!.collate).to.equal('C');
    expect(await sharedPostgres()).to.equal(server);
  });

  it('stops a private instance and removes its data directory', async function () {
    this.timeout(60_000);
    const { existsSync } = await import('node:fs');
    const server = await startPostgres({ fsync: false, synchronousCommit: false });
    expect(existsSync(server.dataDirectory)).to.equal(true);
    await server.stop();
    expect(existsSync(server.dataDirectory)).to.equal(false);
    const client = new pg.Client({ host: server.host, port: server.port, user: server.user, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    let refused = false;
    await client.connect().catch(() => (refused = true));
    expect(refused).to.equal(true);
  });
});
