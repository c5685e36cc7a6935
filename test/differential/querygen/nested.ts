// Queries inside queries: CTEs (plain, chained, MATERIALIZED, recursive), subqueries of every kind
// (scalar, IN, EXISTS, ANY/ALL, row comparisons, correlated, derived tables, ARRAY(…)) and set
// operations with PostgreSQL's precedence (INTERSECT binds tighter than UNION/EXCEPT).
import { expressions, orderByAll, randomTable, selectItem, tableItem } from './common.js';
import type { ColumnRef } from './expressions.js';
import type { QueryBody } from './query.js';
import type { Rng } from './rng.js';
import { tableNamed, type ScalarType } from './schema.js';

function ofType(scope: readonly ColumnRef[], type: ScalarType): ColumnRef[] {
  return scope.filter((column) => column.type === type);
}

export function generateCte(rng: Rng): QueryBody {
  const base = tableItem(randomTable(rng), 'src');
  const ints = ofType(base.scope, 'int').filter((c) => !c.sql.endsWith('.id'));
  const key = rng.pick(ints).sql;
  const materialized = rng.pick(['', '', 'MATERIALIZED ', 'NOT MATERIALIZED ']);
  const kind = rng.int(0, 3);
  if (kind === 0) {
    const where = expressions(rng, base.scope).predicate();
    const other = rng.pick(base.scope.filter((c) => c.type === 'text' || c.type === 'numeric' || c.type === 'date')).sql;
    return {
      sql: `WITH c AS ${materialized}(SELECT src.id, ${key} AS k, ${other} AS val FROM ${base.sql} WHERE ${where}) ` +
        `SELECT c.id, c.k, c.val, t2.x FROM c ${rng.pick(['JOIN', 'LEFT JOIN'])} t2 ON t2.a = c.k ${orderByAll(4, rng)}`,
      ordered: true,
    };
  }
  if (kind === 1) {
    // Chained CTEs with a column list; the second reads the first twice.
    return {
      sql: `WITH g(k, n, total) AS ${materialized}(SELECT ${key}, count(*), sum(src.id) FROM ${base.sql} GROUP BY ${key}), ` +
        `h AS (SELECT g1.k, g1.n, g2.total FROM g AS g1 JOIN g AS g2 ON g1.k IS NOT DISTINCT FROM g2.k) ` +
        `SELECT k, n, total, (SELECT max(n) FROM g) AS maxn FROM h WHERE n >= ${rng.int(1, 3)} ${orderByAll(4, rng)}`,
      ordered: true,
    };
  }
  if (kind === 2) {
    // A CTE used in a subquery and in FROM, with an aggregate over it.
    return {
      sql: `WITH c AS ${materialized}(SELECT ${key} AS k FROM ${base.sql} WHERE ${key} IS NOT NULL) ` +
        `SELECT t1.id, t1.a, t1.a IN (SELECT k FROM c) AS hit, (SELECT count(*) FROM c WHERE c.k = t1.a) AS n FROM t1 ${orderByAll(4)}`,
      ordered: true,
    };
  }
  return {
    sql: `WITH nums AS (SELECT generate_series(1, ${rng.int(3, 8)}) AS n), sq AS (SELECT n, n * n AS n2 FROM nums) ` +
      `SELECT sq.n, sq.n2, count(src.id) FROM sq LEFT JOIN ${base.sql} ON ${key} = sq.n GROUP BY sq.n, sq.n2 ${orderByAll(3)}`,
    ordered: true,
  };
}

export function generateRecursiveCte(rng: Rng): QueryBody {
  const kind = rng.int(0, 5);
  const limit = rng.int(3, 15);
  if (kind === 0) {
    const step = rng.pick(['n + 1', 'n + 2', 'n * 2']);
    const body = rng.chance(0.5) ? 'VALUES (1)' : 'SELECT 1';
    return { sql: `WITH RECURSIVE r(n) AS (${body} UNION ALL SELECT ${step} FROM r WHERE n < ${limit * 3}) SELECT n, n % 3 AS m FROM r ORDER BY n`, ordered: true };
  }
  if (kind === 1) {
    return {
      sql: `WITH RECURSIVE fib(i, a, b) AS (SELECT 1, 0::numeric, 1::numeric UNION ALL SELECT i + 1, b, a + b FROM fib WHERE i < ${limit * 4}) SELECT i, a FROM fib ORDER BY i`,
      ordered: true,
    };
  }
  if (kind === 2) {
    // Reachability over t3's k edges (with a cycle); UNION de-duplicates and the depth bound ends it.
    const start = rng.int(1, 12);
    const [select, groupBy] = rng.pick([['id, depth', ''], ['depth, count(*)', ' GROUP BY depth'], ['id, min(depth)', ' GROUP BY id']] as const);
    return {
      sql: `WITH RECURSIVE reach(id, depth) AS (SELECT id, 0 FROM t3 WHERE id = ${start} UNION SELECT t3.k, reach.depth + 1 FROM reach JOIN t3 ON t3.id = reach.id WHERE t3.k IS NOT NULL AND reach.depth < ${rng.int(2, 6)}) ` +
        `SELECT ${select} FROM reach${groupBy} ORDER BY 1, 2`,
      ordered: true,
    };
  }
  if (kind === 3) {
    // Paths with an array for cycle detection.
    return {
      sql: `WITH RECURSIVE walk(id, path, len) AS (SELECT id, ARRAY[id], 1 FROM t3 WHERE k IS NOT NULL UNION ALL SELECT t3.k, walk.path || t3.k, walk.len + 1 FROM walk JOIN t3 ON t3.id = walk.id WHERE t3.k IS NOT NULL AND NOT t3.k = ANY(walk.path)) ` +
        `SELECT path[1] AS start, max(len), count(*) FROM walk GROUP BY path[1] ORDER BY 1`,
      ordered: true,
    };
  }
  if (kind === 4) {
    // A tree over t1.a levels, bounded by depth.
    return {
      sql: `WITH RECURSIVE lvl AS (SELECT id, a, 0 AS depth FROM t1 WHERE a = 0 UNION ALL SELECT t1.id, t1.a, lvl.depth + 1 FROM lvl JOIN t1 ON t1.a = lvl.a + 1 WHERE lvl.depth < ${rng.int(1, 3)} AND t1.id % ${rng.int(2, 4)} = 0) ` +
        `SELECT depth, count(*), sum(id), string_agg(id::text, ',' ORDER BY id) FROM lvl GROUP BY depth ORDER BY depth`,
      ordered: true,
    };
  }
  // A recursive string builder, with a non-recursive CTE alongside.
  return {
    sql: `WITH RECURSIVE letters(s, n) AS (SELECT 'a'::text, 1 UNION ALL SELECT s || chr(97 + n), n + 1 FROM letters WHERE n < ${rng.int(2, 10)}), ` +
      `counted AS (SELECT s, length(s) AS len FROM letters) SELECT s, len, upper(s) FROM counted ORDER BY len`,
    ordered: true,
  };
}

export function generateSubquery(rng: Rng): QueryBody {
  const outer = tableItem(randomTable(rng), 'o');
  const outerInts = ofType(outer.scope, 'int');
  const outerInt = () => rng.pick(outerInts).sql;
  const inner = rng.pick(['t1', 't2', 't3']);
  const innerTable = tableItem(tableNamed(inner), 'i');
  const innerInts = ofType(innerTable.scope, 'int');
  const innerInt = () => rng.pick(innerInts).sql;
  const innerWhere = () => (rng.chance(0.5) ? ` WHERE ${rng.chance(0.6) ? `${innerInt()} ${rng.pick(['=', '<', '>', '<>'])} ${outerInt()}` : expressions(rng, innerTable.scope).predicate()}` : '');
  const predicates: Array<() => string> = [
    () => `${outerInt()} ${rng.pick(['IN', 'NOT IN'])} (SELECT ${innerInt()} FROM ${innerTable.sql}${innerWhere()})`,
    () => `${rng.pick(['EXISTS', 'NOT EXISTS'])} (SELECT 1 FROM ${innerTable.sql} WHERE ${innerInt()} = ${outerInt()}${rng.chance(0.4) ? ` AND ${expressions(rng, innerTable.scope).predicate()}` : ''})`,
    () => `${outerInt()} ${rng.pick(['=', '<>', '<', '>=', '>'])} ${rng.pick(['ANY', 'SOME', 'ALL'])} (SELECT ${innerInt()} FROM ${innerTable.sql}${innerWhere()})`,
    () => `${outerInt()} ${rng.pick(['=', '>', '<'])} (SELECT ${rng.pick(['max', 'min', 'count'])}(${innerInt()}) FROM ${innerTable.sql}${innerWhere()})`,
    () => `(${outerInt()}, ${outerInt()}) ${rng.pick(['IN', 'NOT IN'])} (SELECT ${innerInt()}, ${innerInt()} FROM ${innerTable.sql})`,
    () => `${outerInt()} IN (SELECT ${innerInt()} FROM ${innerTable.sql} WHERE ${innerInt()} IN (SELECT k FROM t3 WHERE k IS NOT NULL))`,
  ];
  const scalars: Array<() => string> = [
    () => `(SELECT count(*) FROM ${innerTable.sql} WHERE ${innerInt()} = ${outerInt()})`,
    () => `(SELECT ${rng.pick(['max', 'min', 'sum'])}(${innerInt()}) FROM ${innerTable.sql}${innerWhere()})`,
    () => `(SELECT ${rng.pick(innerTable.scope).sql} FROM ${innerTable.sql} WHERE ${innerInt()} = ${outerInt()} ORDER BY i.id LIMIT 1)`,
    () => `ARRAY(SELECT ${innerInt()} FROM ${innerTable.sql} WHERE ${innerInt()} ${rng.pick(['=', '<'])} ${outerInt()} ORDER BY i.id)`,
    () => `CASE WHEN EXISTS (SELECT 1 FROM ${innerTable.sql} WHERE ${innerInt()} = ${outerInt()}) THEN 'yes' ELSE 'no' END`,
    () => `${outerInt()} IN (SELECT ${innerInt()} FROM ${innerTable.sql})`,
    () => `(SELECT max(z.k) FROM t3 AS z WHERE z.k < (SELECT min(${innerInt()}) FROM ${innerTable.sql} WHERE ${innerInt()} > ${outerInt()}))`,
  ];
  const selectCount = rng.int(0, 2);
  const items = [`${outer.alias}.id`, ...Array.from({ length: selectCount }, () => rng.pick(scalars)())];
  const whereParts = Array.from({ length: rng.int(selectCount === 0 ? 1 : 0, 2) }, () => rng.pick(predicates)());
  const where = whereParts.length > 0 ? ` WHERE ${whereParts.join(rng.chance(0.7) ? ' AND ' : ' OR ')}` : '';
  if (rng.chance(0.15)) {
    // A derived table with an aggregate, filtered by a subquery in HAVING.
    return {
      sql: `SELECT d.k, d.n FROM (SELECT ${outerInt()} AS k, count(*) AS n FROM ${outer.sql} GROUP BY 1 HAVING count(*) > (SELECT count(*) / 10 FROM ${innerTable.sql})) AS d ORDER BY 1, 2`,
      ordered: true,
    };
  }
  return { sql: `SELECT ${items.map((item, index) => selectItem(rng, item, index + 1)).join(', ')} FROM ${outer.sql}${where} ${orderByAll(items.length)}`, ordered: true };
}

function setArm(rng: Rng, types: readonly ScalarType[]): string {
  if (rng.chance(0.1)) {
    const literal = (type: ScalarType) => ({ int: String(rng.int(0, 5)), bigint: '7::int8', numeric: '2.50', text: "'zeta'", bool: 'true', date: "DATE '2024-01-01'" } as Record<string, string>)[type] ?? 'NULL';
    // VALUES resolves its own column types: an untyped NULL column would become text.
    const typedNull = (type: ScalarType) => `NULL::${({ int: 'int4', bigint: 'int8', numeric: 'numeric', text: 'text', bool: 'bool', date: 'date' } as Record<string, string>)[type]}`;
    return `VALUES (${types.map((type) => (rng.chance(0.2) ? typedNull(type) : literal(type))).join(', ')})`;
  }
  const item = tableItem(randomTable(rng), 'x');
  const generator = expressions(rng, item.scope);
  const columns = types.map((type) => {
    // Mixed integer types across arms exercise UNION's type resolution (int4 + int8 → int8).
    // Numerics are rounded to one scale: equal values of different scales (11 vs 11.00) would
    // make the de-duplicated representative, and so the text output, plan-dependent.
    const actual = type === 'bigint' && rng.chance(0.5) ? 'int' : type;
    const candidates = ofType(item.scope, actual);
    const value = candidates.length > 0 && rng.chance(0.8) ? rng.pick(candidates).sql : generator.expr(actual, 2);
    return type === 'numeric' ? `round(${value}, 2)` : value;
  });
  const where = rng.chance(0.5) ? ` WHERE ${generator.predicate()}` : '';
  return `SELECT ${columns.join(', ')} FROM ${item.sql}${where}`;
}

export function generateSetOperation(rng: Rng): QueryBody {
  const types = Array.from({ length: rng.int(1, 3) }, () => rng.pick<ScalarType>(['int', 'int', 'text', 'numeric', 'date', 'bigint']));
  const operator = () => rng.pick(['UNION', 'UNION ALL', 'INTERSECT', 'INTERSECT ALL', 'EXCEPT', 'EXCEPT ALL']);
  const armCount = rng.int(2, 4);
  let sql = setArm(rng, types);
  for (let index = 1; index < armCount; index++) {
    const next = setArm(rng, types);
    // Parentheses sometimes override precedence, sometimes PostgreSQL's precedence decides.
    if (rng.chance(0.3) && index < armCount - 1) {
      sql = `${sql} ${operator()} (${next} ${operator()} ${setArm(rng, types)})`;
      index++;
    } else if (rng.chance(0.2)) {
      sql = `(${sql}) ${operator()} ${next}`;
    } else {
      sql = `${sql} ${operator()} ${next}`;
    }
  }
  const tail = rng.chance(0.2) ? ` LIMIT ${rng.int(1, 6)}${rng.chance(0.3) ? ` OFFSET ${rng.int(1, 3)}` : ''}` : '';
  if (rng.chance(0.15)) {
    return { sql: `SELECT count(*), ${types.map((_, i) => `count(DISTINCT u.c${i + 1})`).join(', ')} FROM (${sql}) AS u(${types.map((_, i) => `c${i + 1}`).join(', ')})`, ordered: true };
  }
  return { sql: `${sql} ${orderByAll(types.length, rng)}${tail}`, ordered: true };
}
