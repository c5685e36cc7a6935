// System information and current-time functions: what drivers and psql read at start-up.
import { expect } from 'chai';
import { Oid } from '../../src/types/functions/oids.js';
import { typeByOid } from '../../src/types/registry.js';
import { arg, closeOracle, compareFunction, evaluateLocally, oracle, testContext } from './oracle.js';

describe('functions: system information', function () {
  this.timeout(30_000);
  after(closeOracle);

  it('version() starts like PostgreSQL 15 so drivers parse it', async () => {
    const ours = evaluateLocally('version', []);
    expect(ours).to.have.property('value').that.matches(/^PostgreSQL 15\.\d+ \(Cambium\) on \S+, compiled by TypeScript, 64-bit$/);
    const theirs = (await (await oracle()).query('SELECT version() AS v')).rows[0].v as string;
    // Same shape as PostgreSQL's own: "PostgreSQL 15.x (…) on <machine>, compiled by …, 64-bit".
    const shape = /^PostgreSQL 15\.\d+ \(.+\) on \S+, compiled by .+, 64-bit$/;
    expect(theirs).to.match(shape);
    expect((ours as { value: string }).value).to.match(shape);
  });

  it('session facts come from the function context', () => {
    const context = testContext();
    expect(evaluateLocally('current_database', [], context)).to.deep.equal({ value: 'postgres' });
    expect(evaluateLocally('pg_backend_pid', [], context)).to.deep.equal({ value: '4242' });
    expect(evaluateLocally('pg_client_encoding', [], context)).to.deep.equal({ value: 'UTF8' });
  });

  it('now() and friends read the transaction and statement timestamps; clock_timestamp() moves', function () {
    if (!typeByOid(Oid.timestamptz)) this.skip(); // until the timestamptz type is registered
    const context = testContext();
    context.transactionTimestamp = 0n;
    context.statementTimestamp = 1_500_000n;
    expect(evaluateLocally('now', [], context)).to.deep.equal({ value: '2000-01-01 00:00:00+00' });
    expect(evaluateLocally('transaction_timestamp', [], context)).to.deep.equal({ value: '2000-01-01 00:00:00+00' });
    expect(evaluateLocally('statement_timestamp', [], context)).to.deep.equal({ value: '2000-01-01 00:00:01.5+00' });
    const clock = (evaluateLocally('clock_timestamp', [], context) as { value: string }).value;
    expect(Date.parse(clock.replace(' ', 'T').replace(/\+00$/, 'Z'))).to.be.closeTo(Date.now(), 5_000);
    expect(evaluateLocally('timeofday', [], context)).to.have.property('value').that.matches(/^\w{3} \w{3} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4} UTC$/);
  });

  it('num_nulls / num_nonnulls count like PostgreSQL', async () => {
    for (const name of ['num_nulls', 'num_nonnulls']) {
      const mismatch = await compareFunction(name, [arg(Oid.int4, null), arg(Oid.text, 'a'), arg(Oid.int4, '3'), arg(Oid.text, null)]);
      expect(mismatch).to.equal(undefined);
    }
  });
});
