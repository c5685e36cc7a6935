// `npm run bench -- storage` (or `node dist/bench/storage.js [--quick]`): Cambium's storage engine
// side by side with lmdb-js and better-sqlite3 (WAL mode, synchronous=FULL) on this machine.
// Prints ops/s per engine and the ratio to lmdb-js. Timings are reported, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { open as openLmdb } from 'lmdb';
import Database from 'better-sqlite3';
import { openEngine } from '../src/engine/index.js';

export interface StorageBenchOptions {
  quick?: boolean;
  /** Directory for the databases (a temp dir by default). */
  dir?: string;
  print?: (line: string) => void;
  /** Stop a workload after this long and report the rate so far. */
  timeLimitMs?: number;
}

export interface StorageBenchResult {
  workload: string;
  unit: string;
  cambium: number;
  lmdb: number;
  sqlite: number;
}

const engines = ['cambium', 'lmdb', 'sqlite'] as const;
type EngineName = (typeof engines)[number];

function key8(value: number, into = Buffer.allocUnsafe(8)): Buffer {
  into.writeUInt32BE(Math.floor(value / 0x1_0000_0000), 0);
  into.writeUInt32BE(value >>> 0, 4);
  return into;
}
function makeRandom(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

async function timed(work: () => Promise<number> | number): Promise<{ ops: number; seconds: number }> {
  const start = process.hrtime.bigint();
  const ops = await work();
  return { ops, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

export async function runStorageBench(options: StorageBenchOptions = {}): Promise<StorageBenchResult[]> {
  const print = options.print ?? ((line: string) => console.log(line));
  const scale = options.quick ? 0.02 : 1;
  const timeLimitMs = options.timeLimitMs ?? (options.quick ? 3_000 : 20_000);
  const sequentialCount = Math.round(1_000_000 * scale);
  const batchSize = 10_000;
  const randomCommits = Math.round(200_000 * scale);
  const committers = 16;
  const getCount = Math.round(1_000_000 * scale);
  const snapshotOpens = Math.round(100_000 * scale);
  const valueBytes = 100;
  const value = Buffer.alloc(valueBytes, 0x61);
  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'cambium-bench-'));
  const results: StorageBenchResult[] = [];
  const rates = new Map<string, Record<EngineName, number>>();
  const record = (workload: string, unit: string, engine: EngineName, ops: number, seconds: number) => {
    const rate = rates.get(workload) ?? { cambium: 0, lmdb: 0, sqlite: 0 };
    rate[engine] = unit === 'µs' ? (seconds * 1e6) / ops : ops / seconds;
    rates.set(workload, rate);
    if (!results.find((result) => result.workload === workload)) results.push({ workload, unit, ...rate });
    Object.assign(results.find((result) => result.workload === workload)!, rate);
  };
  const deadline = () => Date.now() + timeLimitMs;

  print(`storage bench${options.quick ? ' (quick)' : ''}: ${sequentialCount} sequential inserts in batches of ${batchSize}, ${randomCommits} durable random inserts from ${committers} committers, ${getCount} random gets, full scan, ${snapshotOpens} snapshot opens under writes`);

  // ---- Cambium ----
  {
    const engine = await openEngine({ dir: join(root, 'cambium') });
    const tree = engine.allocateTreeId();
    const randomTree = engine.allocateTreeId();
    await engine.commit([{ kind: 'createTree', tree }, { kind: 'createTree', tree: randomTree }]).durable;
    let t = await timed(async () => {
      for (let start = 0; start < sequentialCount; start += batchSize) {
        const ops = [];
        for (let i = start; i < Math.min(start + batchSize, sequentialCount); i++) ops.push({ kind: 'put' as const, tree, key: key8(i), value });
        await engine.commit(ops).durable;
      }
      // Count writing the pages out too (LMDB writes them in each commit).
      await engine.checkpoint();
      return sequentialCount;
    });
    record('sequential inserts (batched)', 'ops/s', 'cambium', t.ops, t.seconds);
    t = await timed(async () => {
      const random = makeRandom(7);
      const stopAt = deadline();
      let done = 0;
      await Promise.all(
        Array.from({ length: committers }, async () => {
          while (done < randomCommits && Date.now() < stopAt) {
            done++;
            await engine.commit([{ kind: 'put', tree: randomTree, key: key8(Math.floor(random() * 2 ** 48)), value }]).durable;
          }
        }),
      );
      return done;
    });
    record('durable random inserts, 1 per commit, 16 committers', 'ops/s', 'cambium', t.ops, t.seconds);
    t = await timed(() => {
      const random = makeRandom(11);
      const view = engine.view();
      const probe = Buffer.allocUnsafe(8);
      let found = 0;
      for (let i = 0; i < getCount; i++) if (view.get(tree, key8(Math.floor(random() * sequentialCount), probe)) !== undefined) found++;
      view.release();
      if (found !== getCount) throw new Error(`cambium found ${found} of ${getCount}`);
      return getCount;
    });
    record('random point gets', 'ops/s', 'cambium', t.ops, t.seconds);
    t = await timed(() => {
      const view = engine.view();
      const cursor = view.cursor(tree);
      let rows = 0;
      let bytes = 0;
      while (cursor.next()) {
        rows++;
        bytes += cursor.value.length;
      }
      view.release();
      if (rows !== sequentialCount || bytes !== rows * valueBytes) throw new Error(`cambium scanned ${rows}`);
      return rows;
    });
    record('full ordered scan', 'rows/s', 'cambium', t.ops, t.seconds);
    t = await snapshotLatency(
      async (stop) => {
        let i = 0;
        while (!stop()) await engine.commit([{ kind: 'put', tree: randomTree, key: key8(i++), value }]).durable;
      },
      () => {
        const view = engine.view();
        view.release();
      },
      snapshotOpens,
    );
    record('snapshot open under writes', 'µs', 'cambium', t.ops, t.seconds);
    await engine.close();
  }

  // ---- lmdb-js ----
  {
    // separateFlushed: a write's promise resolves at commit, its `flushed` once synced to disk;
    // the durable workload waits for the latter, as Cambium's receipts do.
    const environment = openLmdb({ path: join(root, 'lmdb'), compression: false, encoding: 'binary', keyEncoding: 'binary', separateFlushed: true });
    const db = environment.openDB({ name: 'sequential', encoding: 'binary', keyEncoding: 'binary' });
    const randomDb = environment.openDB({ name: 'random', encoding: 'binary', keyEncoding: 'binary' });
    let t = await timed(async () => {
      for (let start = 0; start < sequentialCount; start += batchSize) {
        db.transactionSync(() => {
          for (let i = start; i < Math.min(start + batchSize, sequentialCount); i++) db.put(key8(i), value);
        });
      }
      await db.flushed;
      return sequentialCount;
    });
    record('sequential inserts (batched)', 'ops/s', 'lmdb', t.ops, t.seconds);
    t = await timed(async () => {
      const random = makeRandom(7);
      const stopAt = deadline();
      let done = 0;
      await Promise.all(
        Array.from({ length: committers }, async () => {
          while (done < randomCommits && Date.now() < stopAt) {
            done++;
            const written = randomDb.put(key8(Math.floor(random() * 2 ** 48)), value) as Promise<boolean> & { flushed?: Promise<void> };
            await written;
            await written.flushed;
          }
        }),
      );
      return done;
    });
    record('durable random inserts, 1 per commit, 16 committers', 'ops/s', 'lmdb', t.ops, t.seconds);
    t = await timed(() => {
      const random = makeRandom(11);
      const probe = Buffer.allocUnsafe(8);
      let found = 0;
      for (let i = 0; i < getCount; i++) if (db.getBinaryFast(key8(Math.floor(random() * sequentialCount), probe)) !== undefined) found++;
      if (found !== getCount) throw new Error(`lmdb found ${found} of ${getCount}`);
      return getCount;
    });
    record('random point gets', 'ops/s', 'lmdb', t.ops, t.seconds);
    t = await timed(() => {
      let rows = 0;
      let bytes = 0;
      for (const { value: found } of db.getRange({})) {
        rows++;
        bytes += (found as Buffer).length;
      }
      if (rows !== sequentialCount || bytes !== rows * valueBytes) throw new Error(`lmdb scanned ${rows}`);
      return rows;
    });
    record('full ordered scan', 'rows/s', 'lmdb', t.ops, t.seconds);
    t = await snapshotLatency(
      async (stop) => {
        let i = 0;
        while (!stop()) await randomDb.put(key8(i++), value);
      },
      () => {
        const transaction = db.useReadTransaction();
        transaction.done();
      },
      snapshotOpens,
    );
    record('snapshot open under writes', 'µs', 'lmdb', t.ops, t.seconds);
    await environment.close();
  }

  // ---- better-sqlite3 (WAL, synchronous=FULL) ----
  {
    const db = new Database(join(root, 'sqlite.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID; CREATE TABLE r (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID');
    const insert = db.prepare('INSERT OR REPLACE INTO t VALUES (?, ?)');
    const insertRandom = db.prepare('INSERT OR REPLACE INTO r VALUES (?, ?)');
    const select = db.prepare('SELECT v FROM t WHERE k = ?').pluck();
    let t = await timed(() => {
      const batch = db.transaction((start: number) => {
        for (let i = start; i < Math.min(start + batchSize, sequentialCount); i++) insert.run(key8(i), value);
      });
      for (let start = 0; start < sequentialCount; start += batchSize) batch(start);
      db.pragma('wal_checkpoint(TRUNCATE)');
      return sequentialCount;
    });
    record('sequential inserts (batched)', 'ops/s', 'sqlite', t.ops, t.seconds);
    t = await timed(() => {
      // SQLite serialises writers: the 16 committers amount to one commit at a time.
      const random = makeRandom(7);
      const stopAt = deadline();
      let done = 0;
      while (done < randomCommits && Date.now() < stopAt) {
        insertRandom.run(key8(Math.floor(random() * 2 ** 48)), value);
        done++;
      }
      return done;
    });
    record('durable random inserts, 1 per commit, 16 committers', 'ops/s', 'sqlite', t.ops, t.seconds);
    t = await timed(() => {
      const random = makeRandom(11);
      const probe = Buffer.allocUnsafe(8);
      let found = 0;
      for (let i = 0; i < getCount; i++) if (select.get(key8(Math.floor(random() * sequentialCount), probe)) !== undefined) found++;
      if (found !== getCount) throw new Error(`sqlite found ${found} of ${getCount}`);
      return getCount;
    });
    record('random point gets', 'ops/s', 'sqlite', t.ops, t.seconds);
    t = await timed(() => {
      let rows = 0;
      for (const found of db.prepare('SELECT v FROM t ORDER BY k').pluck().iterate()) rows += (found as Buffer).length === valueBytes ? 1 : 0;
      if (rows !== sequentialCount) throw new Error(`sqlite scanned ${rows}`);
      return rows;
    });
    record('full ordered scan', 'rows/s', 'sqlite', t.ops, t.seconds);
    const begin = db.prepare('BEGIN');
    const touch = db.prepare('SELECT 1 FROM t LIMIT 1');
    const end = db.prepare('COMMIT');
    t = await snapshotLatency(
      async (stop) => {
        let i = 0;
        while (!stop()) {
          insertRandom.run(key8(i++), value);
          await new Promise((resolve) => setImmediate(resolve));
        }
      },
      () => {
        begin.run();
        touch.get();
        end.run();
      },
      snapshotOpens,
    );
    record('snapshot open under writes', 'µs', 'sqlite', t.ops, t.seconds);
    db.close();
  }

  if (!options.dir) rmSync(root, { recursive: true, force: true });
  const format = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
  print('');
  print(`${'workload'.padEnd(54)} ${'cambium'.padStart(12)} ${'lmdb-js'.padStart(12)} ${'sqlite'.padStart(12)}  cambium/lmdb`);
  for (const result of results) {
    const ratio = result.unit === 'µs' ? result.lmdb / result.cambium : result.cambium / result.lmdb;
    print(`${`${result.workload} (${result.unit})`.padEnd(54)} ${format(result.cambium).padStart(12)} ${format(result.lmdb).padStart(12)} ${format(result.sqlite).padStart(12)}  ${ratio.toFixed(2)}x${result.unit === 'µs' ? ' (speed)' : ''}`);
  }
  return results;
}

/** Mean time to open and release a snapshot while `writer` keeps committing. */
async function snapshotLatency(writer: (stop: () => boolean) => Promise<void>, openAndRelease: () => void, opens: number): Promise<{ ops: number; seconds: number }> {
  let stopped = false;
  const writing = writer(() => stopped);
  let total = 0;
  let measured = 0;
  // Interleave: a burst of opens per turn of the event loop, so commits land in between.
  while (measured < opens) {
    const burst = Math.min(1000, opens - measured);
    const start = process.hrtime.bigint();
    for (let i = 0; i < burst; i++) openAndRelease();
    total += Number(process.hrtime.bigint() - start);
    measured += burst;
    await new Promise((resolve) => setImmediate(resolve));
  }
  stopped = true;
  await writing;
  return { ops: measured, seconds: total / 1e9 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runStorageBench({ quick: process.argv.includes('--quick') });
}
