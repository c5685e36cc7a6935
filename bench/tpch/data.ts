// A TPC-H-style data generator of our own: the eight tables with the spec's shapes, value
// domains and correlations (dates, flags, prices, keys) at a small scale factor, fully
// determined by the scale and a seed, emitted as batched INSERT statements both servers accept.
import { Rng } from '../../test/differential/querygen/rng.js';

export const schemaStatements = [
  'CREATE TABLE region (r_regionkey int4 PRIMARY KEY, r_name text NOT NULL, r_comment text)',
  'CREATE TABLE nation (n_nationkey int4 PRIMARY KEY, n_name text NOT NULL, n_regionkey int4 NOT NULL, n_comment text)',
  'CREATE TABLE supplier (s_suppkey int4 PRIMARY KEY, s_name text NOT NULL, s_address text NOT NULL, s_nationkey int4 NOT NULL, s_phone text NOT NULL, s_acctbal numeric(15,2) NOT NULL, s_comment text NOT NULL)',
  'CREATE TABLE part (p_partkey int4 PRIMARY KEY, p_name text NOT NULL, p_mfgr text NOT NULL, p_brand text NOT NULL, p_type text NOT NULL, p_size int4 NOT NULL, p_container text NOT NULL, p_retailprice numeric(15,2) NOT NULL, p_comment text NOT NULL)',
  'CREATE TABLE partsupp (ps_partkey int4 NOT NULL, ps_suppkey int4 NOT NULL, ps_availqty int4 NOT NULL, ps_supplycost numeric(15,2) NOT NULL, ps_comment text NOT NULL, PRIMARY KEY (ps_partkey, ps_suppkey))',
  'CREATE TABLE customer (c_custkey int4 PRIMARY KEY, c_name text NOT NULL, c_address text NOT NULL, c_nationkey int4 NOT NULL, c_phone text NOT NULL, c_acctbal numeric(15,2) NOT NULL, c_mktsegment text NOT NULL, c_comment text NOT NULL)',
  'CREATE TABLE orders (o_orderkey int4 PRIMARY KEY, o_custkey int4 NOT NULL, o_orderstatus char(1) NOT NULL, o_totalprice numeric(15,2) NOT NULL, o_orderdate date NOT NULL, o_orderpriority text NOT NULL, o_clerk text NOT NULL, o_shippriority int4 NOT NULL, o_comment text NOT NULL)',
  'CREATE TABLE lineitem (l_orderkey int4 NOT NULL, l_partkey int4 NOT NULL, l_suppkey int4 NOT NULL, l_linenumber int4 NOT NULL, l_quantity numeric(15,2) NOT NULL, l_extendedprice numeric(15,2) NOT NULL, l_discount numeric(15,2) NOT NULL, l_tax numeric(15,2) NOT NULL, l_returnflag char(1) NOT NULL, l_linestatus char(1) NOT NULL, l_shipdate date NOT NULL, l_commitdate date NOT NULL, l_receiptdate date NOT NULL, l_shipinstruct text NOT NULL, l_shipmode text NOT NULL, l_comment text NOT NULL, PRIMARY KEY (l_orderkey, l_linenumber))',
];

export const tableNames = ['region', 'nation', 'supplier', 'part', 'partsupp', 'customer', 'orders', 'lineitem'] as const;

const regions = ['AFRICA', 'AMERICA', 'ASIA', 'EUROPE', 'MIDDLE EAST'];
const nations: Array<[string, number]> = [
  ['ALGERIA', 0], ['ARGENTINA', 1], ['BRAZIL', 1], ['CANADA', 1], ['EGYPT', 4], ['ETHIOPIA', 0], ['FRANCE', 3], ['GERMANY', 3],
  ['INDIA', 2], ['INDONESIA', 2], ['IRAN', 4], ['IRAQ', 4], ['JAPAN', 2], ['JORDAN', 4], ['KENYA', 0], ['MOROCCO', 0],
  ['MOZAMBIQUE', 0], ['PERU', 1], ['CHINA', 2], ['ROMANIA', 3], ['SAUDI ARABIA', 4], ['VIETNAM', 2], ['RUSSIA', 3],
  ['UNITED KINGDOM', 3], ['UNITED STATES', 1],
];
const colors = ['almond', 'antique', 'aquamarine', 'azure', 'beige', 'bisque', 'black', 'blanched', 'blue', 'blush', 'brown', 'burlywood', 'chartreuse', 'chiffon', 'chocolate', 'coral', 'cornflower', 'cream', 'cyan', 'dark', 'deep', 'dim', 'dodger', 'drab', 'firebrick', 'floral', 'forest', 'frosted', 'gainsboro', 'ghost', 'goldenrod', 'green', 'grey', 'honeydew', 'hot', 'indian', 'ivory', 'khaki', 'lace', 'lavender', 'lawn', 'lemon', 'light', 'lime', 'linen', 'magenta', 'maroon', 'medium', 'metallic', 'midnight', 'mint', 'misty', 'moccasin', 'navajo', 'navy', 'olive', 'orange', 'orchid', 'pale', 'papaya', 'peach', 'peru', 'pink', 'plum', 'powder', 'puff', 'purple', 'red', 'rose', 'rosy', 'royal', 'saddle', 'salmon', 'sandy', 'seashell', 'sienna', 'sky', 'slate', 'smoke', 'snow', 'spring', 'steel', 'tan', 'thistle', 'tomato', 'turquoise', 'violet', 'wheat', 'white', 'yellow'];
const typeSyllables = [['STANDARD', 'SMALL', 'MEDIUM', 'LARGE', 'ECONOMY', 'PROMO'], ['ANODIZED', 'BURNISHED', 'PLATED', 'POLISHED', 'BRUSHED'], ['TIN', 'NICKEL', 'BRASS', 'STEEL', 'COPPER']];
const containerSyllables = [['SM', 'LG', 'MED', 'JUMBO', 'WRAP'], ['CASE', 'BOX', 'BAG', 'JAR', 'PKG', 'PACK', 'CAN', 'DRUM']];
const segments = ['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'MACHINERY', 'HOUSEHOLD'];
const priorities = ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'];
const instructions = ['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'];
const shipModes = ['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'];
const commentWords = ['furiously', 'quickly', 'carefully', 'blithely', 'slyly', 'regular', 'final', 'express', 'pending', 'ironic', 'even', 'bold', 'packages', 'deposits', 'accounts', 'requests', 'instructions', 'theodolites', 'foxes', 'ideas', 'sleep', 'haggle', 'nag', 'wake', 'cajole', 'special', 'among', 'above', 'the'];

const startDate = Date.UTC(1992, 0, 1) / 86_400_000;
const currentDate = Date.UTC(1995, 5, 17) / 86_400_000;
const endDate = Date.UTC(1998, 11, 31) / 86_400_000;

function dateText(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function comment(rng: Rng, words: number): string {
  return Array.from({ length: words }, () => rng.pick(commentWords)).join(' ');
}

function phone(rng: Rng, nationKey: number): string {
  return `${nationKey + 10}-${rng.int(100, 999)}-${rng.int(100, 999)}-${rng.int(1000, 9999)}`;
}

export interface TableRows {
  table: (typeof tableNames)[number];
  /** Row tuples as SQL literal lists, e.g. `(1, 'x', 2.50)`. */
  rows: string[];
}

export interface ScaleCounts {
  suppliers: number;
  parts: number;
  customers: number;
  orders: number;
}

export function scaleCounts(scaleFactor: number): ScaleCounts {
  return {
    suppliers: Math.max(10, Math.round(10_000 * scaleFactor)),
    parts: Math.max(40, Math.round(200_000 * scaleFactor)),
    customers: Math.max(30, Math.round(150_000 * scaleFactor)),
    orders: Math.max(300, Math.round(1_500_000 * scaleFactor)),
  };
}

/** All rows of all tables for a scale factor (0.01 ≈ 60 000 line items). */
export function generateTables(scaleFactor: number, seed = 19920101): TableRows[] {
  const rng = new Rng(seed);
  const counts = scaleCounts(scaleFactor);
  const out: TableRows[] = [];
  out.push({ table: 'region', rows: regions.map((name, key) => `(${key}, ${quote(name)}, ${quote(comment(rng, 6))})`) });
  out.push({ table: 'nation', rows: nations.map(([name, region], key) => `(${key}, ${quote(name)}, ${region}, ${quote(comment(rng, 8))})`) });

  const suppliers: string[] = [];
  for (let key = 1; key <= counts.suppliers; key++) {
    const nationKey = rng.int(0, 24);
    // About 1 in 200 suppliers has a complaint recorded (TPC-H's Q16 looks for them).
    const remark = rng.chance(0.005 * 10) ? `${comment(rng, 2)} Customer ${comment(rng, 1)} Complaints ${comment(rng, 2)}` : comment(rng, 7);
    suppliers.push(`(${key}, ${quote(`Supplier#${String(key).padStart(9, '0')}`)}, ${quote(comment(rng, 2))}, ${nationKey}, ${quote(phone(rng, nationKey))}, ${money(rng.int(-99_999, 999_999))}, ${quote(remark)})`);
  }
  out.push({ table: 'supplier', rows: suppliers });

  const retailCents: number[] = [0];
  const parts: string[] = [];
  for (let key = 1; key <= counts.parts; key++) {
    const name = rng.sample(colors, 5).join(' ');
    const manufacturer = rng.int(1, 5);
    const cents = 90_000 + (Math.floor(key / 10) % 20_001) + 100 * (key % 1000);
    retailCents.push(cents);
    const type = typeSyllables.map((syllables) => rng.pick(syllables)).join(' ');
    const container = containerSyllables.map((syllables) => rng.pick(syllables)).join(' ');
    parts.push(`(${key}, ${quote(name)}, ${quote(`Manufacturer#${manufacturer}`)}, ${quote(`Brand#${manufacturer}${rng.int(1, 5)}`)}, ${quote(type)}, ${rng.int(1, 50)}, ${quote(container)}, ${money(cents)}, ${quote(comment(rng, 3))})`);
  }
  out.push({ table: 'part', rows: parts });

  const partSuppliers = (partKey: number, index: number) => ((partKey + index * (Math.floor(counts.suppliers / 4) + Math.floor((partKey - 1) / counts.suppliers))) % counts.suppliers) + 1;
  const partsupp: string[] = [];
  for (let key = 1; key <= counts.parts; key++) {
    const seen = new Set<number>();
    for (let index = 0; index < 4; index++) {
      const supplier = partSuppliers(key, index);
      if (seen.has(supplier)) continue;
      seen.add(supplier);
      const cost = rng.int(100, 100_000);
      partsupp.push(`(${key}, ${supplier}, ${rng.int(1, 9999)}, ${money(cost)}, ${quote(comment(rng, 8))})`);
    }
  }
  out.push({ table: 'partsupp', rows: partsupp });

  const customers: string[] = [];
  for (let key = 1; key <= counts.customers; key++) {
    const nationKey = rng.int(0, 24);
    customers.push(`(${key}, ${quote(`Customer#${String(key).padStart(9, '0')}`)}, ${quote(comment(rng, 2))}, ${nationKey}, ${quote(phone(rng, nationKey))}, ${money(rng.int(-99_999, 999_999))}, ${quote(rng.pick(segments))}, ${quote(comment(rng, 6))})`);
  }
  out.push({ table: 'customer', rows: customers });

  const orders: string[] = [];
  const lineitems: string[] = [];
  for (let orderKey = 1; orderKey <= counts.orders; orderKey++) {
    // A third of the customers (keys divisible by 3) never order.
    let customer = rng.int(1, counts.customers);
    while (customer % 3 === 0) customer = rng.int(1, counts.customers);
    const orderDate = rng.int(startDate, endDate - 151);
    const lineCount = rng.int(1, 7);
    let totalCents = 0;
    let shippedLines = 0;
    for (let line = 1; line <= lineCount; line++) {
      const partKey = rng.int(1, counts.parts);
      const supplier = partSuppliers(partKey, rng.int(0, 3));
      const quantity = rng.int(1, 50);
      const extendedCents = quantity * retailCents[partKey]!;
      const discount = rng.int(0, 10);
      const tax = rng.int(0, 8);
      const shipDate = orderDate + rng.int(1, 121);
      const commitDate = orderDate + rng.int(30, 90);
      const receiptDate = shipDate + rng.int(1, 30);
      const returnFlag = receiptDate <= currentDate ? rng.pick(['R', 'A']) : 'N';
      const lineStatus = shipDate > currentDate ? 'O' : 'F';
      if (lineStatus === 'F') shippedLines++;
      totalCents += Math.round((extendedCents * (100 + tax) * (100 - discount)) / 10_000);
      lineitems.push(
        `(${orderKey}, ${partKey}, ${supplier}, ${line}, ${quantity}, ${money(extendedCents)}, 0.${String(discount).padStart(2, '0')}, 0.${String(tax).padStart(2, '0')}, ` +
          `'${returnFlag}', '${lineStatus}', '${dateText(shipDate)}', '${dateText(commitDate)}', '${dateText(receiptDate)}', ${quote(rng.pick(instructions))}, ${quote(rng.pick(shipModes))}, ${quote(comment(rng, 4))})`,
      );
    }
    const status = shippedLines === lineCount ? 'F' : shippedLines === 0 ? 'O' : 'P';
    const remark = rng.chance(0.02) ? `${comment(rng, 2)} special ${comment(rng, 1)} requests ${comment(rng, 2)}` : comment(rng, 6);
    orders.push(`(${orderKey}, ${customer}, '${status}', ${money(totalCents)}, '${dateText(orderDate)}', ${quote(rng.pick(priorities))}, ${quote(`Clerk#${String(rng.int(1, 1000)).padStart(9, '0')}`)}, 0, ${quote(remark)})`);
  }
  out.push({ table: 'orders', rows: orders });
  out.push({ table: 'lineitem', rows: lineitems });
  return out;
}

/** INSERT statements of at most `batchRows` rows each. */
export function insertStatements(tables: TableRows[], batchRows = 500): string[] {
  const statements: string[] = [];
  for (const { table, rows } of tables) {
    for (let start = 0; start < rows.length; start += batchRows) statements.push(`INSERT INTO ${table} VALUES ${rows.slice(start, start + batchRows).join(', ')}`);
  }
  return statements;
}
