// The WAL on its own: group commit resolves waiters in order with shared fsyncs, replay returns
// whole commits only and cuts the log at a torn tail, segments rotate and retire.
import { expect } from 'chai';
import { MemoryVfs } from '../../src/vfs/index.js';
import { WalWriter, listSegments, replayLog, type TreeOp } from '../../src/wal/index.js';

const put = (key: string): TreeOp => ({ kind: 'put', tree: 1, key: Buffer.from(key), value: Buffer.from(`v-${key}`) });

describe('wal (group commit, replay, segments)', () => {
  it('shares one fsync among commits appended together and replays them in order', async () => {
    const vfs = new MemoryVfs();
    const writer = new WalWriter(vfs, '/w', 0);
    const ends = [1, 2, 3, 4, 5].map((seq) => writer.appendCommit(seq, [put(`k${seq}`), { kind: 'delete', tree: 2, key: Buffer.from('x') }]));
    const order: number[] = [];
    await Promise.all(ends.map((lsn, index) => writer.whenDurable(lsn).then(() => order.push(index))));
    expect(order).to.deep.equal([0, 1, 2, 3, 4]);
    expect(writer.fsyncs).to.equal(1);
    writer.close();
    const seen: { seq: number; ops: TreeOp[] }[] = [];
    const result = replayLog(vfs, '/w', 0, (seq, ops) => seen.push({ seq, ops }));
    expect(result.commits).to.equal(5);
    expect(result.stoppedBecause).to.equal(undefined);
    expect(seen.map((commit) => commit.seq)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(Buffer.from((seen[2]!.ops[0] as { key: Uint8Array }).key).toString()).to.equal('k3');
    expect(seen[2]!.ops[1]!.kind).to.equal('delete');
  });

  it('never replays a commit whose commit record is missing, and cuts the tail', async () => {
    const vfs = new MemoryVfs();
    const writer = new WalWriter(vfs, '/w', 0);
    const first = writer.appendCommit(1, [put('a')]);
    writer.appendCommit(2, [put('b'), put('c')]);
    await writer.whenDurable(writer.nextLsn);
    writer.close();
    const path = listSegments(vfs, '/w')[0]!.path;
    const file = vfs.open(path, false);
    file.truncateSync(file.size() - 10);
    const seqs: number[] = [];
    const result = replayLog(vfs, '/w', 0, (seq) => seqs.push(seq));
    expect(seqs).to.deep.equal([1]);
    expect(result.endLsn).to.equal(first);
    expect(result.stoppedBecause).to.contain('truncated');
    expect(vfs.open(path, false).size()).to.equal(first);
    // Appending resumes exactly at the cut.
    const resumed = new WalWriter(vfs, '/w', result.endLsn);
    await resumed.whenDurable(resumed.appendCommit(2, [put('z')]));
    resumed.close();
    const again: number[] = [];
    expect(replayLog(vfs, '/w', 0, (seq) => again.push(seq)).stoppedBecause).to.equal(undefined);
    expect(again).to.deep.equal([1, 2]);
  });

  it('starts a new segment on request and retires segments before a checkpoint LSN', async () => {
    const vfs = new MemoryVfs();
    const writer = new WalWriter(vfs, '/w', 0);
    await writer.whenDurable(writer.appendCommit(1, [put('a')]));
    writer.requestRotation();
    const second = writer.appendCommit(2, [put('b')]);
    await writer.whenDurable(second);
    expect(listSegments(vfs, '/w').length).to.equal(2);
    const seqs: number[] = [];
    replayLog(vfs, '/w', 0, (seq) => seqs.push(seq));
    expect(seqs).to.deep.equal([1, 2]);
    writer.retireBefore(listSegments(vfs, '/w')[1]!.startLsn);
    expect(listSegments(vfs, '/w').length).to.equal(1);
    writer.close();
  });
});
