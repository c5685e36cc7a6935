// DISTINCT / DISTINCT ON / ORDER BY … NULLS FIRST|LAST / LIMIT / OFFSET / FETCH, VALUES lists and
// set-returning functions in FROM, and the expression classes (one flavour of functions each).
import { expressions, orderableTypes, orderByAll, pickType, randomTable, selectItem, tableItem } from './common.js';
import type { Flavor } from './expressions.js';
import type { QueryBody } from './query.js';
import type { Rng } from './rng.js';
import { tableNamed, type ScalarType } from './schema.js';

function direction(rng: Rng): string {
  return `${rng.pick(['', ' ASC', ' DESC'])}${rng.pick(['', '', ' NULLS FIRST', ' NULLS LAST'])}`;
}

function limitClause(rng: Rng): string {
  return rng.weighted<() => string>([
    [3, () => ` LIMIT ${rng.int(0, 8)}`],
    [2, () => ` LIMIT ${rng.int(1, 8)} OFFSET ${rng.int(0, 10)}`],
    [1, () => ` OFFSET ${rng.int(1, 40)}`],
    [2, () => ` FETCH FIRST ${rng.int(1, 5)} ROWS ONLY`],
    [1, () => ` OFFSET ${rng.int(1, 5)} ROWS FETCH NEXT ${rng.pick(['', '3 '])}ROW${rng.pick(['', 'S'])} ONLY`],
    [1, () => ' LIMIT ALL'],
    [2, () => ''],
  ])();
}

export function generateDistinctOrderLimit(rng: Rng): QueryBody {
  const item = tableItem(randomTable(rng), 't');
  const generator = expressions(rng, item.scope);
  const columns = item.scope.filter((column) => !column.sql.endsWith('.id'));
  const kind = rng.int(0, 4);
  const where = rng.chance(0.3) ? ` WHERE ${generator.predicate()}` : '';
  if (kind === 0) {
    // DISTINCT over a few columns; the full ORDER BY fixes the sequence.
    const chosen = rng.sample(columns, rng.int(1, 3)).map((c) => c.sql);
    return { sql: `SELECT DISTINCT ${chosen.join(', ')} FROM ${item.sql}${where} ${orderByAll(chosen.length, rng)}${limitClause(rng)}`, ordered: true };
  }
  if (kind === 1) {
    // DISTINCT ON keeps the first row of each group in ORDER BY order; ordering by every output
    // column after the DISTINCT ON keys makes "first" unique.
    const keys = rng.sample(columns, rng.int(1, 2)).map((c) => c.sql);
    const rest = rng.sample(item.scope.filter((c) => !keys.includes(c.sql)), rng.int(1, 3)).map((c) => c.sql);
    const order = [...keys.map((key) => `${key}${direction(rng)}`), ...rest.map((c) => `${c}${direction(rng)}`)];
    return { sql: `SELECT DISTINCT ON (${keys.join(', ')}) ${[...keys, ...rest].join(', ')} FROM ${item.sql}${where} ORDER BY ${order.join(', ')}${limitClause(rng)}`, ordered: true };
  }
  if (kind === 2) {
    // ORDER BY keys that are not in the select list, ending with the unique id.
    const sortKey = (sql: string, expression: string) => (/\b[a-z]\.[a-z]/.test(expression) ? expression : sql); // constants can't be sort keys
    const keys = rng.sample(columns, rng.int(1, 2)).map((c) => `${rng.chance(0.2) ? sortKey(c.sql, generator.expr(c.type === 'bool' ? 'int' : c.type, 2)) : c.sql}${direction(rng)}`);
    const shown = rng.sample(item.scope, rng.int(1, 3)).map((c, index) => selectItem(rng, c.sql, index + 1));
    return { sql: `SELECT ${shown.join(', ')} FROM ${item.sql}${where} ORDER BY ${keys.join(', ')}, t.id${rng.pick(['', ' DESC'])}${limitClause(rng)}`, ordered: true };
  }
  if (kind === 3) {
    // FETCH … WITH TIES returns every row tied with the last; order within ties is free.
    const key = rng.pick(columns).sql;
    return { sql: `SELECT t.id, ${key} FROM ${item.sql}${where} ORDER BY ${key}${direction(rng)} FETCH FIRST ${rng.int(1, 6)} ROWS WITH TIES`, ordered: false };
  }
  // ORDER BY an output alias or an expression of outputs.
  const type = pickType(rng, item.scope);
  const expression = generator.expr(type, 1);
  return { sql: `SELECT t.id, ${expression} AS sortkey FROM ${item.sql}${where} ORDER BY sortkey${direction(rng)}, 1${limitClause(rng)}`, ordered: true };
}

export function generateValuesSrf(rng: Rng): QueryBody {
  const kind = rng.int(0, 9);
  switch (kind) {
    case 0: {
      const rows = Array.from({ length: rng.int(1, 5) }, () => `(${rng.chance(0.25) ? 'NULL' : rng.int(-2, 4)}, ${rng.chance(0.25) ? 'NULL' : rng.pick(["'a'", "'b'", "'a'"])}, ${rng.pick(['1.5', '2', 'NULL', '-0.25'])})`);
      return { sql: `SELECT * FROM (VALUES ${rows.join(', ')}) AS v(x, y, z) ${orderByAll(3, rng)}`, ordered: true };
    }
    case 1: {
      const rows = Array.from({ length: rng.int(1, 4) }, () => `(${rng.int(0, 9)}, ${rng.pick(["'p'", "'q'", 'NULL'])})`);
      return { sql: `VALUES ${rows.join(', ')} ${orderByAll(2, rng)}`, ordered: true };
    }
    case 2: {
      const step = rng.pick(['', ', 2', ', 3', ', -1']);
      const [from, to] = step === ', -1' ? [rng.int(3, 9), rng.int(-2, 2)] : [rng.int(-2, 2), rng.int(3, 12)];
      const ordinality = rng.chance(0.4);
      return {
        sql: ordinality
          ? `SELECT g.v, g.o, g.v * g.o FROM generate_series(${from}, ${to}${step}) WITH ORDINALITY AS g(v, o) ORDER BY g.o`
          : `SELECT g, g % 3 AS m FROM generate_series(${from}, ${to}${step}) AS g ORDER BY 1`,
        ordered: true,
      };
    }
    case 3:
      return {
        sql: `SELECT d FROM generate_series(DATE '2024-01-31', DATE '${rng.pick(['2024-06-30', '2024-03-01', '2025-01-31'])}', interval '${rng.pick(['1 month', '2 weeks', '1 month 1 day'])}') AS d ORDER BY 1`,
        ordered: true,
      };
    case 4:
      return { sql: `SELECT u.v, u.o FROM unnest(ARRAY[${rng.pick(['3, 1, NULL, 3', '5', "NULL"])}]::int4[]) WITH ORDINALITY AS u(v, o) ORDER BY u.o`, ordered: true };
    case 5:
      return { sql: `SELECT * FROM unnest(ARRAY[1, 2, 3], ARRAY['x', 'y']) AS u(n, s) ORDER BY 1`, ordered: true };
    case 6: {
      // Implicitly lateral: the function's argument comes from the table to its left.
      const column = rng.pick(['t1.a', 't1.b', 't2.x']);
      const table = column.split('.')[0]!;
      return { sql: `SELECT ${table}.id, gs FROM ${table}, generate_series(1, ${column}) AS gs ORDER BY 1, 2`, ordered: true };
    }
    case 7: {
      const column = rng.pick(['a', 'b']);
      return {
        sql: `SELECT g, count(t1.id), min(t1.c) FROM generate_series(${rng.int(-3, 0)}, ${rng.int(3, 7)}) AS g LEFT JOIN t1 ON t1.${column} = g GROUP BY g ORDER BY g`,
        ordered: true,
      };
    }
    case 8: {
      const srf = rng.pick([
        `SELECT docs.id, e.key, e.value FROM docs, jsonb_each_text(docs.j) AS e ORDER BY 1, 2`,
        `SELECT docs.id, x FROM docs CROSS JOIN LATERAL jsonb_array_elements(docs.j -> 'arr') AS x ORDER BY 1, 2`,
        `SELECT docs.id, k FROM docs, jsonb_object_keys(docs.j) AS k ORDER BY 1, 2`,
        `SELECT docs.id, tag FROM docs, unnest(docs.tags) AS tag ORDER BY 1, 2 NULLS FIRST`,
        `SELECT t.part, count(*) FROM t1, regexp_split_to_table(t1.c, '[ -]') AS t(part) GROUP BY 1 ORDER BY 1`,
        `SELECT s FROM string_to_table('a,b,,c', ',') AS s ORDER BY 1`,
      ]);
      return { sql: srf, ordered: true };
    }
    default:
      // Set-returning functions in the select list run in lockstep (PostgreSQL 10+).
      return { sql: `SELECT t3.id, generate_series(1, ${rng.int(1, 3)}) AS g FROM t3 ORDER BY 1, 2`, ordered: true };
  }
}

const flavorsByClass: Record<string, readonly Flavor[]> = {
  expr_conditional: ['basic', 'conditional'],
  expr_pattern: ['basic', 'pattern'],
  expr_string: ['basic', 'string'],
  expr_math: ['basic', 'math'],
  expr_date: ['basic', 'date'],
  expr_json: ['basic', 'json'],
  expr_array: ['basic', 'array'],
};

const typesByClass: Record<string, readonly ScalarType[]> = {
  expr_conditional: orderableTypes,
  expr_pattern: ['text', 'text', 'bool'],
  expr_string: ['text', 'text', 'int'],
  expr_math: ['int', 'numeric', 'numeric', 'bigint'],
  expr_date: ['date', 'text', 'int', 'numeric'],
  expr_json: ['jsonb', 'text', 'bool', 'int'],
  expr_array: ['intarray', 'textarray', 'int', 'text', 'bool'],
};

/** `SELECT id, e1, e2, … FROM t WHERE p ORDER BY id`: the id makes the order total. */
export function generateExpressionQuery(rng: Rng, featureClass: string): QueryBody {
  const flavors = flavorsByClass[featureClass]!;
  const table = featureClass === 'expr_json' || featureClass === 'expr_array' ? tableNamed('docs') : randomTable(rng);
  const item = tableItem(table, 't');
  const generator = expressions(rng, item.scope, flavors);
  const items = Array.from({ length: rng.int(1, 4) }, (_, index) => selectItem(rng, generator.expr(rng.pick(typesByClass[featureClass]!)), index + 2));
  if (featureClass === 'expr_date' && rng.chance(0.15)) {
    items.push(rng.pick(['now() >= TIMESTAMPTZ \'2020-01-01 00:00+00\'', "current_date > DATE '2020-01-01'", "now() - now() = interval '0'", 'now() = CURRENT_TIMESTAMP']));
  }
  const where = rng.chance(0.5) ? ` WHERE ${generator.predicate()}` : '';
  return { sql: `SELECT t.id, ${items.join(', ')} FROM ${item.sql}${where} ORDER BY 1`, ordered: true };
}
