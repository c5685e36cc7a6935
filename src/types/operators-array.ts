// Array operators: comparisons (array_cmp order), containment @> <@, overlap &&, and ||
// (array_cat, array_append, array_prepend) with PostgreSQL's dimension and bound rules.
import type { Value } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { PgArray } from './arrays.js';
import { PseudoType } from './functions/api.js';
import { typeByOid } from './registry.js';
import { compareArraysGeneric, compareValues } from './value-compare.js';
import { defineOperator } from './operators-support.js';

const anyarray = PseudoType.anyarray;
const arr = (v: Value) => v as PgArray;
const isNull = (v: Value) => v === null || v === undefined;

const comparisons: Array<[string, (c: number) => boolean]> = [
  ['=', (c) => c === 0], ['<>', (c) => c !== 0], ['<', (c) => c < 0], ['<=', (c) => c <= 0], ['>', (c) => c > 0], ['>=', (c) => c >= 0],
];
for (const [name, test] of comparisons) defineOperator(name, anyarray, anyarray, (a, b) => test(compareArraysGeneric(arr(a), arr(b))));

/** Every non-null element of `inner` equals some element of `outer`; a NULL element never matches. */
function contains(outer: PgArray, inner: PgArray): boolean {
  return inner.elements.every((x) => !isNull(x) && outer.elements.some((y) => !isNull(y) && compareValues(x, y) === 0));
}
defineOperator('@>', anyarray, anyarray, (a, b) => contains(arr(a), arr(b)));
defineOperator('<@', anyarray, anyarray, (a, b) => contains(arr(b), arr(a)));
defineOperator('&&', anyarray, anyarray, (a, b) =>
  arr(a).elements.some((x) => !isNull(x) && arr(b).elements.some((y) => !isNull(y) && compareValues(x, y) === 0)),
);

function incompatible(detail: string): SqlError {
  return new SqlError(SqlState.arraySubscriptError, 'cannot concatenate incompatible arrays', { detail });
}

/** array_cat. */
export function concatArrays(a: PgArray, b: PgArray): PgArray {
  if (a.dims.length === 0) return b;
  if (b.dims.length === 0) return a;
  if (a.dims.length === b.dims.length) {
    // Same rank: concatenate along the first dimension; the other dimensions must agree.
    for (let i = 1; i < a.dims.length; i++) {
      if (a.dims[i] !== b.dims[i] || a.lowerBounds[i] !== b.lowerBounds[i]) throw incompatible('Arrays with differing element dimensions are not compatible for concatenation.');
    }
    return { elements: [...a.elements, ...b.elements], dims: [a.dims[0]! + b.dims[0]!, ...a.dims.slice(1)], lowerBounds: [...a.lowerBounds] };
  }
  if (a.dims.length === b.dims.length + 1) {
    // Append a sub-array.
    if (a.dims.slice(1).some((d, i) => d !== b.dims[i] || a.lowerBounds[i + 1] !== b.lowerBounds[i])) throw incompatible('Arrays with differing dimensions are not compatible for concatenation.');
    return { elements: [...a.elements, ...b.elements], dims: [a.dims[0]! + 1, ...a.dims.slice(1)], lowerBounds: [...a.lowerBounds] };
  }
  if (a.dims.length + 1 === b.dims.length) {
    if (b.dims.slice(1).some((d, i) => d !== a.dims[i] || b.lowerBounds[i + 1] !== a.lowerBounds[i])) throw incompatible('Arrays with differing dimensions are not compatible for concatenation.');
    return { elements: [...a.elements, ...b.elements], dims: [b.dims[0]! + 1, ...b.dims.slice(1)], lowerBounds: [...b.lowerBounds] };
  }
  throw incompatible(`Arrays of ${a.dims.length} and ${b.dims.length} dimensions are not compatible for concatenation.`);
}

function appendElement(array: PgArray, element: Value, atEnd: boolean): PgArray {
  if (array.dims.length === 0) return { elements: [element], dims: [1], lowerBounds: [1] };
  if (array.dims.length !== 1) {
    throw new SqlError(SqlState.dataException, 'argument must be empty or one-dimensional array');
  }
  const elements = atEnd ? [...array.elements, element] : [element, ...array.elements];
  return { elements, dims: [array.dims[0]! + 1], lowerBounds: [...array.lowerBounds] };
}

// || is not strict for element operands: a NULL element is appended.
const arrayResult = (left: number, right: number) => (typeByOid(left)?.element ? left : right);
defineOperator('||', PseudoType.anycompatiblearray, PseudoType.anycompatiblearray, (a, b) => {
  if (isNull(a)) return b;
  if (isNull(b)) return a;
  return concatArrays(arr(a), arr(b));
}, arrayResult, false);
defineOperator('||', PseudoType.anycompatiblearray, PseudoType.anycompatible, (a, e) => (isNull(a) ? { elements: [e], dims: [1], lowerBounds: [1] } : appendElement(arr(a), e, true)), arrayResult, false);
defineOperator('||', PseudoType.anycompatible, PseudoType.anycompatiblearray, (e, a) => (isNull(a) ? { elements: [e], dims: [1], lowerBounds: [1] } : appendElement(arr(a), e, false)), arrayResult, false);
