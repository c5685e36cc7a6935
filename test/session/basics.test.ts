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
