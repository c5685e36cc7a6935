import { expect } from 'chai';
import { TestDatabase, type TestClient } from './helpers.js';

describe('session basics (real engine)', function () {
  let db: TestDatabase;
  let client: TestClient;
  before(async () => {
    db = await TestDatabase.open();
    client = db.client();
  });
  after(async () => {
    await client.close();
    await db.close();
  });

  it('answers SELECT 1', async () => {
    const [result] = await client.query('SELECT 1');
    expect(result!.rows).to.deep.equal([['1']]);
    expect(result!.tag).to.equal('SELECT 1');
    expect(result!.fields![0]!.name).to.equal('?column?');
    expect(result!.fields![0]!.typeOid).to.equal(23);
  });
});

describe('extended protocol portals (real engine)', function () {
  let db: TestDatabase;
  let client: TestClient;
  before(async () => {
    db = await TestDatabase.open();
    client = db.client();
    await client.query('create table five (n int primary key)');
    await client.query('insert into five values (1), (2), (3), (4), (5)');
  });
  after(async () => {
    await client.close();
    await db.close();
  });

  it('suspends at maxRows and resumes, reporting each Execute like PostgreSQL', async () => {
    const session = client.session;
    const info = session.parse('', 'select n from five where n > $1 order by n', []);
    expect(info.parameterTypeOids).to.deep.equal([23]);
    session.bind('', '', [Buffer.from('0')], [], []);
    const rows: string[] = [];
    const sink = { row: (values: ReadonlyArray<Uint8Array | null>) => rows.push(Buffer.from(values[0]!).toString()) > 0, drain: async () => {} };
    expect(await session.execute('', 2, sink)).to.deep.equal({ kind: 'suspended' });
    expect(await session.execute('', 2, sink)).to.deep.equal({ kind: 'suspended' });
    expect(await session.execute('', 2, sink)).to.deep.equal({ kind: 'complete', commandTag: 'SELECT 1' });
    expect(rows).to.deep.equal(['1', '2', '3', '4', '5']);
    await session.sync();
    expect(session.transactionStatus()).to.equal('I');
  });

  it('rejects a Bind with the wrong number of parameters (08P01) and a duplicate named statement (42P05)', async () => {
    const session = client.session;
    session.parse('s1', 'select $1::int + $2', []);
    expect(() => session.bind('', 's1', [Buffer.from('1')], [], [])).to.throw().with.property('code', '08P01');
    expect(() => session.parse('s1', 'select 1', [])).to.throw().with.property('code', '42P05');
    session.markFailed(new Error('x') as never);
    await session.sync();
    session.closeStatement('s1');
  });
});
