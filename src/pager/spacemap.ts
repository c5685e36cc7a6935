// The on-disk free-space map: an append-only chain of pages (ZFS space maps). Each checkpoint
// appends the state of just the pages that changed since the previous one — used, free, or
// deferred (freed in commit F, born in B, still reachable by a pinned commit in [B, F)) — so its
// cost follows the changes, not the file size. A page never mentioned is in use. When the chain
// grows well past a full dump, a checkpoint rewrites it as one (condensing).
import { PageType, nextPage, pageHeaderBytes, pageIdOf, setNextPage, corruptPage } from './page.js';
import type { FreeSpace } from './freespace.js';
import type { Pager } from './pager.js';

const enum RecordState {
  used = 0,
  free = 1,
  deferred = 2,
}
const shortRecordBytes = 5;
const deferredRecordBytes = 21;
const twoTo32 = 0x1_0000_0000;
/** Condense once the chain is this many times the pages a full dump would take (and at least the minimum). */
const condenseFactor = 2;
const condensePagesMin = 8;

interface SpaceRecord {
  id: number;
  state: RecordState;
  birth: number;
  freedAt: number;
}

function recordBytes(record: SpaceRecord): number {
  return record.state === RecordState.deferred ? deferredRecordBytes : shortRecordBytes;
}

/** Reads a chain (newest page first on disk) and applies its records oldest first. Returns the chain's page ids. */
export function loadSpaceMap(pager: Pager, head: number): number[] {
  const pages: Buffer[] = [];
  const seen = new Set<number>();
  for (let id = head; id !== 0; ) {
    if (seen.has(id)) throw corruptPage(id, 'space map chain loops');
    seen.add(id);
    const page = pager.read(id);
    if (page[4] !== PageType.spaceMap) throw corruptPage(id, 'expected a space map page');
    pages.push(page);
    id = nextPage(page);
  }
  const space = pager.space;
  const state = new Map<number, SpaceRecord>();
  for (let index = pages.length - 1; index >= 0; index--) {
    const page = pages[index]!;
    const end = pageHeaderBytes + page.readUInt32LE(24);
    for (let at = pageHeaderBytes; at < end; ) {
      const id = page.readUInt32LE(at);
      const kind = page[at + 4] as RecordState;
      if (kind === RecordState.deferred) {
        const birth = page.readUInt32LE(at + 5) + page.readUInt32LE(at + 9) * twoTo32;
        const freedAt = page.readUInt32LE(at + 13) + page.readUInt32LE(at + 17) * twoTo32;
        state.set(id, { id, state: kind, birth, freedAt });
        at += deferredRecordBytes;
      } else {
        state.set(id, { id, state: kind, birth: 0, freedAt: 0 });
        at += shortRecordBytes;
      }
    }
  }
  for (const record of state.values()) {
    if (record.id >= space.pageCount) continue;
    if (record.state === RecordState.free) space.release(record.id);
    else if (record.state === RecordState.deferred) space.defer(record.id, record.birth, record.freedAt);
  }
  space.takeChanged();
  return pages.map((page) => pageIdOf(page)).reverse();
}

function currentRecord(space: FreeSpace, deferred: Map<number, { birth: number; freedAt: number }>, id: number): SpaceRecord {
  if (space.isFree(id)) return { id, state: RecordState.free, birth: 0, freedAt: 0 };
  const entry = deferred.get(id);
  if (entry) return { id, state: RecordState.deferred, birth: entry.birth, freedAt: entry.freedAt };
  return { id, state: RecordState.used, birth: 0, freedAt: 0 };
}

export interface SpaceMapWrite {
  head: number;
  chain: number[];
  /** Chain pages the new map no longer uses (after condensing). */
  retired: number[];
}

/**
 * Appends (or, when the chain is long, rewrites) the space map for the state right now; the
 * caller checkpoints that state. Runs synchronously between commits.
 */
export function writeSpaceMap(pager: Pager, birth: number, previousHead: number, previousChain: number[], previousCheckpointSeq: number, forceCondense = false): SpaceMapWrite {
  const space = pager.space;
  const capacityBytes = pager.pageSize - pageHeaderBytes;
  const fullBytes = space.freeCount * shortRecordBytes + space.deferred.length * deferredRecordBytes;
  const condense = (forceCondense && previousChain.length > 0) || previousChain.length >= condensePagesMin && previousChain.length > condenseFactor * (Math.ceil(fullBytes / capacityBytes) + 1);
  // The old chain stays readable for as long as the checkpoint that points at it is kept.
  if (condense) for (const id of previousChain) space.defer(id, previousCheckpointSeq, previousCheckpointSeq + 1);
  const capacity = pager.pageSize - pageHeaderBytes;
  const deferred = new Map<number, { birth: number; freedAt: number }>();
  for (const entry of space.deferred) deferred.set(entry.id, entry);
  const ids = new Set<number>(condense ? [...space.freePages(), ...deferred.keys()] : space.takeChanged());
  if (condense) space.takeChanged();
  // The map's own pages are part of the state it describes, so allocate them before encoding.
  const pages: Buffer[] = [];
  const bytesFor = () => {
    let total = 0;
    for (const id of ids) if (id < space.pageCount) total += recordBytes(currentRecord(space, deferred, id));
    return total;
  };
  while (pages.length * capacity < bytesFor() || pages.length === 0) {
    const page = pager.createSystemPage(PageType.spaceMap, birth);
    pages.push(page);
    ids.add(pageIdOf(page));
    space.changed.delete(pageIdOf(page));
  }
  let pageIndex = 0;
  let at = pageHeaderBytes;
  const finishPage = () => pages[pageIndex]!.writeUInt32LE(at - pageHeaderBytes, 24);
  for (const id of ids) {
    if (id >= space.pageCount) continue;
    const record = currentRecord(space, deferred, id);
    const length = recordBytes(record);
    if (at + length > pager.pageSize) {
      finishPage();
      pageIndex++;
      at = pageHeaderBytes;
    }
    const page = pages[pageIndex]!;
    page.writeUInt32LE(id, at);
    page[at + 4] = record.state;
    if (record.state === RecordState.deferred) {
      page.writeUInt32LE(record.birth % twoTo32, at + 5);
      page.writeUInt32LE(Math.floor(record.birth / twoTo32), at + 9);
      page.writeUInt32LE(record.freedAt % twoTo32, at + 13);
      page.writeUInt32LE(Math.floor(record.freedAt / twoTo32), at + 17);
    }
    at += length;
  }
  finishPage();
  for (let index = pageIndex + 1; index < pages.length; index++) pages[index]!.writeUInt32LE(0, 24);
  // Chain: newest page first; the oldest new page links to the previous head (unless condensed).
  for (let index = pages.length - 1; index > 0; index--) setNextPage(pages[index]!, pageIdOf(pages[index - 1]!));
  setNextPage(pages[0]!, condense ? 0 : previousHead);
  const newIds = pages.map((page) => pageIdOf(page));
  return {
    head: newIds.at(-1)!,
    chain: condense ? newIds : [...previousChain, ...newIds],
    retired: condense ? previousChain : [],
  };
}
