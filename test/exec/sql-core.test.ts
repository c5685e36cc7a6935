// DDL, DML, constraints and queries through the real session, engine and transaction layers.
import { expect } from 'chai';
import { TestDatabase, type TestClient } from '../session/helpers.js';

describe('SQL core (in-process, real engine)', function () {
  let db: TestDatabase;
  let c: TestClient;
  before(async () => {
    db = await TestDatabase.open();
    c = db.client();
  });
  after(async () => {
    await c.close();
    await db.close();
  });

  it('evaluates expressions with PostgreSQL types', async () => {
    const [r] = await c.query("select 1 + 2, 'a' || 'b', 2.5 * 2, 10 / 3, null::int, true and false, 3000000000");
    expect(r!.rows).to.deep.equal([['3', 'ab', '5.0', '3', null, 'f', '3000000000']]);
    expect(r!.fields!.map((f) => f.typeOid)).to.deep.equal([23, 25, 1700, 23, 23, 16, 20]);
    expect(r!.fields!.map((f) => f.name)).to.deep.equal(['?column?', '?column?', '?column?', '?column?', 'int4', '?column?', '?column?']);
  });

  it('reports syntax errors with 42601 and a position', async () => {
    const error = await c.error('select 1 frm t');
    expect(error.code).to.equal('42601');
    expect(error.message).to.equal('syntax error at or near "t"');
    expect(error.position).to.equal(14);
  });

  it('creates tables, inserts (multi-row, DEFAULT, RETURNING) and selects with WHERE/ORDER BY/LIMIT', async () => {
    await c.query('create table t (id int primary key, name text not null, v numeric(10,2) default 0, c char(5))');
    expect((await c.query("insert into t values (1, 'one', 1.5, 'x'), (2, 'two', default, 'yy')"))[0]!.tag).to.equal('INSERT 0 2');
    expect(await c.rows("insert into t (id, name) values (3, 'three') returning *")).to.deep.equal([['3', 'three', '0.00', null]]);
    expect(await c.rows('select * from t order by id desc limit 2')).to.deep.equal([['3', 'three', '0.00', null], ['2', 'two', '0.00', 'yy   ']]);
    expect(await c.rows('select name from t where id in (1, 3) order by name')).to.deep.equal([['one'], ['three']]);
    expect(await c.rows('select id from t where id >= 2 and id < 3')).to.deep.equal([['2']]);
    expect(await c.rows('select id from t order by id offset 2')).to.deep.equal([['3']]);
  });

  it('enforces constraints with PostgreSQL messages and DETAIL', async () => {
    const duplicate = await c.error("insert into t values (1, 'dup')");
    expect(duplicate.code).to.equal('23505');
    expect(duplicate.message).to.equal('duplicate key value violates unique constraint "t_pkey"');
    expect(duplicate.detail).to.equal('Key (id)=(1) already exists.');
    const notNull = await c.error('insert into t (id) values (9)');
    expect(notNull.code).to.equal('23502');
    expect(notNull.message).to.equal('null value in column "name" of relation "t" violates not-null constraint');
    expect(notNull.detail).to.equal('Failing row contains (9, null, 0.00, null).');
    await c.query('create table checked (a int check (a > 0), b text unique)');
    const check = await c.error('insert into checked values (-1, null)');
    expect(check.code).to.equal('23514');
    expect(check.message).to.equal('new row for relation "checked" violates check constraint "checked_a_check"');
    await c.query("insert into checked values (1, 'x'), (2, null), (3, null)");
    const unique = await c.error("insert into checked values (4, 'x')");
    expect(unique.code).to.equal('23505');
    expect(unique.detail).to.equal('Key (b)=(x) already exists.');
  });

  it('enforces foreign keys (RESTRICT and CASCADE)', async () => {
    await c.query('create table parent (id int primary key)');
    await c.query('create table child (id int primary key, pid int references parent on delete cascade)');
    await c.query('create table strict_child (pid int references parent (id))');
    await c.query('insert into parent values (1), (2)');
    await c.query('insert into child values (10, 1), (11, 2)');
    const missing = await c.error('insert into child values (12, 3)');
    expect(missing.code).to.equal('23503');
    expect(missing.message).to.equal('insert or update on table "child" violates foreign key constraint "child_pid_fkey"');
    expect(missing.detail).to.equal('Key (pid)=(3) is not present in table "parent".');
    await c.query('delete from parent where id = 1');
    expect(await c.rows('select id from child order by id')).to.deep.equal([['11']]);
    await c.query('insert into strict_child values (2)');
    const restricted = await c.error('delete from parent where id = 2');
    expect(restricted.code).to.equal('23503');
    expect(restricted.detail).to.equal('Key (id)=(2) is still referenced from table "strict_child".');
  });

  it('updates and deletes with RETURNING, ON CONFLICT DO UPDATE / DO NOTHING', async () => {
    expect(await c.rows('update t set v = v + 1 where id = 1 returning id, v')).to.deep.equal([['1', '2.50']]);
    expect(await c.rows("insert into t values (2, 'x') on conflict (id) do update set name = excluded.name || '!' returning name")).to.deep.equal([['x!']]);
    expect((await c.query("insert into t values (2, 'y') on conflict do nothing"))[0]!.tag).to.equal('INSERT 0 0');
    expect((await c.query('delete from t where id = 3'))[0]!.tag).to.equal('DELETE 1');
    expect(await c.rows('select id, name from t order by id')).to.deep.equal([['1', 'one'], ['2', 'x!']]);
  });

  it('runs joins, aggregates, DISTINCT, subqueries and UNION', async () => {
    await c.query('create table h (a int, b text)');
    await c.query("insert into h values (1, 'p'), (1, 'q'), (2, 'r'), (5, null)");
    expect(await c.rows('select t.id, h.b from t join h on t.id = h.a order by 2')).to.deep.equal([['1', 'p'], ['1', 'q'], ['2', 'r']]);
    expect(await c.rows('select h.a, t.id from h left join t on t.id = h.a order by h.a, h.b')).to.deep.equal([['1', '1'], ['1', '1'], ['2', '2'], ['5', null]]);
    expect(await c.rows('select a, count(*), count(b), max(b) from h group by a having count(*) > 0 order by a')).to.deep.equal([
      ['1', '2', '2', 'q'], ['2', '1', '1', 'r'], ['5', '1', '0', null],
    ]);
    expect(await c.rows('select count(*), sum(a), avg(a) from h')).to.deep.equal([['4', '9', '2.2500000000000000']]);
    expect(await c.rows('select distinct a from h order by a desc')).to.deep.equal([['5'], ['2'], ['1']]);
    expect(await c.rows('select a from h where a in (select id from t) order by a')).to.deep.equal([['1'], ['1'], ['2']]);
    expect(await c.rows('select (select max(id) from t), exists (select 1 from h where a = 5)')).to.deep.equal([['2', 't']]);
    expect(await c.rows('select id from t union select a from h order by 1')).to.deep.equal([['1'], ['2'], ['5']]);
    expect(await c.rows('select a from h union all select id from t order by 1 limit 3')).to.deep.equal([['1'], ['1'], ['1']]);
    const grouping = await c.error('select a, b from h group by a');
    expect(grouping.code).to.equal('42803');
  });

  it('computes window functions with PARTITION BY / ORDER BY and the default frame', async () => {
    await c.query('create table w (g int, v int)');
    await c.query('insert into w values (1, 10), (1, 20), (1, 20), (2, 5), (2, null)');
    expect(await c.rows('select g, v, row_number() over (partition by g order by v), rank() over (partition by g order by v), sum(v) over (partition by g), sum(v) over (partition by g order by v), lag(v) over (partition by g order by v) from w order by g, v')).to.deep.equal([
      ['1', '10', '1', '1', '50', '10', null], ['1', '20', '2', '2', '50', '50', '10'], ['1', '20', '3', '2', '50', '50', '20'],
      ['2', '5', '1', '1', '5', '5', null], ['2', null, '2', '2', '5', '5', '5'],
    ]);
    expect(await c.rows('select g, sum(v), rank() over (order by sum(v) desc) from w group by g order by g')).to.deep.equal([['1', '50', '1'], ['2', '5', '2']]);
  });

  it('keeps DDL and DML transactional (BEGIN/ROLLBACK, savepoints, failed blocks)', async () => {
    await c.query('begin');
    await c.query('create table temp_t (x int)');
    await c.query('insert into temp_t values (1)');
    await c.query('rollback');
    expect((await c.error('select * from temp_t')).code).to.equal('42P01');
    await c.query('begin');
    await c.query("insert into h values (100, 'a')");
    await c.query('savepoint s1');
    await c.query("insert into h values (101, 'b')");
    await c.query('rollback to savepoint s1');
    await c.query('commit');
    expect(await c.rows('select a from h where a >= 100')).to.deep.equal([['100']]);
    await c.query('begin');
    expect((await c.error('select 1/0')).code).to.equal('22012');
    expect(c.session.transactionStatus()).to.equal('E');
    expect((await c.error('select 1')).code).to.equal('25P02');
    expect((await c.query('commit'))[0]!.tag).to.equal('ROLLBACK');
    expect(c.session.transactionStatus()).to.equal('I');
  });

  it('supports SET / SHOW / RESET, current_setting and set_config', async () => {
    await c.query('set search_path to public, pg_catalog');
    expect(await c.value('show search_path')).to.equal('public, pg_catalog');
    expect(await c.value("select current_setting('search_path')")).to.equal('public, pg_catalog');
    await c.query('reset search_path');
    expect(await c.value('show search_path')).to.equal('"$user", public');
    expect(await c.value("select set_config('application_name', 'x', false)")).to.equal('x');
    expect(c.parameterChanges).to.deep.include(['application_name', 'x']);
    expect((await c.error('set nonsense = 1')).code).to.equal('42704');
    expect(await c.value('show transaction isolation level')).to.equal('read committed');
  });

  it('has sequences, serial and identity columns', async () => {
    await c.query('create table s (id serial primary key, g int generated by default as identity, v text)');
    await c.query("insert into s (v) values ('a'), ('b')");
    expect(await c.rows('select id, g, v from s order by id')).to.deep.equal([['1', '1', 'a'], ['2', '2', 'b']]);
    await c.query('create sequence q start 10 increment 5');
    expect(await c.rows("select nextval('q'), nextval('q'), currval('q')")).to.deep.equal([['10', '15', '15']]);
    expect(await c.value("select pg_get_serial_sequence('s', 'id')")).to.equal('public.s_id_seq');
  });

  it('alters tables: add/drop/rename column, add primary key on a filled table, constraints', async () => {
    await c.query('create table alt (a int, b text)');
    await c.query("insert into alt values (2, 'two'), (1, 'one')");
    await c.query('alter table alt add column c int default 7');
    expect(await c.rows('select * from alt order by a')).to.deep.equal([['1', 'one', '7'], ['2', 'two', '7']]);
    await c.query('alter table alt add primary key (a)');
    expect((await c.error("insert into alt values (1, 'x')")).code).to.equal('23505');
    await c.query('alter table alt drop column b');
    await c.query('alter table alt rename column c to d');
    await c.query('alter table alt rename to alt2');
    expect(await c.rows('select * from alt2 order by a')).to.deep.equal([['1', '7'], ['2', '7']]);
    await c.query('alter table alt2 add constraint d_positive check (d > 0)');
    expect((await c.error('update alt2 set d = -1')).code).to.equal('23514');
    await c.query('alter table alt2 drop constraint d_positive');
    await c.query('update alt2 set d = -1 where a = 1');
    const duplicate = await c.error('create table dup_pk (a int); insert into dup_pk values (1), (1); alter table dup_pk add primary key (a)');
    expect(duplicate.code).to.equal('23505');
  });

  it('creates indexes and uses them for equality, ranges and IN lists', async () => {
    await c.query('create table big (id int primary key, k int, v text)');
    const values = Array.from({ length: 200 }, (_, i) => `(${i + 1}, ${(i + 1) % 10}, 'v${i + 1}')`).join(', ');
    await c.query(`insert into big values ${values}`);
    await c.query('create index big_k on big (k)');
    expect(await c.rows('select count(*) from big where k = 3')).to.deep.equal([['20']]);
    expect(await c.rows('select id from big where k = 3 and id < 30 order by id')).to.deep.equal([['3'], ['13'], ['23']]);
    expect(await c.rows('select id from big where id in (5, 150, 999) order by id')).to.deep.equal([['5'], ['150']]);
    expect(await c.rows('select id from big where id between 198 and 500')).to.deep.equal([['198'], ['199'], ['200']]);
    expect(await c.rows('select id from big order by id desc limit 2')).to.deep.equal([['200'], ['199']]);
    const plan = await c.rows('explain select v from big where id = 5');
    expect(plan[0]![0]).to.match(/Index Scan using big_pkey on big/);
    await c.query('create unique index big_v on big (v)');
    expect((await c.error("insert into big values (1000, 1, 'v1')")).code).to.equal('23505');
  });

  it('has views and schemas with search_path', async () => {
    await c.query('create schema other');
    await c.query('create table other.o (x int)');
    await c.query('insert into other.o values (42)');
    expect((await c.error('select * from o')).code).to.equal('42P01');
    await c.query('set search_path = other, public');
    expect(await c.value('select x from o')).to.equal('42');
    await c.query('reset search_path');
    await c.query('create view v_h as select a, b from h where a < 100');
    expect(await c.rows('select count(*) from v_h')).to.deep.equal([['4']]);
  });

  it('stores rows larger than one B-tree entry out of line', async () => {
    await c.query('create table docs (id int primary key, body text)');
    const big = 'x'.repeat(20_000);
    await c.query(`insert into docs values (1, '${big}'), (2, 'small')`);
    expect(await c.rows('select id, length(body) from docs order by id')).to.deep.equal([['1', '20000'], ['2', '5']]);
    await c.query(`update docs set body = body || 'y' where id = 1`);
    expect(await c.value('select length(body) from docs where id = 1')).to.equal('20001');
    await c.query('delete from docs where id = 1');
    expect(await c.value('select count(*) from docs')).to.equal('1');
  });

  it('copies text and CSV in and out', async () => {
    await c.query('create table cp (a int, b text, c char(3))');
    expect(await c.copyIn('copy cp from stdin', '1\thello\tab\n2\t\\N\t\\N\n\\.\n')).to.equal('COPY 2');
    expect(await c.copyIn("copy cp (a, b) from stdin with (format csv)", '3,"x,y"\n4,\n')).to.equal('COPY 2');
    expect(await c.rows('select * from cp order by a')).to.deep.equal([['1', 'hello', 'ab '], ['2', null, null], ['3', 'x,y', null], ['4', null, null]]);
    const [out] = await c.query('copy cp to stdout');
    expect(out!.tag).to.equal('COPY 4');
    expect(out!.rows[0]![0]).to.equal('1\thello\tab \n2\t\\N\t\\N\n3\tx,y\t\\N\n4\t\\N\t\\N\n');
    const [csv] = await c.query('copy (select a, b from cp where a > 2 order by a) to stdout with (format csv, header)');
    expect(csv!.rows[0]![0]).to.equal('a,b\n3,"x,y"\n4,\n');
    await c.query('truncate cp');
    expect(await c.value('select count(*) from cp')).to.equal('0');
  });

  it('answers the catalog queries pgbench and drivers send', async function () {
    await c.query('create table pgbench_accounts (aid int not null, bid int, abalance int, filler char(84)) with (fillfactor=100)');
    const rows = await c.rows("select o.n, p.partstrat, pg_catalog.count(i.inhparent) from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on (n.oid = c.relnamespace) cross join lateral (select pg_catalog.array_position(pg_catalog.current_schemas(true), n.nspname)) as o(n) left join pg_catalog.pg_partitioned_table as p on (p.partrelid = c.oid) left join pg_catalog.pg_inherits as i on (c.oid = i.inhparent) where c.relname = 'pgbench_accounts' and o.n is not null group by 1, 2 order by 1 asc limit 1");
    expect(rows).to.deep.equal([['2', null, '0']]);
    expect(await c.rows("select typname from pg_type where oid = 23")).to.deep.equal([['int4']]);
    expect(await c.rows("select attname from pg_attribute where attrelid = 'pgbench_accounts'::regclass and attnum > 0 order by attnum")).to.deep.equal([['aid'], ['bid'], ['abalance'], ['filler']]);
    expect((await c.query('vacuum analyze pgbench_accounts'))[0]!.tag).to.equal('VACUUM');
  });
});

describe('concurrent writers (in-process, real engine)', function () {
  let db: TestDatabase;
  before(async () => {
    db = await TestDatabase.open();
  });
  after(async () => {
    await db.close();
  });

  it('READ COMMITTED updates re-read rows a concurrent commit changed (no lost updates)', async () => {
    const a = db.client();
    const b = db.client();
    await a.query('create table counters (id int primary key, n int)');
    await a.query('insert into counters values (1, 0), (2, 0)');
    await a.query('begin');
    await a.query('update counters set n = n + 1 where id = 1');
    await b.query('begin');
    // b blocks on a's row lock, then sees a's committed value.
    const pending = b.query('update counters set n = n + 10 where id = 1 and n >= 0');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await a.query('commit');
    expect((await pending)[0]!.tag).to.equal('UPDATE 1');
    await b.query('commit');
    expect(await a.value('select n from counters where id = 1')).to.equal('11');
    await a.close();
    await b.close();
  });

  it('a second inserter of a key waits for the first and then fails with 23505', async () => {
    const a = db.client();
    const b = db.client();
    await a.query('create table uniq (id int primary key)');
    await a.query('begin');
    await a.query('insert into uniq values (7)');
    const pending = b.error('insert into uniq values (7)');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await a.query('commit');
    expect((await pending).code).to.equal('23505');
    await a.close();
    await b.close();
  });

  it('SELECT … FOR UPDATE locks rows (NOWAIT fails with 55P03, SKIP LOCKED skips)', async () => {
    const a = db.client();
    const b = db.client();
    await a.query('create table jobs (id int primary key, state text)');
    await a.query("insert into jobs values (1, 'new'), (2, 'new')");
    await a.query('begin');
    expect(await a.rows('select id from jobs where id = 1 for update')).to.deep.equal([['1']]);
    await b.query('begin');
    expect((await b.error('select id from jobs where id = 1 for update nowait')).code).to.equal('55P03');
    await b.query('rollback');
    expect(await b.rows('select id from jobs order by id for update skip locked')).to.deep.equal([['2']]);
    await a.query('commit');
    await a.close();
    await b.close();
  });

  it('concurrent DDL transactions both commit and every session sees both tables', async () => {
    const a = db.client();
    const b = db.client();
    const c = db.client();
    await a.query('begin');
    await b.query('begin');
    await a.query('create table ddl_a (x int)');
    // b's DDL waits for a's transaction (the catalog lock), then continues from a's catalog.
    const pending = b.query('create table ddl_b (y int)');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await a.query('commit');
    await pending;
    await b.query('commit');
    for (const client of [a, b, c]) {
      expect(await client.rows("select relname from pg_class where relname like 'ddl_%' order by 1")).to.deep.equal([['ddl_a'], ['ddl_b']]);
      expect(await client.value('select count(*) from ddl_a')).to.equal('0');
    }
    await a.close();
    await b.close();
    await c.close();
  });

  it('REPEATABLE READ reports a concurrent update as a serialization failure', async () => {
    const a = db.client();
    const b = db.client();
    await b.query('begin isolation level repeatable read');
    expect(await b.value('select n from counters where id = 2')).to.equal('0');
    await a.query('update counters set n = 5 where id = 2');
    const error = await b.error('update counters set n = n + 1 where id = 2');
    expect(error.code).to.equal('40001');
    await b.query('rollback');
    await a.close();
    await b.close();
  });
});
