// Joins of every kind: INNER/LEFT/RIGHT/FULL/CROSS, NATURAL, USING, LATERAL, self-joins, joins of
// views and derived tables.
import { expressions, orderByAll, randomTable, selectItem, tableItem, type FromItem } from './common.js';
import type { ColumnRef } from './expressions.js';
import type { QueryBody } from './query.js';
import type { Rng } from './rng.js';
import { tableNamed, views } from './schema.js';

function intColumns(item: FromItem): ColumnRef[] {
  return item.scope.filter((column) => column.type === 'int');
}

function derivedTable(rng: Rng, alias: string): FromItem {
  const table = randomTable(rng);
  const inner = tableItem(table, 'i');
  const ints = intColumns(inner).filter((column) => !column.sql.endsWith('.id'));
  const key = ints.length > 0 ? rng.pick(ints).sql : 'i.id';
  if (rng.chance(0.5)) {
    const where = expressions(rng, inner.scope).predicate();
    return {
      sql: `(SELECT i.id, ${key} AS k, ${rng.pick(inner.scope.filter((c) => c.type === 'text' || c.type === 'int')).sql} AS val FROM ${inner.sql} WHERE ${where}) AS ${alias}`,
      alias,
      scope: [
        { sql: `${alias}.id`, type: 'int' },
        { sql: `${alias}.k`, type: 'int' },
      ],
    };
  }
  return {
    sql: `(SELECT ${key} AS k, count(*) AS cnt, min(i.id) AS first_id FROM ${inner.sql} GROUP BY ${key}) AS ${alias}`,
    alias,
    scope: [
      { sql: `${alias}.k`, type: 'int' },
      { sql: `${alias}.cnt`, type: 'bigint' },
      { sql: `${alias}.first_id`, type: 'int' },
    ],
  };
}

function fromItem(rng: Rng, alias: string): FromItem {
  const roll = rng.next();
  if (roll < 0.7) return tableItem(randomTable(rng), alias);
  if (roll < 0.82) return tableItem(rng.pick(views), alias);
  return derivedTable(rng, alias);
}

/** `l.x = r.y [AND …]`: equalities only, so FULL JOIN stays merge/hash-joinable as PostgreSQL requires. */
function equiCondition(rng: Rng, left: ColumnRef[], right: FromItem): string {
  const rightInts = intColumns(right);
  const pairs = rng.chance(0.25) ? 2 : 1;
  const parts: string[] = [];
  for (let i = 0; i < pairs; i++) parts.push(`${rng.pick(left.filter((c) => c.type === 'int')).sql} = ${rng.pick(rightInts).sql}`);
  return parts.join(' AND ');
}

function lateralItem(rng: Rng, outer: ColumnRef[], alias: string): { sql: string; item: FromItem } {
  const outerInt = rng.pick(outer.filter((column) => column.type === 'int')).sql;
  const kind = rng.int(0, 3);
  if (kind === 0) {
    return {
      sql: `LATERAL (SELECT y.id AS yid, y.s, y.n FROM t2 AS y WHERE y.a ${rng.pick(['=', '<', '>='])} ${outerInt} ORDER BY y.id${rng.chance(0.5) ? ' DESC' : ''} LIMIT ${rng.int(1, 3)}) AS ${alias}`,
      item: { sql: '', alias, scope: [{ sql: `${alias}.yid`, type: 'int' }, { sql: `${alias}.s`, type: 'text' }, { sql: `${alias}.n`, type: 'numeric' }] },
    };
  }
  if (kind === 1) {
    return {
      sql: `LATERAL (SELECT count(*) AS cnt, max(y.x) AS mx FROM t2 AS y WHERE y.a = ${outerInt}) AS ${alias}`,
      item: { sql: '', alias, scope: [{ sql: `${alias}.cnt`, type: 'bigint' }, { sql: `${alias}.mx`, type: 'int' }] },
    };
  }
  if (kind === 2) {
    return {
      sql: `LATERAL generate_series(1, COALESCE(abs(${outerInt}), 0) % 4) AS ${alias}(n)`,
      item: { sql: '', alias, scope: [{ sql: `${alias}.n`, type: 'int' }] },
    };
  }
  return {
    sql: `LATERAL (SELECT ${outerInt} + z.k AS shifted, z.v FROM t3 AS z WHERE z.k = ${outerInt} OR z.id = ${outerInt}) AS ${alias}`,
    item: { sql: '', alias, scope: [{ sql: `${alias}.shifted`, type: 'int' }, { sql: `${alias}.v`, type: 'text' }] },
  };
}

function commonColumnNames(left: FromItem, right: FromItem): string[] {
  const names = (item: FromItem) => item.scope.map((column) => column.sql.slice(item.alias.length + 1));
  const rightNames = new Set(names(right));
  return names(left).filter((name) => rightNames.has(name));
}

function naturalOrUsing(rng: Rng): QueryBody {
  // Two plain relations with shared column names (t1/t2 share id and a; v12 shares more with t1).
  const pairs: Array<[string, string]> = [['t1', 't2'], ['t1', 'v12'], ['t2', 'v12'], ['t1', 't3'], ['t2', 't1'], ['t3', 't2']];
  const [leftName, rightName] = rng.pick(pairs);
  const left = tableItem(tableNamed(leftName), 'l');
  const right = tableItem(tableNamed(rightName), 'r');
  const shared = commonColumnNames(left, right);
  const kind = rng.pick(['', 'LEFT ', 'RIGHT ', 'FULL ']);
  const natural = rng.chance(0.4);
  const using = rng.sample(shared, rng.chance(0.7) ? 1 : 2);
  const join = natural ? `${left.sql} NATURAL ${kind}JOIN ${right.sql}` : `${left.sql} ${kind}JOIN ${right.sql} USING (${using.join(', ')})`;
  const merged = natural ? shared : using;
  if (rng.chance(0.3)) {
    // SELECT * puts the merged columns first, then the rest of each side.
    const total = left.scope.length + right.scope.length - merged.length;
    return { sql: `SELECT * FROM ${join} ${orderByAll(total)}`, ordered: true };
  }
  const items = [...merged.map((name) => name), ...rng.sample([...left.scope, ...right.scope].map((c) => c.sql), rng.int(1, 3))];
  const where = rng.chance(0.4) ? ` WHERE ${expressions(rng, [...left.scope, ...right.scope]).predicate()}` : '';
  return { sql: `SELECT ${items.map((item, i) => selectItem(rng, item, i + 1)).join(', ')} FROM ${join}${where} ${orderByAll(items.length)}`, ordered: true };
}

export function generateJoin(rng: Rng): QueryBody {
  if (rng.chance(0.25)) return naturalOrUsing(rng);
  const first = fromItem(rng, 'a');
  let sql = first.sql;
  const scope: ColumnRef[] = [...first.scope];
  const joins = rng.chance(0.7) ? 1 : 2;
  for (let index = 0; index < joins; index++) {
    const alias = ['b', 'c'][index]!;
    const kind = rng.weighted<string>([
      [4, 'JOIN'],
      [4, 'LEFT JOIN'],
      [3, 'RIGHT JOIN'],
      [3, 'FULL JOIN'],
      [1, 'CROSS JOIN'],
      [3, 'LATERAL'],
      [1, 'SELF'],
    ]);
    if (kind === 'LATERAL') {
      const lateral = lateralItem(rng, scope, alias);
      sql += rng.chance(0.5) ? ` CROSS JOIN ${lateral.sql}` : ` LEFT JOIN ${lateral.sql} ON true`;
      scope.push(...lateral.item.scope);
      continue;
    }
    const right = kind === 'SELF' ? tableItem(tableNamed(first.sql.split(' ')[0]!.startsWith('(') ? 't1' : first.sql.split(' ')[0]!), alias) : fromItem(rng, alias);
    if (kind === 'CROSS JOIN' && index === 0) {
      sql += ` CROSS JOIN ${right.sql}`;
    } else {
      let condition = equiCondition(rng, scope, right);
      if (kind !== 'FULL JOIN' && rng.chance(0.4)) condition += ` AND ${expressions(rng, [...scope, ...right.scope]).predicate()}`;
      sql += ` ${kind === 'SELF' || kind === 'CROSS JOIN' ? 'JOIN' : kind} ${right.sql} ON ${condition}`;
    }
    scope.push(...right.scope);
  }
  const generator = expressions(rng, scope);
  const where = rng.chance(0.5) ? ` WHERE ${generator.predicate()}` : '';
  const count = rng.int(2, 5);
  const items = Array.from({ length: count }, (_, i) =>
    selectItem(rng, rng.chance(0.7) ? rng.pick(scope).sql : generator.expr(rng.pick(['int', 'text', 'numeric'])), i + 1),
  );
  return { sql: `SELECT ${items.join(', ')} FROM ${sql}${where} ${orderByAll(count, rng)}`, ordered: true };
}
