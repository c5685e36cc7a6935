// Compiles bound expressions to closures once per plan (no tree walking per row).
import { subplanRows } from './subplan-cache.js';
import type { Value } from '../types/api.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { Expr, Row, RuntimeContext } from '../plan/index.js';

export type Compiled = (row: Row, context: RuntimeContext) => Value;

const cache = new WeakMap<Expr, Compiled>();

export function compile(expr: Expr): Compiled {
  let compiled = cache.get(expr);
  if (!compiled) {
    compiled = build(expr);
    cache.set(expr, compiled);
  }
  return compiled;
}

function build(expr: Expr): Compiled {
  switch (expr.kind) {
    case 'const': {
      const value = expr.value;
      return () => value;
    }
    case 'param': {
      const index = expr.index;
      return (_row, context) => context.params[index] ?? null;
    }
    case 'column': {
      const index = expr.index;
      return (row) => row[index] ?? null;
    }
    case 'outerColumn': {
      const { levels, index } = expr;
      return (_row, context) => context.outerRows[context.outerRows.length - levels]?.[index] ?? null;
    }
    case 'windowRef':
      throw new SqlError(SqlState.windowingError, 'window function calls are not allowed here');
    case 'aggRef':
      throw new SqlError(SqlState.groupingError, 'aggregate function calls are not allowed here');
    case 'windowRef':
      throw new SqlError(SqlState.windowingError, 'window functions are not allowed here');
    case 'call': {
      const args = expr.args.map(compile);
      const impl = expr.impl;
      if (expr.returnsSet) {
        return () => {
          throw new SqlError(SqlState.featureNotSupported, `set-returning function ${expr.name} is only supported in FROM`);
        };
      }
      if (args.length === 1) {
        const [a] = args as [Compiled];
        if (expr.strict) {
          return (row, context) => {
            const value = a(row, context);
            return value === null ? null : impl([value], context);
          };
        }
        return (row, context) => impl([a(row, context)], context);
      }
      if (args.length === 2) {
        const [a, b] = args as [Compiled, Compiled];
        if (expr.strict) {
          return (row, context) => {
            const left = a(row, context);
            if (left === null) return null;
            const right = b(row, context);
            return right === null ? null : impl([left, right], context);
          };
        }
        return (row, context) => impl([a(row, context), b(row, context)], context);
      }
      return (row, context) => {
        const values = args.map((arg) => arg(row, context));
        if (expr.strict && values.some((value) => value === null)) return null;
        return impl(values, context);
      };
    }
    case 'cast': {
      const arg = compile(expr.arg);
      const convert = expr.convert;
      return (row, context) => {
        const value = arg(row, context);
        return value === null ? null : convert(value, context);
      };
    }
    case 'and': {
      const args = expr.args.map(compile);
      return (row, context) => {
        let sawNull = false;
        for (const arg of args) {
          const value = arg(row, context);
          if (value === false) return false;
          if (value === null) sawNull = true;
        }
        return sawNull ? null : true;
      };
    }
    case 'or': {
      const args = expr.args.map(compile);
      return (row, context) => {
        let sawNull = false;
        for (const arg of args) {
          const value = arg(row, context);
          if (value === true) return true;
          if (value === null) sawNull = true;
        }
        return sawNull ? null : false;
      };
    }
    case 'not': {
      const arg = compile(expr.arg);
      return (row, context) => {
        const value = arg(row, context);
        return value === null ? null : !value;
      };
    }
    case 'isNull': {
      const arg = compile(expr.arg);
      const negated = expr.negated;
      const isRow = expr.arg.kind === 'row';
      return (row, context) => {
        const value = arg(row, context);
        if (isRow && Array.isArray(value)) {
          return negated ? value.every((field) => field !== null) : value.every((field) => field === null);
        }
        return (value === null) !== negated;
      };
    }
    case 'boolTest': {
      const arg = compile(expr.arg);
      const { test, negated } = expr;
      return (row, context) => {
        const value = arg(row, context);
        const result = test === 'unknown' ? value === null : test === 'true' ? value === true : value === false;
        return result !== negated;
      };
    }
    case 'case': {
      const whens = expr.whens.map((when) => ({ condition: compile(when.condition), result: compile(when.result) }));
      const otherwise = compile(expr.otherwise);
      return (row, context) => {
        for (const when of whens) if (when.condition(row, context) === true) return when.result(row, context);
        return otherwise(row, context);
      };
    }
    case 'coalesce': {
      const args = expr.args.map(compile);
      return (row, context) => {
        for (const arg of args) {
          const value = arg(row, context);
          if (value !== null) return value;
        }
        return null;
      };
    }
    case 'greatestLeast': {
      const args = expr.args.map(compile);
      const { greatest, compare: cmp } = expr;
      return (row, context) => {
        let best: Value = null;
        for (const arg of args) {
          const value = arg(row, context);
          if (value === null) continue;
          if (best === null || (greatest ? cmp(value, best) > 0 : cmp(value, best) < 0)) best = value;
        }
        return best;
      };
    }
    case 'inList': {
      const arg = compile(expr.arg);
      const list = expr.list.map(compile);
      const { negated, equals } = expr;
      return (row, context) => {
        const value = arg(row, context);
        if (value === null) return null;
        let sawNull = false;
        for (const item of list) {
          const candidate = item(row, context);
          if (candidate === null) {
            sawNull = true;
            continue;
          }
          if (equals(value, candidate, context) === true) return !negated;
        }
        return sawNull ? null : negated;
      };
    }
    case 'distinctFrom': {
      const left = compile(expr.left);
      const right = compile(expr.right);
      const { negated, equals } = expr;
      return (row, context) => {
        const a = left(row, context);
        const b = right(row, context);
        let distinct: boolean;
        if (a === null || b === null) distinct = (a === null) !== (b === null);
        else distinct = equals(a, b, context) !== true;
        return distinct !== negated;
      };
    }
    case 'subquery':
      return compileSubquery(expr);
    case 'array': {
      const elements = expr.elements.map(compile);
      const nested = expr.elements.length > 0 && expr.elements[0]!.type === expr.type;
      return (row, context) => {
        const values = elements.map((element) => element(row, context));
        if (nested) {
          const inner = values as Array<{ elements: Value[]; dims: number[]; lowerBounds: number[] } | null>;
          const first = inner.find((value) => value !== null);
          if (!first) return { elements: [], dims: [], lowerBounds: [] };
          return {
            elements: inner.flatMap((value) => value?.elements ?? []),
            dims: [inner.length, ...first.dims],
            lowerBounds: [1, ...first.lowerBounds],
          };
        }
        return { elements: values, dims: [values.length], lowerBounds: [1] };
      };
    }
    case 'row': {
      const fields = expr.fields.map(compile);
      return (row, context) => fields.map((field) => field(row, context));
    }
    case 'field': {
      const arg = compile(expr.arg);
      const index = expr.index;
      return (row, context) => {
        const value = arg(row, context) as Value[] | null;
        return value === null ? null : (value[index] ?? null);
      };
    }
  }
}

function compileSubquery(expr: Extract<Expr, { kind: 'subquery' }>): Compiled {
  const { mode, plan } = expr;
  const testArg = expr.testArg ? compile(expr.testArg) : null;
  const compare = expr.compare;
  return (row, context) => {
    const rows = subplanRows(plan, row, context);
    switch (mode) {
      case 'exists':
        for (const _ of rows) return true;
        return false;
      case 'scalar': {
        let result: Value = null;
        let seen = false;
        for (const subRow of rows) {
          if (seen) throw new SqlError(SqlState.cardinalityViolation, 'more than one row returned by a subquery used as an expression');
          seen = true;
          result = subRow[0] ?? null;
        }
        return result;
      }
      case 'array': {
        const elements: Value[] = [];
        for (const subRow of rows) elements.push(subRow[0] ?? null);
        return { elements, dims: elements.length ? [elements.length] : [], lowerBounds: elements.length ? [1] : [] };
      }
      case 'any':
      case 'all': {
        const any = mode === 'any';
        const left = testArg!(row, context);
        let sawNull = false;
        for (const subRow of rows) {
          const right = expr.rowCompare ? subRow : (subRow[0] ?? null);
          const result = left === null || right === null ? null : compare!(left, right, context);
          if (result === null) sawNull = true;
          else if (result === any) return any;
        }
        return sawNull ? null : !any;
      }
    }
  };
}
