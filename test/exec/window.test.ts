// Window frames and functions checked against PostgreSQL 15 itself: random partitions with NULLs
// and ties, random ROWS/RANGE/GROUPS frames with EXCLUDE, every window function; each case's
// answer from src/exec/window must equal PostgreSQL's for the same data.
import { expect } from 'chai';
import type pg from 'pg';
import { FrameLocator, evaluateWindowFunction, peerGroups, type Accumulator, type FrameBound, type FrameSpec, type WindowFunctionSpec } from '../../src/exec/window/index.js';
import { sharedPostgres } from '../harness/postgres.js';
import { connectAsText } from '../differential/runner.js';
import { Rng } from '../differential/querygen/rng.js';

interface TestRow {
  id: number;
  p: number | null;
  o: number | null;
  v: number | null;
}

/** Test doubles for aggregates (the functions layer owns the real ones). */
const testAggregates: Record<string, () => Accumulator> = {
  sum: () => {
    let total: number | null = null;
    return { add: ([x]) => void (total = (total ?? 0) + (x as number)), result: () => total };
  },
  count: () => {
    let count = 0;
    return { add: () => void count++, result: () => count };
  },
  min: () => {
    let min: number | null = null;
    return { add: ([x]) => void (min = min === null || (x as number) < min ? (x as number) : min), result: () => min };
  },
  max: () => {
    let max: number | null = null;
    return { add: ([x]) => void (max = max === null || (x as number) > max ? (x as number) : max), result: () => max };
  },
};

function compareNullable(a: number | null, b: number | null, descending: boolean, nullsFirst: boolean): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === nullsFirst ? -1 : 1;
  }
  return descending ? b - a : a - b;
}

function boundSql(bound: FrameBound): string {
  switch (bound.kind) {
    case 'unboundedPreceding':
      return 'UNBOUNDED PRECEDING';
    case 'unboundedFollowing':
      return 'UNBOUNDED FOLLOWING';
    case 'currentRow':
      return 'CURRENT ROW';
    case 'preceding':
      return `${String(bound.offset)} PRECEDING`;
    case 'following':
      return `${String(bound.offset)} FOLLOWING`;
  }
}

function randomBound(rng: Rng, isStart: boolean): FrameBound {
  const offset = rng.int(0, 3);
  return rng.pick<FrameBound>([
    isStart ? { kind: 'unboundedPreceding' } : { kind: 'unboundedFollowing' },
    { kind: 'currentRow' },
    { kind: 'preceding', offset },
    { kind: 'following', offset },
  ]);
}

function legalFrame(spec: FrameSpec): boolean {
  const { start, end } = spec;
  if (start.kind === 'currentRow' && end.kind === 'preceding') return false;
  if (start.kind === 'following' && (end.kind === 'preceding' || end.kind === 'currentRow')) return false;
  return true;
}

interface Case {
  rows: TestRow[];
  sqlFunction: string;
  spec: (accessors: { value: (i: number) => number | null }) => WindowFunctionSpec;
  frame: FrameSpec | undefined;
  descending: boolean;
  nullsFirst: boolean;
  orderById: boolean;
}

function randomCase(rng: Rng): Case {
  const rows: TestRow[] = Array.from({ length: rng.int(0, 14) }, (_, i) => ({
    id: i + 1,
    p: rng.chance(0.2) ? null : rng.int(1, 2),
    o: rng.chance(0.2) ? null : rng.int(0, 4),
    v: rng.chance(0.2) ? null : rng.int(-3, 5),
  }));
  const descending = rng.chance(0.4);
  const nullsFirst = rng.chance(0.5) ? descending : !descending; // sometimes the default, sometimes not
  const aggregate = rng.pick(Object.keys(testAggregates));
  const kinds = ['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value', 'aggregate'] as const;
  const kind = rng.pick(kinds);
  const tieSensitive = ['row_number', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value'].includes(kind);
  let frame: FrameSpec | undefined;
  let orderById = tieSensitive;
  if ((kind === 'aggregate' || kind.endsWith('_value')) && rng.chance(0.8)) {
    const mode = rng.pick(['rows', 'range', 'groups'] as const);
    let spec: FrameSpec;
    do {
      spec = { mode, start: randomBound(rng, true), end: randomBound(rng, false), exclude: tieSensitive ? 'noOthers' : rng.pick(['noOthers', 'currentRow', 'group', 'ties'] as const) };
    } while (!legalFrame(spec));
    frame = spec;
    if (mode === 'rows') orderById = true;
    // RANGE with offsets allows only one ORDER BY key: ties then don't matter only for aggregates.
    const hasOffset = [spec.start, spec.end].some((b) => b.kind === 'preceding' || b.kind === 'following');
    if (mode === 'range' && hasOffset) {
      if (tieSensitive) frame = { ...spec, start: { kind: 'unboundedPreceding' }, end: { kind: 'currentRow' } };
      else orderById = false;
    }
  }
  const n = rng.int(1, 4);
  const offset = rng.int(0, 2);
  const sqlFunction = {
    row_number: 'row_number()',
    rank: 'rank()',
    dense_rank: 'dense_rank()',
    percent_rank: 'percent_rank()',
    cume_dist: 'cume_dist()',
    ntile: `ntile(${n})`,
    lag: `lag(v, ${offset}, -100)`,
    lead: `lead(v, ${offset})`,
    first_value: 'first_value(v)',
    last_value: 'last_value(v)',
    nth_value: `nth_value(v, ${n})`,
    aggregate: aggregate === 'count' ? 'count(v)' : `${aggregate}(v)`,
  }[kind];
  const spec = ({ value }: { value: (i: number) => number | null }): WindowFunctionSpec => {
    switch (kind) {
      case 'ntile':
        return { kind, buckets: () => n };
      case 'lag':
        return { kind, value, offset: () => offset, defaultValue: () => -100 };
      case 'lead':
        return { kind, value, offset: () => offset };
      case 'first_value':
      case 'last_value':
        return { kind, value };
      case 'nth_value':
        return { kind, value, position: () => n };
      case 'aggregate':
        return { kind, create: testAggregates[aggregate]!, args: (i) => [value(i)], strict: true };
      default:
        return { kind };
    }
  };
  return { rows, sqlFunction, spec, frame, descending, nullsFirst, orderById };
}

function frameSql(frame: FrameSpec | undefined): string {
  if (!frame) return '';
  const exclude = { noOthers: '', currentRow: ' EXCLUDE CURRENT ROW', group: ' EXCLUDE GROUP', ties: ' EXCLUDE TIES' }[frame.exclude];
  return ` ${frame.mode.toUpperCase()} BETWEEN ${boundSql(frame.start)} AND ${boundSql(frame.end)}${exclude}`;
}

function caseSql(c: Case): string {
  const values = c.rows.map((r) => `(${r.id}, ${r.p ?? 'NULL'}::int, ${r.o ?? 'NULL'}::int, ${r.v ?? 'NULL'}::int)`).join(', ');
  const order = `ORDER BY o${c.descending ? ' DESC' : ''} NULLS ${c.nullsFirst ? 'FIRST' : 'LAST'}${c.orderById ? ', id' : ''}`;
  return `SELECT id, ${c.sqlFunction} OVER (PARTITION BY p ${order}${frameSql(c.frame)}) FROM (VALUES ${values}) AS t(id, p, o, v) ORDER BY id`;
}

/** The same window computed by src/exec/window: partition, sort, evaluate; results by id. */
function evaluateCase(c: Case): Map<number, string | null> {
  const partitions = new Map<string, TestRow[]>();
  for (const row of c.rows) {
    const key = String(row.p);
    partitions.set(key, [...(partitions.get(key) ?? []), row]);
  }
  const results = new Map<number, string | null>();
  for (const partition of partitions.values()) {
    partition.sort((a, b) => compareNullable(a.o, b.o, c.descending, c.nullsFirst) || (c.orderById ? a.id - b.id : 0));
    const peers = peerGroups(partition.length, (i, j) => compareNullable(partition[i]!.o, partition[j]!.o, false, false) === 0 && (!c.orderById || partition[i]!.id === partition[j]!.id));
    const frame: FrameSpec = c.frame ?? { mode: 'range', start: { kind: 'unboundedPreceding' }, end: { kind: 'currentRow' }, exclude: 'noOthers' };
    const locator = new FrameLocator(peers, frame, {
      key: (i) => partition[i]!.o,
      descending: c.descending,
      nullsFirst: c.nullsFirst,
      inRange: (value, base, offset, subtract, less) => {
        const bound = subtract ? (base as number) - (offset as number) : (base as number) + (offset as number);
        return less ? (value as number) <= bound : (value as number) >= bound;
      },
    });
    const values = evaluateWindowFunction(c.spec({ value: (i) => partition[i]!.v }), peers, locator);
    partition.forEach((row, i) => results.set(row.id, values[i] === null ? null : String(values[i])));
  }
  return results;
}

describe('window frames and functions (src/exec/window) vs PostgreSQL 15', function () {
  this.timeout(60_000);
  let client: pg.Client;

  before(async () => {
    const server = await sharedPostgres();
    client = await connectAsText({ host: server.host, port: server.port, user: server.user, database: server.database });
  });
  after(async () => client?.end());

  it('agrees on 400 random windows (ranking, offsets, frame values, aggregates; ROWS/RANGE/GROUPS; EXCLUDE)', async () => {
    const rng = new Rng(7);
    const failures: string[] = [];
    for (let i = 0; i < 400; i++) {
      const c = randomCase(rng);
      if (c.rows.length === 0) continue;
      const sql = caseSql(c);
      const result = await client.query({ text: sql, rowMode: 'array' });
      const mine = evaluateCase(c);
      for (const [id, value] of result.rows as Array<[string, string | null]>) {
        const expected = value;
        const actual = mine.get(Number(id)) ?? null;
        if (expected !== actual) {
          failures.push(`${sql}\n  id ${id}: PostgreSQL ${expected}, ours ${actual}`);
          break;
        }
      }
    }
    expect(failures.slice(0, 5)).to.deep.equal([]);
  });

  it('rejects bad arguments with PostgreSQL SQLSTATEs', () => {
    const peers = peerGroups(3, () => false);
    const locator = new FrameLocator(peers, { mode: 'rows', start: { kind: 'unboundedPreceding' }, end: { kind: 'currentRow' }, exclude: 'noOthers' });
    expect(() => evaluateWindowFunction({ kind: 'ntile', buckets: () => 0 }, peers, locator)).to.throw().with.property('code', '22014');
    expect(() => evaluateWindowFunction({ kind: 'nth_value', value: () => 1, position: () => 0 }, peers, locator)).to.throw().with.property('code', '22016');
    expect(() => new FrameLocator(peers, { mode: 'rows', start: { kind: 'preceding', offset: -1 }, end: { kind: 'currentRow' }, exclude: 'noOthers' })).to.throw().with.property('code', '22013');
  });

  it('running aggregates grow one accumulator when result() is repeatable (linear, same answers)', () => {
    const n = 20_000;
    const peers = peerGroups(n, () => false);
    const locator = new FrameLocator(peers, { mode: 'rows', start: { kind: 'unboundedPreceding' }, end: { kind: 'currentRow' }, exclude: 'noOthers' });
    let adds = 0;
    const sum = (): Accumulator => {
      let total = 0;
      return { add: ([x]) => void ((total += x as number), adds++), result: () => total };
    };
    const values = evaluateWindowFunction({ kind: 'aggregate', create: sum, args: (i) => [i], strict: true, repeatableResult: true }, peers, locator);
    expect(values[n - 1]).to.equal((n * (n - 1)) / 2);
    expect(adds).to.equal(n);
  });
});
