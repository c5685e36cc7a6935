// The in-memory VFS's power-loss model and the fault injector the crash tests rely on.
import { expect } from 'chai';
import { FaultVfs, MemoryVfs, PowerLossError } from '../../src/vfs/index.js';

describe('vfs (memory files, power loss, fault injection)', () => {
  it('keeps synced data and drops unsynced writes and unsynced file creations on power loss', async () => {
    const vfs = new MemoryVfs();
    const kept = vfs.open('/d/kept', true);
    kept.writeSync(Buffer.from('synced'), 0);
    await kept.sync();
    kept.writeSync(Buffer.from('LOST'), 0);
    kept.writeSync(Buffer.from('tail'), 6);
    vfs.open('/d/never-synced', true).writeSync(Buffer.from('x'), 0);
    expect(vfs.bytes('/d/kept').toString()).to.equal('LOSTedtail');
    vfs.powerLoss();
    expect(vfs.bytes('/d/kept').toString()).to.equal('synced');
    expect(vfs.exists('/d/never-synced')).to.equal(false);
  });

  it('brings back a removed file whose removal was never made durable', async () => {
    const vfs = new MemoryVfs();
    const file = vfs.open('/d/segment', true);
    file.writeSync(Buffer.from('old'), 0);
    await file.sync();
    vfs.remove('/d/segment');
    expect(vfs.exists('/d/segment')).to.equal(false);
    vfs.powerLoss();
    expect(vfs.exists('/d/segment')).to.equal(true);
    vfs.remove('/d/segment');
    await vfs.syncDir('/d');
    vfs.powerLoss();
    expect(vfs.exists('/d/segment')).to.equal(false);
  });

  it('loses power at the chosen write or sync and stays dead', async () => {
    const vfs = new FaultVfs();
    vfs.arm({ atPoint: 3, action: 'powerLoss' });
    const file = vfs.open('/d/f', true);
    file.writeSync(Buffer.from('a'), 0);
    await file.sync();
    expect(() => file.writeSync(Buffer.from('b'), 1)).to.throw(PowerLossError);
    expect(() => file.readSync(Buffer.alloc(1), 0)).to.throw(PowerLossError);
    const survivor = vfs.survivor();
    expect(survivor.bytes('/d/f').toString()).to.equal('a');
  });

  it('fails one operation with EIO without losing data', async () => {
    const vfs = new FaultVfs();
    vfs.arm({ atPoint: 2, action: 'fail' });
    const file = vfs.open('/d/f', true);
    file.writeSync(Buffer.from('a'), 0);
    let error: unknown;
    await file.sync().catch((caught) => (error = caught));
    expect((error as { code?: string }).code).to.equal('EIO');
    file.writeSync(Buffer.from('b'), 1);
    expect(vfs.bytes('/d/f').toString()).to.equal('ab');
  });
});
