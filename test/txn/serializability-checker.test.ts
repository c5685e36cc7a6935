// A randomized serializability checker: seeded concurrent SERIALIZABLE workloads (point reads,
// range reads with bounds/direction/limit, inserts into scanned ranges, read-modify-write
// updates, deletes) run interleaved by a seeded scheduler. Every write stores a unique value, so
// a read identifies the write it saw. The committed transactions' observed reads and the final
// state must be reproduced by replaying them in some serial order (brute force over orders).
// The same checker run at REPEATABLE READ must find violations (write skew), proving it can fail.
import { expect } from 'chai';
import { createTransactionManager } from '../../src/txn/index.js';
import type { IsolationLevel, Transaction, TransactionManager } from '../../src/txn/api.js';
import { isSqlError } from '../../src/util/errors.js';
import { closeTestEngines, openTestEngine } from './test-engine.js';
import { bytes, settle, text } from './helpers.js';

let T = 0;
const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];

type Op =
  | { kind: 'get'; key: string }
  | { kind: 'scan'; lower?: string; lowerInclusive: boolean; upper?: string; upperInclusive: boolean; reverse: boolean; limit?: number }
  | { kind: 'put'; key: string; value: string }
  | { kind: 'update'; key: string; value: string }
  | { kind: 'delete'; key: string };

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateProgram(next: () => number, transaction: number): Op[] {
  const pick = <X>(items: readonly X[]) => items[Math.floor(next() * items.length)]!;
  const ops: Op[] = [];
  const count = 2 + Math.floor(next() * 4);
  for (let index = 0; index < count; index++) {
    const value = `t${transaction}.${index}`;
    const roll = next();
    if (roll < 0.25) ops.push({ kind: 'get', key: pick(keys) });
    else if (roll < 0.5) {
      const [a, b] = [pick(keys), pick(keys)].sort();
      ops.push({
        kind: 'scan',
        lower: next() < 0.2 ? undefined : a,
        lowerInclusive: next() < 0.5,
        upper: next() < 0.2 ? undefined : b,
        upperInclusive: next() < 0.5,
        reverse: next() < 0.3,
        limit: next() < 0.3 ? 1 + Math.floor(next() * 2) : undefined,
      });
    } else if (roll < 0.7) ops.push({ kind: 'put', key: pick(keys), value });
    else if (roll < 0.9) ops.push({ kind: 'update', key: pick(keys), value });
    else ops.push({ kind: 'delete', key: pick(keys) });
  }
  return ops;
}

/** Executes one op against a state-like reader/writer; returns the observation. */
interface Store {
  get(key: string): string | undefined;
  scan(op: Extract<Op, { kind: 'scan' }>): string[];
  put(key: string, value: string): void;
  delete(key: string): void;
}

function apply(store: Store, op: Op): string {
  switch (op.kind) {
    case 'get':
      return String(store.get(op.key));
    case 'scan':
      return store.scan(op).join(',');
    case 'put':
      store.put(op.key, op.value);
      return '';
    case 'update': {
      const current = store.get(op.key);
      if (current !== undefined) store.put(op.key, op.value);
      return String(current);
    }
    case 'delete':
      store.delete(op.key);
      return '';
  }
}

class ModelStore implements Store {
  constructor(readonly rows: Map<string, string>) {}
  get(key: string) {
    return this.rows.get(key);
  }
  scan(op: Extract<Op, { kind: 'scan' }>) {
    let found = [...this.rows.keys()].sort().filter((key) => {
      if (op.lower !== undefined && (op.lowerInclusive ? key < op.lower : key <= op.lower)) return false;
      if (op.upper !== undefined && (op.upperInclusive ? key > op.upper : key >= op.upper)) return false;
      return true;
    });
    if (op.reverse) found.reverse();
    if (op.limit !== undefined) found = found.slice(0, op.limit);
    return found.map((key) => `${key}=${this.rows.get(key)}`);
  }
  put(key: string, value: string) {
    this.rows.set(key, value);
  }
  delete(key: string) {
    this.rows.delete(key);
  }
}

class TransactionStore implements Store {
  constructor(private readonly transaction: Transaction) {}
  get(key: string) {
    return text(this.transaction.get(T, bytes(key)));
  }
  scan(op: Extract<Op, { kind: 'scan' }>) {
    const iterator = this.transaction.scan(
      T,
      {
        lower: op.lower === undefined ? undefined : bytes(op.lower),
        lowerInclusive: op.lowerInclusive,
        upper: op.upper === undefined ? undefined : bytes(op.upper),
        upperInclusive: op.upperInclusive,
      },
      { reverse: op.reverse, limit: op.limit },
    );
    const rows: string[] = [];
    for (let row = iterator.next(); row !== undefined; row = iterator.next()) rows.push(`${text(row.key)}=${text(row.value)}`);
    iterator.close();
    return rows;
  }
  put(key: string, value: string) {
    this.transaction.put(T, bytes(key), bytes(value));
  }
  delete(key: string) {
    this.transaction.delete(T, bytes(key));
  }
}

interface Committed {
  program: Op[];
  observations: string[];
}

function* permutations<X>(items: X[]): Generator<X[]> {
  if (items.length <= 1) {
    yield items;
    return;
  }
  for (let index = 0; index < items.length; index++) {
    const rest = [...items.slice(0, index), ...items.slice(index + 1)];
    for (const tail of permutations(rest)) yield [items[index]!, ...tail];
  }
}

/** Some serial order of the committed transactions reproduces every observation and the final state. */
function serialOrderExists(initial: Map<string, string>, committed: Committed[], final: Map<string, string>): boolean {
  const finalText = JSON.stringify([...final].sort());
  for (const order of permutations(committed)) {
    const model = new ModelStore(new Map(initial));
    const consistent = order.every(({ program, observations }) => program.every((op, index) => apply(model, op) === observations[index]));
    if (consistent && JSON.stringify([...model.rows].sort()) === finalText) return true;
  }
  return false;
}

/** With `withLocks`, writes first lock their row as the executor does (waits, deadlocks included). */
async function runWorkload(seed: number, isolation: IsolationLevel, withLocks = false): Promise<{ serializable: boolean; committed: number }> {
  const next = random(seed);
  const engine = await openTestEngine();
  [T] = await engine.createTrees(1);
  const manager: TransactionManager = createTransactionManager(engine, { deadlockTimeoutMs: 5 });
  const initial = new Map<string, string>();
  const setup = manager.begin({ isolation: 'repeatable read', readOnly: false });
  setup.beginStatement();
  for (const key of keys) {
    if (next() < 0.5) {
      initial.set(key, `init.${key}`);
      setup.put(T, bytes(key), bytes(`init.${key}`));
    }
  }
  await setup.commit();

  const transactionCount = 3 + Math.floor(next() * 3);
  const workers = Array.from({ length: transactionCount }, (_, index) => ({
    program: generateProgram(next, index),
    observations: [] as string[],
    transaction: manager.begin({ isolation, readOnly: false }),
    position: 0,
    done: false,
    busy: false,
    committed: false,
  }));
  type Worker = (typeof workers)[number];
  const abandon = (worker: Worker, error: unknown) => {
    if (!isSqlError(error) || (error.code !== '40001' && error.code !== '40P01')) throw error;
    worker.transaction.rollback();
    worker.done = true;
  };
  const lockThenApply = async (worker: Worker, op: Op) => {
    worker.busy = true;
    try {
      if (op.kind !== 'get' && op.kind !== 'scan') await worker.transaction.lockRow(T, bytes(op.key), 'no key update', 'wait');
      worker.observations.push(apply(new TransactionStore(worker.transaction), op));
    } catch (error) {
      abandon(worker, error);
    } finally {
      worker.busy = false;
    }
  };
  const commits: Promise<void>[] = [];
  const unexpected: unknown[] = [];
  while (workers.some((worker) => !worker.done)) {
    const live = workers.filter((worker) => !worker.done && !worker.busy);
    if (live.length === 0) {
      await settle(); // everyone left waits for a row lock
      continue;
    }
    const worker = live[Math.floor(next() * live.length)]!;
    if (next() < 0.15) await settle(); // let pending commits become durable (visible to new snapshots)
    try {
      if (worker.position < worker.program.length) {
        worker.transaction.beginStatement();
        const op = worker.program[worker.position++]!;
        if (withLocks) {
          void lockThenApply(worker, op);
          await Promise.resolve();
        } else {
          worker.observations.push(apply(new TransactionStore(worker.transaction), op));
        }
      } else {
        worker.done = true;
        const commit = worker.transaction.commit().then(
          () => void (worker.committed = true),
          (error: unknown) => void (isSqlError(error) && error.code === '40001' ? undefined : unexpected.push(error)),
        );
        commits.push(commit);
        await Promise.resolve();
      }
    } catch (error) {
      abandon(worker, error);
    }
  }
  await Promise.all(commits);
  expect(unexpected).to.deep.equal([]);
  const reader = manager.begin({ isolation: 'repeatable read', readOnly: true });
  reader.beginStatement();
  const final = new Map<string, string>();
  const iterator = reader.scan(T);
  for (let row = iterator.next(); row !== undefined; row = iterator.next()) final.set(text(row.key)!, text(row.value)!);
  reader.rollback();
  const committed = workers.filter((worker) => worker.committed);
  expect(manager.activeCount()).to.equal(0);
  expect(manager.retainedCommitCount()).to.equal(0);
  expect(engine.pinnedViews).to.equal(0);
  await closeTestEngines();
  return { serializable: serialOrderExists(initial, committed, final), committed: committed.length };
}

describe('txn: randomized serializability checker', function () {
  afterEach(closeTestEngines);
  this.timeout(30_000);

  it('every committed SERIALIZABLE history is reproduced by some serial order (400 seeded workloads)', async () => {
    let committed = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const outcome = await runWorkload(seed, 'serializable');
      expect(outcome.serializable, `seed ${seed} produced a non-serializable history`).to.equal(true);
      committed += outcome.committed;
    }
    expect(committed).to.be.greaterThan(400); // most workloads commit more than one transaction
  });

  it('the same with row locks taken before every write, as the executor does (waits and deadlocks)', async () => {
    for (let seed = 1001; seed <= 1300; seed++) {
      const outcome = await runWorkload(seed, 'serializable', true);
      expect(outcome.serializable, `seed ${seed} produced a non-serializable history`).to.equal(true);
    }
  });

  it('the checker does catch anomalies: REPEATABLE READ histories include non-serializable ones', async () => {
    let violations = 0;
    for (let seed = 1; seed <= 400; seed++) if (!(await runWorkload(seed, 'repeatable read')).serializable) violations++;
    expect(violations).to.be.greaterThan(5);
  });
});
