// Typed scalar expressions over a scope of column references. Every expression is valid and
// deterministic in PostgreSQL: no volatile functions, divisions guarded with NULLIF, small values
// so integer arithmetic can't overflow, and no float arithmetic whose rounding could differ.
import type { Rng } from './rng.js';
import type { ScalarType } from './schema.js';

export interface ColumnRef {
  /** SQL text referring to the column, e.g. `t1.a`. */
  readonly sql: string;
  readonly type: ScalarType;
}

export type Scope = readonly ColumnRef[];

/** Which families of functions an expression may draw from (the class being generated). */
export type Flavor = 'basic' | 'conditional' | 'pattern' | 'string' | 'math' | 'date' | 'json' | 'array';

export interface ExpressionGenerator {
  expr(type: ScalarType, depth?: number): string;
  predicate(depth?: number): string;
}

const textLiterals = ["'apple'", "'a'", "''", "'ABC'", "'b-c-d'", "'zeta'", "'x%y'", "'Hello World'"];
const likePatterns = ["'a%'", "'%a%'", "'_b%'", "'%e'", "'A%'", "'a\\_b'", "'%\\%%'", "'%'", "'___'"];
const similarPatterns = ["'(a|b)%'", "'%(an)+%'", "'[a-c]%'", "'%[0-9]%'", "'a_b'"];
const regexPatterns = ["'^a'", "'an'", "'[aeiou]{2}'", "'^[A-Z]'", "'e$'", "'(na)+'", "'^$'", "'\\s'"];
const dateLiterals = ["DATE '2024-01-01'", "DATE '2024-02-29'", "DATE '2023-12-31'", "DATE '2025-06-15'"];

export function makeExpressionGenerator(rng: Rng, scope: Scope, flavors: readonly Flavor[]): ExpressionGenerator {
  const columnsOf = (type: ScalarType) => scope.filter((column) => column.type === type);
  const has = (flavor: Flavor) => flavors.includes(flavor);

  function column(type: ScalarType): string | undefined {
    const candidates = columnsOf(type);
    return candidates.length > 0 ? rng.pick(candidates).sql : undefined;
  }

  function leaf(type: ScalarType): string {
    const reference = rng.chance(0.75) ? column(type) : undefined;
    if (reference) return reference;
    switch (type) {
      case 'int':
        return rng.chance(0.05) ? 'NULL::int4' : String(rng.int(-2, 6));
      case 'bigint':
        return rng.chance(0.5) ? `${rng.int(-3, 9)}::int8` : '3000000000';
      case 'numeric':
        return rng.pick(['1.5', '0.25', '-2.75', '10.0', '3.333']);
      case 'text':
        return rng.chance(0.05) ? 'NULL::text' : rng.pick(textLiterals);
      case 'bool':
        return rng.pick(['true', 'false', 'NULL::bool']);
      case 'date':
        return rng.pick(dateLiterals);
      case 'jsonb':
        return rng.pick([`'{"k": 1}'::jsonb`, `'[1, 2, 3]'::jsonb`, `'{"name": "red", "arr": []}'::jsonb`]);
      case 'intarray':
        return rng.pick(["ARRAY[1, 2]", "ARRAY[3, NULL, 3]", "'{}'::int4[]", 'ARRAY[5]']);
      case 'textarray':
        return rng.pick(["ARRAY['red', 'x']", "'{}'::text[]", "ARRAY['blue', NULL]"]);
    }
  }

  function conditional(type: ScalarType, depth: number): string {
    const sub = (t: ScalarType = type) => expr(t, depth + 1);
    const comparable = type !== 'jsonb' && type !== 'intarray' && type !== 'textarray' && type !== 'bool';
    const options: Array<readonly [number, () => string]> = [
      [3, () => `CASE WHEN ${predicate(depth + 1)} THEN ${sub()} ELSE ${sub()} END`],
      [2, () => `CASE WHEN ${predicate(depth + 1)} THEN ${sub()} WHEN ${predicate(depth + 1)} THEN ${sub()} END`],
      [3, () => `COALESCE(${sub()}, ${sub()})`],
    ];
    if (comparable) {
      options.push([2, () => `CASE ${sub()} WHEN ${sub()} THEN ${sub()} ELSE ${sub()} END`]);
      options.push([2, () => `NULLIF(${sub()}, ${sub()})`]);
      options.push([2, () => `GREATEST(${sub()}, ${sub()}${rng.chance(0.4) ? `, ${sub()}` : ''})`]);
      options.push([2, () => `LEAST(${sub()}, ${sub()})`]);
    }
    return rng.weighted(options)();
  }

  function intExpr(depth: number): string {
    const sub = () => expr('int', depth + 1);
    const options: Array<readonly [number, () => string]> = [
      [3, () => `(${sub()} + ${sub()})`],
      [2, () => `(${sub()} - ${sub()})`],
      [1, () => `(${sub()} * ${rng.int(-2, 3)})`],
      [1, () => `abs(${sub()})`],
      [1, () => `(-(${sub()}))`],
    ];
    if (has('math')) {
      options.push(
        [2, () => `(${sub()} / NULLIF(${sub()}, 0))`],
        [2, () => `(${sub()} % NULLIF(${sub()}, 0))`],
        [1, () => `mod(${sub()}, ${rng.int(2, 4)})`],
        [1, () => `div(${sub()}, ${rng.int(1, 3)})::int4`],
        [1, () => `(${sub()} & ${rng.int(1, 7)})`],
        [1, () => `(${sub()} | ${rng.int(1, 7)})`],
        [1, () => `(${sub()} # ${rng.int(1, 7)})`],
        [1, () => `(${sub()} << ${rng.int(0, 3)})`],
        [1, () => `(${sub()} >> 1)`],
        [1, () => `gcd(${sub()}, ${rng.int(2, 12)})`],
        [1, () => `lcm(${sub()}, ${rng.int(1, 4)})`],
        [1, () => `sign(${sub()})::int4`],
        [1, () => `width_bucket(${sub()}, 0, 10, 4)`],
      );
    }
    if (has('string')) {
      options.push(
        [2, () => `length(${expr('text', depth + 1)})`],
        [1, () => `position(${rng.pick(["'a'", "'b'", "'-'"])} in ${expr('text', depth + 1)})`],
        [1, () => `strpos(${expr('text', depth + 1)}, ${rng.pick(["'an'", "'l'"])})`],
        [1, () => `ascii(${expr('text', depth + 1)})`],
        [1, () => `octet_length(${expr('text', depth + 1)})`],
      );
    }
    if (has('date')) options.push([2, () => `(${expr('date', depth + 1)} - ${rng.pick(dateLiterals)})`]);
    if (has('array')) {
      options.push(
        [2, () => `array_length(${expr('intarray', depth + 1)}, 1)`],
        [2, () => `cardinality(${expr('intarray', depth + 1)})`],
        [2, () => `(${expr('intarray', depth + 1)})[${rng.int(1, 3)}]`],
        [1, () => `array_position(${expr('intarray', depth + 1)}, ${rng.int(1, 5)})`],
      );
    }
    if (has('json')) options.push([2, () => `jsonb_array_length(COALESCE(${column('jsonb') ?? "'{}'::jsonb"}->'arr', '[]'))`]);
    return rng.weighted(options)();
  }

  function numericExpr(depth: number): string {
    const sub = () => expr('numeric', depth + 1);
    const options: Array<readonly [number, () => string]> = [
      [2, () => `(${sub()} + ${sub()})`],
      [2, () => `(${sub()} - ${expr('int', depth + 1)})`],
      [2, () => `(${sub()} * ${rng.pick(['2', '0.5', '-1.25', expr('int', depth + 1)])})`],
      [1, () => `round(${sub()}${rng.chance(0.5) ? `, ${rng.int(0, 2)}` : ''})`],
    ];
    if (has('math')) {
      options.push(
        [2, () => `(${sub()} / NULLIF(${rng.pick([sub(), expr('int', depth + 1)])}, 0))`],
        [1, () => `trunc(${sub()}, ${rng.int(0, 1)})`],
        [1, () => `ceil(${sub()})`],
        [1, () => `floor(${sub()})`],
        [1, () => `abs(${sub()})`],
        [1, () => `mod(${sub()}, ${rng.pick(['3', '0.7'])})`],
        [1, () => `power(${sub()}, ${rng.int(0, 3)})`],
        [1, () => `sqrt(abs(${sub()}))`],
        [1, () => `(${expr('int', depth + 1)}::numeric / 3)`],
        [1, () => `scale(${sub()})::numeric`],
        [1, () => `round(${sub()} / 7, 3)`],
      );
    }
    if (has('date')) options.push([2, () => `extract(${rng.pick(['year', 'month', 'day', 'dow', 'doy', 'quarter', 'week'])} from ${expr('date', depth + 1)})`]);
    return rng.weighted(options)();
  }

  function textExpr(depth: number): string {
    const sub = () => expr('text', depth + 1);
    const options: Array<readonly [number, () => string]> = [
      [2, () => `(${sub()} || ${rng.pick([sub(), expr('int', depth + 1)])})`],
      [1, () => `upper(${sub()})`],
      [1, () => `lower(${sub()})`],
    ];
    if (has('string')) {
      options.push(
        [2, () => `concat(${sub()}, ${rng.pick(["'-'", expr('int', depth + 1)])}, ${sub()})`],
        [1, () => `concat_ws(',', ${sub()}, ${expr('int', depth + 1)}, ${sub()})`],
        [2, () => `substring(${sub()} from ${rng.int(1, 3)}${rng.chance(0.6) ? ` for ${rng.int(0, 4)}` : ''})`],
        [1, () => `substr(${sub()}, ${rng.int(1, 3)}, ${rng.int(1, 3)})`],
        [1, () => `${rng.pick(['trim', 'ltrim', 'rtrim', 'btrim'])}(${sub()})`],
        [1, () => `trim(both 'a' from ${sub()})`],
        [1, () => `replace(${sub()}, ${rng.pick(["'a'", "'an'", "'-'"])}, ${rng.pick(["'*'", "''", "'AA'"])})`],
        [1, () => `split_part(${sub()}, ${rng.pick(["'-'", "' '", "'a'"])}, ${rng.int(1, 3)})`],
        [1, () => `${rng.pick(['lpad', 'rpad'])}(${sub()}, ${rng.int(0, 8)}${rng.chance(0.5) ? ", '*'" : ''})`],
        [1, () => `${rng.pick(['left', 'right'])}(${sub()}, ${rng.int(-2, 3)})`],
        [1, () => `reverse(${sub()})`],
        [1, () => `initcap(${sub()})`],
        [1, () => `repeat(${sub()}, ${rng.int(0, 2)})`],
        [1, () => `format('%s|%s', ${sub()}, ${expr('int', depth + 1)})`],
        [1, () => `format('[%5s]', ${sub()})`],
        [1, () => `md5(${sub()})`],
        [1, () => `translate(${sub()}, 'ae', 'AE')`],
        [1, () => `to_hex(${expr('int', depth + 1)} + 10)`],
        [1, () => `(${expr('int', depth + 1)})::text`],
        [1, () => `quote_literal(${sub()})`],
      );
    }
    if (has('pattern')) {
      options.push(
        [2, () => `regexp_replace(${sub()}, ${rng.pick(regexPatterns)}, '*'${rng.chance(0.5) ? ", 'g'" : ''})`],
        [1, () => `substring(${sub()} from ${rng.pick(["'[a-c]+'", "'(an)+'", "'^.'"])})`],
        [1, () => `(regexp_match(${sub()}, '([a-z])([a-z])'))[2]`],
      );
    }
    if (has('date')) {
      options.push(
        [2, () => `to_char(${expr('date', depth + 1)}, ${rng.pick(["'YYYY-MM-DD'", "'DD/MM/YYYY'", "'Mon DD, YYYY'", "'YYYY \"Q\"Q'", "'Day'", "'FMMonth'", "'IYYY-IW'", "'DDD'"])})`],
        [1, () => `(${expr('date', depth + 1)} + ${rng.pick(["interval '1 month'", "interval '1 day 2 hours'", "interval '-1 year'"])})::text`],
        [1, () => `age(${expr('date', depth + 1)}, ${rng.pick(dateLiterals)})::text`],
        [1, () => `(interval '1 day' * ${expr('int', depth + 1)})::text`],
        [1, () => `justify_days(interval '40 days' * ${expr('int', depth + 1)})::text`],
        [1, () => `date_trunc(${rng.pick(["'month'", "'year'", "'week'", "'quarter'"])}, ${expr('date', depth + 1)})::date::text`],
      );
    }
    if (has('math')) options.push([1, () => `to_char(${expr('int', depth + 1)}, ${rng.pick(["'999'", "'FM0000'", "'S99'"])})`]);
    if (has('json')) {
      const j = () => expr('jsonb', depth + 1);
      options.push(
        [3, () => `(${j()} ->> ${rng.pick(["'name'", "'k'", "'arr'"])})`],
        [2, () => `jsonb_typeof(${j()} -> ${rng.pick(["'k'", "'arr'", "'nested'"])})`],
        [1, () => `(${j()} #>> '{nested,a}')`],
        [1, () => `(${j()} -> 'arr' ->> 0)`],
        [1, () => `jsonb_build_object('x', ${expr('int', depth + 1)}, 'y', ${sub()})::text`],
        [1, () => `json_build_array(${expr('int', depth + 1)}, ${sub()})::text`],
        [1, () => `to_jsonb(${sub()}::text)::text`],
      );
    }
    if (has('array')) {
      options.push(
        [2, () => `array_to_string(${expr('textarray', depth + 1)}, ','${rng.chance(0.5) ? ", '?'" : ''})`],
        [1, () => `array_to_string(${expr('intarray', depth + 1)}, '|')`],
        [1, () => `(${expr('textarray', depth + 1)})[1]`],
        [1, () => `${expr('intarray', depth + 1)}::text`],
      );
    }
    return rng.weighted(options)();
  }

  function dateExpr(depth: number): string {
    const options: Array<readonly [number, () => string]> = [
      [2, () => `(${expr('date', depth + 1)} + ${rng.int(-40, 40)})`],
      [1, () => `(${expr('date', depth + 1)} - ${rng.int(0, 400)})`],
      [1, () => `(${expr('date', depth + 1)} + ${rng.pick(["interval '1 month'", "interval '2 years'"])})::date`],
      [1, () => `date_trunc(${rng.pick(["'month'", "'year'"])}, ${expr('date', depth + 1)})::date`],
      [1, () => `make_date(2024, ${rng.int(1, 12)}, ${rng.int(1, 28)})`],
    ];
    return rng.weighted(options)();
  }

  function jsonExpr(depth: number): string {
    const j = () => expr('jsonb', depth + 1);
    return rng.weighted<() => string>([
      [2, () => `(${j()} -> ${rng.pick(["'nested'", "'arr'", "'k'"])})`],
      [1, () => `(${j()} || '{"extra": 1}')`],
      [1, () => `(COALESCE(${column('jsonb') ?? `'{}'::jsonb`}, '{}') - 'k')`],
      [1, () => `jsonb_build_object('id', ${expr('int', depth + 1)}, 'doc', ${j()})`],
      [1, () => `jsonb_set(COALESCE(${column('jsonb') ?? `'{}'::jsonb`}, '{}'), '{k}', COALESCE(to_jsonb(${expr('int', depth + 1)}), 'null'))`],
      [1, () => `jsonb_build_array(${expr('text', depth + 1)}, ${expr('bool', depth + 1)})`],
    ])();
  }

  function intArrayExpr(depth: number): string {
    const a = () => expr('intarray', depth + 1);
    return rng.weighted<() => string>([
      [2, () => `array_append(${a()}, ${expr('int', depth + 1)})`],
      [1, () => `array_cat(${a()}, ${a()})`],
      [1, () => `(${a()} || ${rng.int(1, 5)})`],
      [1, () => `array_remove(${a()}, ${rng.int(1, 5)})`],
      [1, () => `ARRAY[${expr('int', depth + 1)}, ${expr('int', depth + 1)}]`],
      [1, () => `(${a()})[1:2]`],
    ])();
  }

  function textArrayExpr(depth: number): string {
    return rng.weighted<() => string>([
      [2, () => `string_to_array(${expr('text', depth + 1)}, ${rng.pick(["'-'", "' '", "'a'"])})`],
      [1, () => `array_prepend(${expr('text', depth + 1)}, ${expr('textarray', depth + 1)})`],
      [1, () => `ARRAY[${expr('text', depth + 1)}]`],
    ])();
  }

  function expr(type: ScalarType, depth = 0): string {
    if (depth >= 3 || rng.chance(0.35 + depth * 0.2)) {
      if (type === 'bool') return predicate(depth);
      return leaf(type);
    }
    if (type === 'bool') return predicate(depth);
    if (has('conditional') && rng.chance(0.4)) return conditional(type, depth);
    switch (type) {
      case 'int':
        return intExpr(depth);
      case 'bigint':
        return rng.chance(0.5) ? `(${expr('int', depth + 1)}::int8 * 1000000007)` : `(${leaf('bigint')} + ${expr('int', depth + 1)})`;
      case 'numeric':
        return numericExpr(depth);
      case 'text':
        return textExpr(depth);
      case 'date':
        return dateExpr(depth);
      case 'jsonb':
        return has('json') ? jsonExpr(depth) : leaf(type);
      case 'intarray':
        return has('array') ? intArrayExpr(depth) : leaf(type);
      case 'textarray':
        return has('array') ? textArrayExpr(depth) : leaf(type);
    }
  }

  function comparisonType(): ScalarType {
    const available = (['int', 'int', 'text', 'numeric', 'date', 'bigint'] as ScalarType[]).filter((type) => columnsOf(type).length > 0);
    return available.length > 0 ? rng.pick(available) : 'int';
  }

  function predicate(depth = 0): string {
    const atom = (): string => {
      const type = comparisonType();
      const sub = (t: ScalarType = type) => expr(t, depth + 1);
      const options: Array<readonly [number, () => string]> = [
        [6, () => `${sub()} ${rng.pick(['=', '<>', '<', '<=', '>', '>='])} ${sub()}`],
        [2, () => `${sub()} IS ${rng.pick(['', 'NOT '])}NULL`],
        [1, () => (columnsOf('bool').length > 0 ? `${column('bool')}${rng.pick(['', ' IS TRUE', ' IS NOT FALSE', ' IS UNKNOWN'])}` : 'true')],
      ];
      if (has('conditional') || has('basic')) {
        options.push(
          [2, () => `${sub()} IS ${rng.pick(['', 'NOT '])}DISTINCT FROM ${sub()}`],
          [2, () => `${sub()} ${rng.pick(['', 'NOT '])}BETWEEN ${rng.pick(['', 'SYMMETRIC '])}${sub()} AND ${sub()}`],
          [2, () => `${sub()} ${rng.pick(['', 'NOT '])}IN (${sub()}, ${sub()}${rng.chance(0.3) ? ', NULL' : ''})`],
        );
      }
      if (has('pattern')) {
        const text = () => expr('text', depth + 1);
        options.push(
          [3, () => `${text()} ${rng.pick(['LIKE', 'NOT LIKE', 'ILIKE', 'NOT ILIKE'])} ${rng.pick(likePatterns)}`],
          [2, () => `${text()} ${rng.pick(['SIMILAR TO', 'NOT SIMILAR TO'])} ${rng.pick(similarPatterns)}`],
          [3, () => `${text()} ${rng.pick(['~', '~*', '!~', '!~*'])} ${rng.pick(regexPatterns)}`],
          [1, () => `starts_with(${text()}, ${rng.pick(["'a'", "'A'", "''"])})`],
          [1, () => `${text()} LIKE ${rng.pick(["'%!%%' ESCAPE '!'", "'a#_%' ESCAPE '#'"])}`],
        );
      }
      if (has('json')) {
        const j = () => expr('jsonb', depth + 1);
        options.push(
          [2, () => `${j()} @> ${rng.pick([`'{"k": 1}'`, `'{"name": "red"}'`, `'{"nested": {"a": 0}}'`])}`],
          [2, () => `${j()} ? ${rng.pick(["'k'", "'arr'", "'flag'"])}`],
          [1, () => `${j()} ?| array['flag', 'nested']`],
          [1, () => `(${j()} -> 'k') = '1'::jsonb`],
        );
      }
      if (has('array')) {
        const a = () => expr('intarray', depth + 1);
        options.push(
          [2, () => `${a()} @> ${rng.pick(['ARRAY[1]', 'ARRAY[2, 3]', "'{}'::int4[]"])}`],
          [1, () => `${a()} <@ ARRAY[1, 2, 3, 4]`],
          [2, () => `${a()} && ${rng.pick(['ARRAY[1]', 'ARRAY[4, 5]'])}`],
          [2, () => `${expr('int', depth + 1)} = ANY(${a()})`],
          [1, () => `${expr('int', depth + 1)} <> ALL(${a()})`],
          [1, () => `${expr('text', depth + 1)} = ANY(${expr('textarray', depth + 1)})`],
          [1, () => `${a()} = ${a()}`],
        );
      }
      return rng.weighted(options)();
    };
    if (depth < 2 && rng.chance(0.3)) {
      const left = predicate(depth + 1);
      const right = predicate(depth + 1);
      return rng.weighted<() => string>([
        [3, () => `(${left} AND ${right})`],
        [3, () => `(${left} OR ${right})`],
        [1, () => `NOT (${left})`],
      ])();
    }
    return atom();
  }

  return { expr, predicate };
}
