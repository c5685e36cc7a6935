// The differential schema: a few small tables with NULL-heavy columns and many duplicate values,
// so that NULL semantics, ties and grouping are exercised by every query class. The data is a pure
// function of the seed, so both servers load byte-identical rows.
import { Rng } from './rng.js';

/** Scalar types the expression generator knows how to produce and combine. */
export type ScalarType = 'int' | 'bigint' | 'numeric' | 'text' | 'bool' | 'date' | 'jsonb' | 'intarray' | 'textarray';

export interface Column {
  readonly name: string;
  readonly type: ScalarType;
  /** The declared SQL type. */
  readonly sqlType: string;
  readonly unique?: boolean;
}

export interface Table {
  readonly name: string;
  readonly columns: readonly Column[];
  /** The view's defining query, for views. */
  readonly viewOf?: string;
}

const col = (name: string, type: ScalarType, sqlType: string, unique = false): Column => ({ name, type, sqlType, unique });

export const tables: readonly Table[] = [
  {
    name: 't1',
    columns: [
      col('id', 'int', 'int4 PRIMARY KEY', true),
      col('a', 'int', 'int4'),
      col('b', 'int', 'int4'),
      col('c', 'text', 'text'),
      col('d', 'numeric', 'numeric(10,2)'),
      col('e', 'bool', 'boolean'),
      col('f', 'date', 'date'),
    ],
  },
  {
    name: 't2',
    columns: [
      col('id', 'int', 'int4 PRIMARY KEY', true),
      col('a', 'int', 'int4'),
      col('x', 'int', 'int4'),
      col('s', 'text', 'text'),
      col('n', 'numeric', 'numeric(10,2)'),
      col('g', 'date', 'date'),
    ],
  },
  {
    name: 't3',
    columns: [
      col('id', 'int', 'int4 PRIMARY KEY', true),
      col('k', 'int', 'int4'),
      col('v', 'text', 'varchar(20)'),
      col('w', 'bigint', 'int8'),
    ],
  },
  {
    name: 'docs',
    columns: [
      col('id', 'int', 'int4 PRIMARY KEY', true),
      col('j', 'jsonb', 'jsonb'),
      col('tags', 'textarray', 'text[]'),
      col('nums', 'intarray', 'int4[]'),
    ],
  },
];

/** Views over the tables: joins of views must behave like joins of their definitions. */
export const views: readonly Table[] = [
  {
    name: 'v12',
    viewOf: 'SELECT t1.id, t1.a, t1.c, t2.x FROM t1 JOIN t2 ON t1.a = t2.a',
    columns: [col('id', 'int', 'int4'), col('a', 'int', 'int4'), col('c', 'text', 'text'), col('x', 'int', 'int4')],
  },
];

/** Tables the relational classes draw from (docs is for json/array classes). */
export const relationalTables = tables.filter((table) => table.name !== 'docs');

export function tableNamed(name: string): Table {
  const table = [...tables, ...views].find((candidate) => candidate.name === name);
  if (!table) throw new Error(`no differential table ${name}`);
  return table;
}

const words = ['apple', 'Apple', 'banana', 'cherry', 'date', '', 'a_b', 'x%y', 'Hello World', 'abc', 'ABC', 'zeta', 'b-c-d', ' pad '];
const tagWords = ['red', 'green', 'blue', 'x', 'y'];

function sqlText(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replace(/'/g, "''")}'`;
}

function maybeNull<T>(rng: Rng, probability: number, make: () => T): T | null {
  return rng.chance(probability) ? null : make();
}

function dateLiteral(rng: Rng): string {
  const year = rng.pick([2023, 2024, 2024, 2025]);
  const month = rng.int(1, 12);
  const day = rng.pick([1, 1, 15, 28, 29, 31].filter((d) => d <= new Date(Date.UTC(year, month, 0)).getUTCDate()));
  return `'${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}'`;
}

function jsonDocument(rng: Rng): string | null {
  if (rng.chance(0.15)) return null;
  const parts: string[] = [];
  if (rng.chance(0.8)) parts.push(`"k": ${rng.chance(0.2) ? 'null' : rng.int(0, 4)}`);
  if (rng.chance(0.7)) parts.push(`"name": "${rng.pick(tagWords)}"`);
  if (rng.chance(0.6)) parts.push(`"arr": [${Array.from({ length: rng.int(0, 3) }, () => rng.int(1, 3)).join(', ')}]`);
  if (rng.chance(0.5)) parts.push(`"nested": {"a": ${rng.int(0, 2)}, "b": ${rng.chance(0.5) ? 'true' : '"s"'}}`);
  if (rng.chance(0.3)) parts.push(`"flag": ${rng.chance(0.5)}`);
  return `{${parts.join(', ')}}`;
}

function arrayLiteral(items: Array<string | number | null>, quote: boolean): string {
  return `'{${items.map((item) => (item === null ? 'NULL' : quote ? `"${item}"` : String(item))).join(',')}}'`;
}

/** DDL and INSERTs that build the differential database, one statement per entry. */
export function schemaStatements(seed = 20261122): string[] {
  const rng = new Rng(seed);
  const statements: string[] = [];
  for (const table of tables) {
    statements.push(`CREATE TABLE ${table.name} (${table.columns.map((c) => `${c.name} ${c.sqlType}`).join(', ')})`);
  }
  const t1: string[] = [];
  for (let id = 1; id <= 30; id++) {
    t1.push(
      `(${id}, ${maybeNull(rng, 0.25, () => rng.int(0, 5)) ?? 'NULL'}, ${maybeNull(rng, 0.3, () => rng.int(-3, 9)) ?? 'NULL'}, ` +
        `${sqlText(maybeNull(rng, 0.2, () => rng.pick(words)))}, ${maybeNull(rng, 0.25, () => (rng.int(-500, 2000) / 4).toFixed(2)) ?? 'NULL'}, ` +
        `${maybeNull(rng, 0.3, () => rng.chance(0.5)) ?? 'NULL'}, ${maybeNull(rng, 0.2, () => dateLiteral(rng)) ?? 'NULL'})`,
    );
  }
  statements.push(`INSERT INTO t1 VALUES ${t1.join(', ')}`);
  const t2: string[] = [];
  for (let id = 1; id <= 24; id++) {
    t2.push(
      `(${id}, ${maybeNull(rng, 0.25, () => rng.int(0, 6)) ?? 'NULL'}, ${maybeNull(rng, 0.2, () => rng.int(0, 4)) ?? 'NULL'}, ` +
        `${sqlText(maybeNull(rng, 0.25, () => rng.pick(words)))}, ${maybeNull(rng, 0.3, () => (rng.int(0, 400) / 2).toFixed(2)) ?? 'NULL'}, ` +
        `${maybeNull(rng, 0.25, () => dateLiteral(rng)) ?? 'NULL'})`,
    );
  }
  statements.push(`INSERT INTO t2 VALUES ${t2.join(', ')}`);
  const t3: string[] = [];
  for (let id = 1; id <= 12; id++) {
    // k points at another t3 id (or nothing): a small graph for recursive CTEs, with a cycle.
    const k = id === 12 ? 3 : maybeNull(rng, 0.2, () => rng.int(1, 12));
    t3.push(`(${id}, ${k ?? 'NULL'}, ${sqlText(maybeNull(rng, 0.2, () => rng.pick(tagWords)))}, ${maybeNull(rng, 0.2, () => rng.int(-2, 3) * 1_000_000_007) ?? 'NULL'})`);
  }
  statements.push(`INSERT INTO t3 VALUES ${t3.join(', ')}`);
  const docs: string[] = [];
  for (let id = 1; id <= 10; id++) {
    const doc = jsonDocument(rng);
    const tags = maybeNull(rng, 0.2, () => Array.from({ length: rng.int(0, 3) }, () => (rng.chance(0.1) ? null : rng.pick(tagWords))));
    const nums = maybeNull(rng, 0.2, () => Array.from({ length: rng.int(0, 4) }, () => (rng.chance(0.1) ? null : rng.int(1, 5))));
    docs.push(`(${id}, ${doc === null ? 'NULL' : sqlText(doc)}, ${tags === null ? 'NULL' : arrayLiteral(tags, true)}, ${nums === null ? 'NULL' : arrayLiteral(nums, false)})`);
  }
  statements.push(`INSERT INTO docs VALUES ${docs.join(', ')}`);
  for (const view of views) statements.push(`CREATE VIEW ${view.name} AS ${view.viewOf}`);
  statements.push('ANALYZE');
  return statements;
}
