// The pager on its own: a bounded cache that writes dirty pages out on eviction and reads them
// back verified, checksum failures reported as XX001 with the page number, lowest-first allocation.
import { expect } from 'chai';
import { Pager, PageType, pageIdOf } from '../../src/pager/index.js';
import { MemoryVfs } from '../../src/vfs/index.js';
import { SqlError } from '../../src/util/errors.js';

describe('pager (cache, checksums, allocation)', () => {
  it('holds more pages than its cache by writing dirty pages out on eviction', () => {
    const vfs = new MemoryVfs();
    const pager = new Pager(vfs.open('/data', true), 4096, 8 * 4096, 2);
    pager.beginCommit(1);
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) {
      const page = pager.create(PageType.leaf);
      page.writeUInt32LE(i * 7, 100);
      pager.dirtied(pageIdOf(page), page);
      ids.push(pageIdOf(page));
    }
    pager.endCommit();
    expect(pager.cache.size).to.be.at.most(100);
    ids.forEach((id, i) => expect(pager.read(id).readUInt32LE(100)).to.equal(i * 7));
    expect(pager.cache.size).to.be.at.most(8);
    expect(pager.cache.evictions).to.be.greaterThan(80);
  });

  it('reports a corrupt page as XX001 naming it', () => {
    const vfs = new MemoryVfs();
    const pager = new Pager(vfs.open('/data', true), 4096, 8 * 4096, 2);
    pager.beginCommit(1);
    const pages = Array.from({ length: 20 }, () => pager.create(PageType.leaf));
    pager.endCommit();
    for (const page of pages) pager.writePageSync(pageIdOf(page), page);
    const fresh = new Pager(vfs.open('/data', false), 4096, 8 * 4096, pager.space.pageCount);
    const victim = pageIdOf(pages[5]!);
    vfs.bytes('/data')[victim * 4096 + 999] ^= 0xff;
    expect(() => fresh.read(victim)).to.throw(SqlError).that.satisfies((error: SqlError) => error.code === 'XX001' && error.message.includes(`block ${victim}`));
    expect(() => fresh.read(10_000)).to.throw(SqlError).with.property('code', 'XX001');
    expect(fresh.read(pageIdOf(pages[6]!)).readUInt32LE(16)).to.equal(pageIdOf(pages[6]!));
  });

  it('allocates the lowest free page first and trims a free tail', () => {
    const vfs = new MemoryVfs();
    const pager = new Pager(vfs.open('/data', true), 4096, 8 * 4096, 2);
    pager.beginCommit(1);
    const ids = Array.from({ length: 10 }, () => pageIdOf(pager.create(PageType.leaf)));
    pager.endCommit();
    pager.beginCommit(2);
    pager.free(ids[3]!, 1);
    pager.free(ids[9]!, 1);
    pager.free(ids[8]!, 1);
    pager.endCommit();
    expect(pager.space.sweep(2, () => false)).to.have.members([ids[3], ids[9], ids[8]]);
    expect(pager.space.trimTail()).to.equal(ids[8]);
    pager.beginCommit(3);
    expect(pageIdOf(pager.create(PageType.leaf))).to.equal(ids[3]);
    pager.endCommit();
  });
});
