// Named snapshots over the wire (issue 9): node-postgres against a real `cambium serve`,
// including a graceful restart and a kill -9 between CREATE SNAPSHOT and later reads.
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { startCambium, type CambiumServer } from '../harness/cambium.js';
import { parseStatements, loadParser } from '../../src/parser/index.js';

async function connect(server: CambiumServer): Promise<pg.Client> {
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.database });
  await client.connect();
  return client;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; position?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; position?: string };
  }
  throw new Error('expected the statement to fail');
}

describe('snapshot syntax pre-parser', () => {
  before(loadParser);

  it('turns snapshot commands into clauses and keeps positions of the rest', () => {
    const [create, select] = parseStatements("CREATE SNAPSHOT s1 WITH (retention = '7 days'); SELECT é FROM t AS OF SNAPSHOT 's1' JOIN u ON true");
    expect(create!.extensions).to.deep.equal([{ kind: 'snapshotCommand', value: { action: 'create', name: 's1', retention: '7 days' }, offset: 0 }]);
    expect(select!.extensions[0]!.value).to.deep.equal({ snapshot: 's1' });
    const from = (select!.ast as any).SelectStmt.fromClause[0].JoinExpr;
    expect(from.rarg.RangeVar.location).to.equal(select!.text.indexOf('u ON') + select!.offset);
    const [drop] = parseStatements('drop snapshot if exists "Big"');
    expect(drop!.extensions[0]!.value).to.deep.equal({ action: 'drop', name: 'Big', ifExists: true });
    const [commit] = parseStatements('select * from t as of snapshot 42, u as of timestamp \'2026-01-01\'');
    expect(commit!.extensions.map((clause) => clause.value)).to.deep.equal([{ commit: 42 }, { timestamp: '2026-01-01' }]);
  });

  it('reports syntax errors at the right position', () => {
    let error: any;
    try {
      parseStatements('CREATE SNAPSHOT s WITH (speed = 1)');
    } catch (caught) {
      error = caught;
    }
    expect(error.code).to.equal('42601');
    expect(error.position).to.equal(25);
  });
});

describe('named snapshots over the wire', function () {
  this.timeout(60_000);
  let server: CambiumServer;
  let client: pg.Client;

  before(async () => {
    server = await startCambium();
    client = await connect(server);
    await client.query('CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)');
    await client.query('CREATE INDEX accounts_balance ON accounts (balance)');
    await client.query('INSERT INTO accounts SELECT g, g * 10 FROM generate_series(1, 100) g');
  });
  after(async () => {
    await client?.end().catch(() => {});
    await server?.stop();
    // Restarted servers were given the directory, so they leave it in place.
    if (server) rmSync(server.dataDirectory, { recursive: true, force: true });
  });

  it('reads a table AS OF a snapshot, by name and by commit number, joined with the live table', async () => {
    await client.query('CREATE SNAPSHOT before_update');
    await client.query('UPDATE accounts SET balance = balance + 1 WHERE id <= 10');
    await client.query('DELETE FROM accounts WHERE id = 100');
    const live = await client.query('SELECT count(*)::int AS n, sum(balance)::int AS s FROM accounts');
    expect(live.rows[0]).to.deep.equal({ n: 99, s: 50500 - 1000 + 10 });
    const old = await client.query("SELECT count(*)::int AS n, sum(balance)::int AS s FROM accounts AS OF SNAPSHOT 'before_update'");
    expect(old.rows[0]).to.deep.equal({ n: 100, s: 50500 });
    const { rows: [{ commit_number }] } = await client.query("SELECT commit_number FROM cambium_snapshots WHERE name = 'before_update'");
    const byCommit = await client.query(`SELECT balance FROM accounts AS OF SNAPSHOT ${commit_number} WHERE id = 1`);
    expect(byCommit.rows).to.deep.equal([{ balance: 10 }]);
    const changed = await client.query(`
      SELECT o.id, o.balance AS old, n.balance AS new
        FROM accounts AS OF SNAPSHOT 'before_update' o LEFT JOIN accounts n USING (id)
       WHERE n.balance IS DISTINCT FROM o.balance ORDER BY o.id`);
    expect(changed.rows.length).to.equal(11);
    expect(changed.rows[0]).to.deep.equal({ id: 1, old: 10, new: 11 });
    expect(changed.rows[10]).to.deep.equal({ id: 100, old: 1000, new: null });
  });

  it('reads two different snapshots in one query, with the catalog of each', async () => {
    await client.query('CREATE SNAPSHOT s_a');
    await client.query('ALTER TABLE accounts ADD COLUMN note text');
    await client.query("UPDATE accounts SET note = 'x', balance = 0 WHERE id = 2");
    await client.query('CREATE SNAPSHOT s_b');
    const result = await client.query(`
      SELECT a.balance AS a, b.balance AS b, b.note FROM accounts AS OF SNAPSHOT 's_a' a
        JOIN accounts AS OF SNAPSHOT 's_b' AS b ON a.id = b.id WHERE a.id = 2`);
    expect(result.rows).to.deep.equal([{ a: 21, b: 0, note: 'x' }]);
    const error = await failure(client.query("SELECT note FROM accounts AS OF SNAPSHOT 's_a'"));
    expect(error.code).to.equal('42703');
  });

  it('works through the extended protocol and with a snapshot re-created under the same name', async () => {
    const query = { text: "SELECT balance FROM accounts AS OF SNAPSHOT 'nightly' WHERE id = $1", values: [4] };
    await client.query('CREATE SNAPSHOT nightly');
    const first = (await client.query(query)).rows[0].balance;
    await client.query('UPDATE accounts SET balance = balance + 1000 WHERE id = 4');
    expect((await client.query(query)).rows).to.deep.equal([{ balance: first }]);
    await client.query('DROP SNAPSHOT nightly; CREATE SNAPSHOT nightly');
    expect((await client.query(query)).rows).to.deep.equal([{ balance: first + 1000 }]);
    const simple = "SELECT count(*)::int AS n FROM accounts AS OF SNAPSHOT 'nightly'";
    expect((await client.query(simple)).rows).to.deep.equal((await client.query(simple)).rows);
    await client.query('DROP SNAPSHOT nightly');
    expect((await failure(client.query(query))).code).to.equal('42704');
  });

  it('AS OF TIMESTAMP reads the newest snapshot taken at or before that time', async () => {
    const { rows: [{ before }] } = await client.query("SELECT (current_timestamp - interval '1 hour')::text AS before");
    expect((await failure(client.query(`SELECT * FROM accounts AS OF TIMESTAMP '${before}'`))).code).to.equal('72000');
    await client.query('CREATE TABLE clock (v int)');
    await client.query('INSERT INTO clock VALUES (1)');
    await client.query('CREATE SNAPSHOT clock_1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { rows: [{ between }] } = await client.query('SELECT clock_timestamp()::text AS between');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.query('UPDATE clock SET v = 2');
    await client.query('CREATE SNAPSHOT clock_2');
    expect((await client.query(`SELECT v FROM clock AS OF TIMESTAMP '${between}'`)).rows).to.deep.equal([{ v: 1 }]);
    const { rows: [{ later }] } = await client.query("SELECT (clock_timestamp() + interval '1 second')::text AS later");
    expect((await client.query(`SELECT v FROM clock AS OF TIMESTAMP '${later}'`)).rows).to.deep.equal([{ v: 2 }]);
    expect((await failure(client.query("SELECT * FROM clock_missing AS OF SNAPSHOT 'clock_1'"))).code).to.equal('42P01');
  });

  it('refuses writes through AS OF and reports unknown snapshots', async () => {
    const write = await failure(client.query("UPDATE accounts AS OF SNAPSHOT 's_a' SET balance = 0"));
    expect(write.code).to.equal('25006');
    const unknown = await failure(client.query("SELECT * FROM accounts AS OF SNAPSHOT 'nope'"));
    expect(unknown.code).to.equal('42704');
    const notRetained = await failure(client.query('SELECT * FROM accounts AS OF SNAPSHOT 3'));
    expect(notRetained.code).to.equal('72000');
    const duplicate = await failure(client.query('CREATE SNAPSHOT s_a'));
    expect(duplicate.code).to.equal('42710');
    // Reading from a snapshot into a live table is fine.
    await client.query('CREATE TABLE restored AS SELECT * FROM accounts AS OF SNAPSHOT \'s_a\' WHERE id <= 3');
    expect((await client.query('SELECT sum(balance)::int AS s FROM restored')).rows).to.deep.equal([{ s: 63 }]);
  });

  it('runs a whole transaction on a snapshot with SET TRANSACTION SNAPSHOT', async () => {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query("SET TRANSACTION SNAPSHOT 'before_update'");
    const rows = await client.query('SELECT count(*)::int AS n FROM accounts');
    expect(rows.rows).to.deep.equal([{ n: 100 }]);
    const observer = await connect(server);
    try {
      const pins = await observer.query("SELECT name, pinned_by FROM cambium_snapshots WHERE name IN ('before_update', 's_a') ORDER BY name");
      expect(pins.rows).to.deep.equal([{ name: 'before_update', pinned_by: 1 }, { name: 's_a', pinned_by: 0 }]);
    } finally {
      await observer.end();
    }
    const columns = await client.query('SELECT * FROM accounts WHERE id = 1');
    expect(Object.keys(columns.rows[0])).to.deep.equal(['id', 'balance']);
    await client.query('COMMIT');
    expect((await client.query('SELECT count(*)::int AS n FROM accounts')).rows).to.deep.equal([{ n: 99 }]);
    await client.query('BEGIN');
    const committed = await failure(client.query("SET TRANSACTION SNAPSHOT 'before_update'"));
    expect(committed.code).to.equal('0A000');
    await client.query('ROLLBACK');
    const outside = await failure(client.query("SET TRANSACTION SNAPSHOT 'before_update'"));
    expect(outside.code).to.equal('25P01');
  });

  it('pg_export_snapshot() returns an id another session imports while the exporter is open', async () => {
    const exporter = await connect(server);
    const importer = await connect(server);
    try {
      await exporter.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const { rows: [{ id }] } = await exporter.query('SELECT pg_export_snapshot() AS id');
      await client.query('UPDATE accounts SET balance = 12345 WHERE id = 3');
      await importer.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await importer.query(`SET TRANSACTION SNAPSHOT '${id}'`);
      const seen = await importer.query('SELECT balance FROM accounts WHERE id = 3');
      expect(seen.rows).to.deep.equal([{ balance: 31 }]);
      expect((await exporter.query('SELECT balance FROM accounts WHERE id = 3')).rows).to.deep.equal([{ balance: 31 }]);
      await importer.query('COMMIT');
      await exporter.query('COMMIT');
      await importer.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      expect((await failure(importer.query(`SET TRANSACTION SNAPSHOT '${id}'`))).code).to.equal('72000');
      await importer.query('ROLLBACK');
      expect((await failure(importer.query("BEGIN ISOLATION LEVEL REPEATABLE READ; SET TRANSACTION SNAPSHOT 'junk'"))).code).to.equal('22023');
    } finally {
      await exporter.end();
      await importer.end();
    }
  });

  it('expires snapshots by retention (72000), alters retention and drops them', async () => {
    await client.query("CREATE SNAPSHOT short WITH (retention = '1 second')");
    await client.query("CREATE SNAPSHOT kept WITH (retention = '1 second')");
    await client.query("ALTER SNAPSHOT kept SET (retention = '7 days')");
    const { rows } = await client.query("SELECT name, expires_at > current_timestamp + interval '6 days' AS long FROM cambium_snapshots WHERE name IN ('short', 'kept') ORDER BY name");
    expect(rows).to.deep.equal([{ name: 'kept', long: true }, { name: 'short', long: false }]);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const expired = await failure(client.query("SELECT * FROM accounts AS OF SNAPSHOT 'short'"));
    expect(expired.code).to.equal('72000');
    expect(expired.message).to.equal('snapshot too old');
    expect((await client.query("SELECT count(*)::int AS n FROM cambium_snapshots WHERE name = 'short'")).rows).to.deep.equal([{ n: 0 }]);
    await client.query('SELECT count(*) FROM accounts AS OF SNAPSHOT \'kept\'');
    await client.query('DROP SNAPSHOT kept');
    expect((await failure(client.query("SELECT * FROM accounts AS OF SNAPSHOT 'kept'"))).code).to.equal('42704');
    expect((await failure(client.query('DROP SNAPSHOT kept'))).code).to.equal('42704');
    await client.query('DROP SNAPSHOT IF EXISTS kept');
  });

  it('cambium_diff lists inserted, updated and deleted rows between two states', async () => {
    await client.query('CREATE TABLE kv (k int PRIMARY KEY, v text)');
    await client.query("INSERT INTO kv SELECT g, 'v' || g FROM generate_series(1, 2000) g");
    await client.query('CREATE SNAPSHOT kv1');
    expect((await client.query("SELECT * FROM cambium_diff('kv', 'kv1', 'live')")).rows).to.deep.equal([]);
    await client.query("UPDATE kv SET v = 'changed' WHERE k IN (5, 1500)");
    await client.query('DELETE FROM kv WHERE k = 7');
    await client.query("INSERT INTO kv VALUES (2001, 'new')");
    await client.query('CREATE SNAPSHOT kv2');
    // Expectation computed independently: a full outer join of the two snapshots.
    const expected = await client.query(`
      SELECT CASE WHEN a.k IS NULL THEN 'insert' WHEN b.k IS NULL THEN 'delete' ELSE 'update' END AS change,
             coalesce(a.k, b.k) AS k, a.v AS old_v, b.v AS new_v
        FROM kv AS OF SNAPSHOT 'kv1' a FULL JOIN kv AS OF SNAPSHOT 'kv2' b ON a.k = b.k
       WHERE a.v IS DISTINCT FROM b.v ORDER BY 2`);
    const diff = await client.query(`SELECT change, k, old_row->>'v' AS old_v, new_row->>'v' AS new_v
                                        FROM cambium_diff('kv', 'kv1', 'kv2') ORDER BY k`);
    expect(diff.rows).to.deep.equal(expected.rows);
    expect(diff.rows.map((row) => row.change)).to.deep.equal(['update', 'delete', 'update', 'insert']);
    const live = await client.query("SELECT count(*)::int AS n FROM cambium_diff('kv', 'kv1')");
    expect(live.rows).to.deep.equal([{ n: 4 }]);
    expect((await failure(client.query("SELECT * FROM cambium_diff('kv', 'nope', 'live')"))).code).to.equal('42704');
  });

  it('RESTORE TABLE puts a table and its indexes back as they were, transactionally', async () => {
    await client.query('CREATE TABLE items (id int PRIMARY KEY, tag text)');
    await client.query('CREATE INDEX items_tag ON items (tag)');
    await client.query("INSERT INTO items SELECT g, 'tag' || (g % 5) FROM generate_series(1, 50) g");
    await client.query('CREATE SNAPSHOT items_good');
    await client.query("DELETE FROM items WHERE id > 10; UPDATE items SET tag = 'bad'");
    await client.query('BEGIN');
    await client.query("RESTORE TABLE items FROM SNAPSHOT 'items_good'");
    await client.query('ROLLBACK');
    expect((await client.query('SELECT count(*)::int AS n FROM items')).rows).to.deep.equal([{ n: 10 }]);
    const tag = await client.query("RESTORE TABLE public.items FROM SNAPSHOT 'items_good'");
    expect(tag.command).to.equal('RESTORE');
    expect((await client.query('SELECT count(*)::int AS n FROM items')).rows).to.deep.equal([{ n: 50 }]);
    await client.query('SET enable_seqscan = off').catch(() => {});
    expect((await client.query("SELECT count(*)::int AS n FROM items WHERE tag = 'tag3'")).rows).to.deep.equal([{ n: 10 }]);
    expect((await client.query("SELECT count(*)::int AS n FROM items WHERE tag = 'bad'")).rows).to.deep.equal([{ n: 0 }]);
    await client.query("INSERT INTO items VALUES (51, 'new')");
    expect((await failure(client.query("INSERT INTO items VALUES (1, 'dup')"))).code).to.equal('23505');
    expect((await client.query("SELECT id FROM items WHERE tag = 'new'")).rows).to.deep.equal([{ id: 51 }]);
    expect((await failure(client.query("RESTORE TABLE nowhere FROM SNAPSHOT 'items_good'"))).code).to.equal('42P01');
  });

  it('branches a database FROM SNAPSHOT and by TEMPLATE; writes on each side stay there', async () => {
    await client.query('CREATE TABLE branchy (id serial PRIMARY KEY, label text UNIQUE)');
    await client.query("INSERT INTO branchy (label) SELECT 'l' || g FROM generate_series(1, 300) g");
    await client.query('CREATE SNAPSHOT branch_point');
    await client.query("UPDATE branchy SET label = label || '-after' WHERE id <= 5");
    await client.query("CREATE DATABASE feature FROM SNAPSHOT 'branch_point'");
    const feature = new pg.Client({ host: server.host, port: server.port, user: server.user, database: 'feature' });
    await feature.connect();
    try {
      expect((await feature.query("SELECT count(*)::int AS n, count(*) FILTER (WHERE label LIKE '%-after')::int AS after FROM branchy")).rows).to.deep.equal([{ n: 300, after: 0 }]);
      await feature.query("INSERT INTO branchy (label) VALUES ('feature-only')");
      await feature.query('DELETE FROM branchy WHERE id > 250');
      expect((await failure(feature.query("INSERT INTO branchy (label) VALUES ('l7')"))).code).to.equal('23505');
      expect((await feature.query("SELECT id FROM branchy WHERE label = 'l42'")).rows).to.deep.equal([{ id: 42 }]);
      expect((await feature.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n).to.be.greaterThan(0);
    } finally {
      await feature.end();
    }
    expect((await client.query('SELECT count(*)::int AS n FROM branchy')).rows).to.deep.equal([{ n: 300 }]);
    expect((await client.query("SELECT count(*)::int AS n FROM branchy WHERE label = 'feature-only'")).rows).to.deep.equal([{ n: 0 }]);
    await client.query('CREATE DATABASE copy_of_feature TEMPLATE feature');
    const copy = new pg.Client({ host: server.host, port: server.port, user: server.user, database: 'copy_of_feature' });
    await copy.connect();
    try {
      expect((await copy.query('SELECT count(*)::int AS n FROM branchy')).rows).to.deep.equal([{ n: 250 }]);
      expect((await copy.query("SELECT count(*)::int AS n FROM branchy WHERE label = 'feature-only'")).rows).to.deep.equal([{ n: 0 }]);
    } finally {
      await copy.end();
    }
    expect((await failure(client.query("CREATE DATABASE feature FROM SNAPSHOT 'branch_point'"))).code).to.equal('42P04');
  });

  it('keeps snapshots across a restart and a kill -9', async () => {
    await client.query('CREATE SNAPSHOT durable_one');
    await client.query('UPDATE accounts SET balance = -1');
    await client.end();
    const dataDirectory = server.dataDirectory;
    await server.kill9();
    server = await startCambium({ dataDirectory });
    client = await connect(server);
    const sums = await client.query(`SELECT (SELECT sum(balance)::int FROM accounts AS OF SNAPSHOT 'durable_one') AS then,
                                            (SELECT sum(balance)::int FROM accounts AS OF SNAPSHOT 'before_update') AS first`);
    expect(sums.rows[0].first).to.equal(50500);
    expect(sums.rows[0].then).to.be.a('number').and.not.equal(-99);
    expect((await client.query('SELECT DISTINCT balance FROM accounts')).rows).to.deep.equal([{ balance: -1 }]);
    await client.end();
    await server.stop();
    server = await startCambium({ dataDirectory });
    client = await connect(server);
    expect((await client.query("SELECT count(*)::int AS n FROM accounts AS OF SNAPSHOT 'before_update'")).rows).to.deep.equal([{ n: 100 }]);
    expect((await failure(client.query("SELECT * FROM accounts AS OF SNAPSHOT 'short'"))).code).to.equal('72000');
  });
});
