// Spilling operators: the external sort, the hash aggregate and the hash join give the answers
// of their in-memory equivalents when work_mem is tiny (many runs, several merge passes,
// recursive partitions), keep memory within the budget, and leave no temp files behind.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpillingHashAggregate, SpillingHashJoin, type Key } from '../../src/exec/hash/index.js';
import { ExternalSort, type RowCodec } from '../../src/exec/sort/index.js';
import { decodeRow, encodeRow, typeByName, type Value } from '../../src/types/index.js';
import { Rng } from '../differential/querygen/rng.js';

type Row = [number | null, string | null, number];
const rowTypes = [typeByName('int4')!, typeByName('text')!, typeByName('int4')!];
const codec: RowCodec<Row> = { encode: (row) => encodeRow(rowTypes, row), decode: (bytes) => decodeRow(rowTypes, bytes) as Row };
const rowBytes = (row: Row) => 48 + (row[1]?.length ?? 0) * 2;

function compareRows(a: Row, b: Row): number {
  // int ascending NULLS LAST, then text, then the unique sequence number.
  if (a[0] !== b[0]) {
    if (a[0] === null) return 1;
    if (b[0] === null) return -1;
    return a[0] - b[0];
  }
  if (a[1] !== b[1]) {
    if (a[1] === null) return 1;
    if (b[1] === null) return -1;
    return a[1] < b[1] ? -1 : 1;
  }
  return a[2] - b[2];
}

function randomRows(count: number, seed: number, keySpace: number): Row[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => [rng.chance(0.1) ? null : rng.int(0, keySpace), rng.chance(0.1) ? null : `v${rng.int(0, 50)}`.repeat(rng.int(1, 4)), i]);
}

const keyFunctions = {
  hash: (key: Key) => {
    let h = 17;
    for (const value of key) h = Math.imul(h ^ (value === null ? 0x5bd1e995 : typeof value === 'number' ? value : String(value).length * 31 + String(value).charCodeAt(0)), 0x01000193) >>> 0;
    return h;
  },
  equals: (a: Key, b: Key) => a.length === b.length && a.every((value, index) => value === b[index]),
};

describe('spilling operators (src/exec/sort, src/exec/hash)', function () {
  this.timeout(60_000);
  let parent: string;
  beforeEach(() => (parent = mkdtempSync(join(tmpdir(), 'cambium-spill-test-'))));
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('external sort: many runs and several merge passes give the in-memory order, then remove their files', () => {
    const rows = randomRows(30_000, 1, 5000);
    const sort = new ExternalSort<Row>({ compare: compareRows, codec, rowBytes, memoryBytes: 64 * 1024, mergeFanIn: 4, tempDirectory: parent });
    for (const row of rows) sort.add(row);
    const sorted = [...sort.sorted()];
    expect(sorted).to.deep.equal([...rows].sort(compareRows));
    const stats = sort.statistics();
    expect(stats.method).to.equal('external merge');
    expect(stats.mergePasses).to.be.greaterThan(1);
    expect(stats.diskBytes).to.be.greaterThan(0);
    expect(stats.memoryBytes).to.be.lessThan(64 * 1024 + 200);
    expect(readdirSync(parent)).to.deep.equal([]);
  });

  it('external sort stays in memory (quicksort) under the budget, and an early stop still cleans up', () => {
    const rows = randomRows(500, 2, 100);
    const small = new ExternalSort<Row>({ compare: compareRows, codec, rowBytes, tempDirectory: parent });
    for (const row of rows) small.add(row);
    expect([...small.sorted()]).to.deep.equal([...rows].sort(compareRows));
    expect(small.statistics().method).to.equal('quicksort');

    const big = new ExternalSort<Row>({ compare: compareRows, codec, rowBytes, memoryBytes: 8 * 1024, tempDirectory: parent });
    for (const row of randomRows(5000, 3, 100)) big.add(row);
    const iterator = big.sorted();
    iterator.next();
    expect(readdirSync(parent)).to.have.length(1);
    iterator.return();
    expect(readdirSync(parent)).to.deep.equal([]);
  });

  it('top-N heapsort keeps only LIMIT rows and answers like a full sort', () => {
    const rows = randomRows(20_000, 4, 1000);
    for (const limit of [0, 1, 7, 100]) {
      const sort = new ExternalSort<Row>({ compare: compareRows, codec, rowBytes, limit, memoryBytes: 1024, tempDirectory: parent });
      for (const row of rows) sort.add(row);
      expect([...sort.sorted()]).to.deep.equal([...rows].sort(compareRows).slice(0, limit));
      expect(sort.statistics().method).to.equal('top-N heapsort');
    }
    expect(readdirSync(parent)).to.deep.equal([]);
  });

  it('hash aggregate: spilled and recursive partitions give the in-memory groups (NULLs group together)', () => {
    const rows = randomRows(20_000, 5, 20_000);
    const expected = new Map<string, { count: number; sum: number }>();
    for (const row of rows) {
      const key = JSON.stringify([row[0], row[1]]);
      const entry = expected.get(key) ?? { count: 0, sum: 0 };
      entry.count++;
      entry.sum += row[2];
      expected.set(key, entry);
    }
    const aggregate = new SpillingHashAggregate<Row, { count: number; sum: number }>({
      groupKey: (row) => [row[0], row[1]],
      keys: keyFunctions,
      createState: () => ({ count: 0, sum: 0 }),
      update: (state, row) => {
        state.count++;
        state.sum += row[2];
      },
      codec,
      groupBytes: 200,
      memoryBytes: 200 * 200,
      partitions: 8,
      tempDirectory: parent,
    });
    for (const row of rows) aggregate.add(row);
    const actual = new Map<string, { count: number; sum: number }>();
    for (const [key, state] of aggregate.groups()) {
      const name = JSON.stringify(key);
      expect(actual.has(name), `group ${name} emitted twice`).to.equal(false);
      actual.set(name, state);
    }
    expect(actual).to.deep.equal(expected);
    const stats = aggregate.statistics();
    expect(stats.batches).to.be.greaterThan(8);
    expect(stats.memoryBytesPeak).to.be.at.most(200 * 200);
    expect(readdirSync(parent)).to.deep.equal([]);
  });

  for (const memoryBytes of [1 << 30, 16 * 1024]) {
    it(`hash join (${memoryBytes > 1e6 ? 'in memory' : 'spilling'}): inner matches and unmatched rows of both sides equal a nested loop`, () => {
      const build = randomRows(6000, 6, 3000);
      const probe = randomRows(6000, 7, 3000);
      const join = new SpillingHashJoin<Row, Row>({
        buildKey: (row) => [row[0]],
        probeKey: (row) => [row[0]],
        keys: keyFunctions,
        buildCodec: codec,
        probeCodec: codec,
        buildRowBytes: rowBytes,
        emitUnmatchedBuild: true,
        memoryBytes,
        partitions: 8,
        tempDirectory: parent,
      });
      for (const row of build) join.addBuild(row);
      const pairs: string[] = [];
      const unmatchedProbe: number[] = [];
      const unmatchedBuild: number[] = [];
      for (const event of join.join(probe)) {
        if (event.kind === 'unmatchedBuild') {
          unmatchedBuild.push(event.row[2]);
          continue;
        }
        if (event.matches.length === 0) unmatchedProbe.push(event.row[2]);
        for (const match of event.matches) {
          match.matched = true;
          pairs.push(`${event.row[2]}:${match.row[2]}`);
        }
      }
      const byKey = new Map<number, Row[]>();
      for (const row of build) if (row[0] !== null) byKey.set(row[0], [...(byKey.get(row[0]) ?? []), row]);
      const expectedPairs: string[] = [];
      const matchedBuild = new Set<number>();
      const expectedUnmatchedProbe: number[] = [];
      for (const row of probe) {
        const matches = row[0] === null ? [] : byKey.get(row[0]) ?? [];
        if (matches.length === 0) expectedUnmatchedProbe.push(row[2]);
        for (const match of matches) {
          expectedPairs.push(`${row[2]}:${match[2]}`);
          matchedBuild.add(match[2]);
        }
      }
      expect(pairs.sort()).to.deep.equal(expectedPairs.sort());
      expect(unmatchedProbe.sort((a, b) => a - b)).to.deep.equal(expectedUnmatchedProbe.sort((a, b) => a - b));
      expect(unmatchedBuild.sort((a, b) => a - b)).to.deep.equal(build.map((row) => row[2]).filter((id) => !matchedBuild.has(id)).sort((a, b) => a - b));
      expect(join.statistics().batches > 1).to.equal(memoryBytes < 1e6);
      expect(readdirSync(parent)).to.deep.equal([]);
    });
  }

  it('a temp directory disappears with its operator even when abandoned mid-way', () => {
    const sort = new ExternalSort<Row>({ compare: compareRows, codec, rowBytes, memoryBytes: 1024, tempDirectory: parent });
    for (const row of randomRows(2000, 8, 10)) sort.add(row);
    expect(readdirSync(parent)).to.have.length(1);
    sort.close();
    expect(readdirSync(parent)).to.deep.equal([]);
    expect(existsSync(parent)).to.equal(true);
  });
});

export type { Value };
