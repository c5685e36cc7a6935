// The pager owns the data file: page reads through the cache (synchronous, checksummed),
// page allocation and freeing, and writing dirty pages out (on eviction and at checkpoints).
import type { VfsFile } from '../vfs/index.js';
import { assert } from '../util/assert.js';
import { PageCache } from './cache.js';
import { FreeSpace, firstDataPage } from './freespace.js';
import { corruptPage, initPage, pageBirth, sealPage, verifyPage, type PageTypeCode } from './page.js';

/** What the B-tree needs from storage. */
export interface PageStore {
  readonly pageSize: number;
  /** The commit being applied: pages born in it may be changed in place. */
  readonly commitSeq: number;
  read(id: number): Buffer;
  /** A fresh zeroed page with its header set, born in the current commit. */
  create(type: PageTypeCode): Buffer;
  /** Reports an in-place change to a page born in the current commit. */
  dirtied(id: number, page: Buffer): void;
  /** The current commit no longer references page `id` (born in commit `birth`). */
  free(id: number, birth: number): void;
}

export class Pager implements PageStore {
  readonly cache: PageCache;
  readonly space: FreeSpace;
  commitSeq = 0;
  private committing = false;
  /** Pages allocated and deferred-list length at the start of the commit in progress (for rollback). */
  private commitAllocations: number[] = [];
  private commitDeferredStart = 0;
  pagesWritten = 0;

  constructor(
    readonly file: VfsFile,
    readonly pageSize: number,
    cacheBytes: number,
    pageCount: number,
  ) {
    this.space = new FreeSpace(pageCount);
    this.cache = new PageCache(Math.max(8, Math.floor(cacheBytes / pageSize)), (id, page) => this.writePageSync(id, page));
    this.cache.keep = (page) => this.committing && pageBirth(page) === this.commitSeq;
  }

  read(id: number): Buffer {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    this.cache.misses++;
    if (id < firstDataPage || id >= this.space.pageCount) throw corruptPage(id, `reference to a page outside the file (${this.space.pageCount} pages)`);
    const page = Buffer.allocUnsafe(this.pageSize);
    const bytesRead = this.file.readSync(page, id * this.pageSize);
    verifyPage(page, id, bytesRead);
    this.cache.put(id, page, false);
    return page;
  }
  create(type: PageTypeCode): Buffer {
    assert(this.committing, 'pages are created only inside a commit');
    const id = this.space.allocate();
    this.commitAllocations.push(id);
    const page = Buffer.allocUnsafe(this.pageSize);
    initPage(page, id, type, this.commitSeq);
    this.cache.put(id, page, true);
    return page;
  }
  /** A page outside any commit (the space map, written by checkpoints), born in `birth`. */
  createSystemPage(type: PageTypeCode, birth: number): Buffer {
    const id = this.space.allocate();
    const page = Buffer.allocUnsafe(this.pageSize);
    initPage(page, id, type, birth);
    this.cache.put(id, page, true);
    return page;
  }
  dirtied(id: number, page: Buffer): void {
    this.cache.put(id, page, true);
  }
  free(id: number, birth: number): void {
    assert(birth <= this.commitSeq, `page ${id} born in the future`);
    if (birth === this.commitSeq) {
      // Born and dropped within this commit: nothing else ever saw it.
      this.cache.remove(id);
      this.space.release(id);
    } else {
      this.space.defer(id, birth, this.commitSeq);
    }
  }

  beginCommit(seq: number): void {
    assert(!this.committing, 'nested commit');
    this.committing = true;
    this.commitSeq = seq;
    this.commitAllocations = [];
    this.commitDeferredStart = this.space.deferred.length;
  }
  endCommit(): void {
    this.committing = false;
    if (this.cache.size > this.cache.capacityPages) this.cache.trim();
  }
  /** Undoes the page effects of a failed commit: its pages are unreachable, its frees never happened. */
  abortCommit(): void {
    for (const id of this.commitAllocations) {
      if (this.space.isFree(id)) continue;
      this.cache.remove(id);
      this.space.release(id);
    }
    this.space.deferred.length = this.commitDeferredStart;
    this.committing = false;
  }

  /** Makes released pages forget their cached content. */
  forget(ids: readonly number[]): void {
    for (const id of ids) this.cache.remove(id);
  }

  writePageSync(id: number, page: Buffer): void {
    sealPage(page);
    this.file.writeSync(page, id * this.pageSize);
    this.pagesWritten++;
  }
  async writePage(id: number, page: Buffer): Promise<void> {
    sealPage(page);
    await this.file.write(page, id * this.pageSize);
    this.pagesWritten++;
  }
}
