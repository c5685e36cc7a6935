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
/** Element-type-aware array_cmp when the operand types are known, else by value kind. */
function compareArrayOperands(a: Value, b: Value, argTypes?: readonly [number, number]): number {
  const arrayType = argTypes === undefined ? undefined : typeByOid(argTypes[0]);
  if (arrayType?.element && argTypes![0] === argTypes![1]) return arrayType.compare(a, b);
  return compareArraysGeneric(arr(a), arr(b));
}
for (const [name, test] of comparisons) {
  defineOperator(name, anyarray, anyarray, (a, b, _context, argTypes) => test(compareArrayOperands(a, b, argTypes)));
}

type ElementCompare = (x: Value, y: Value) => number;

function elementCompare(argTypes?: readonly [number, number]): ElementCompare {
  const element = argTypes === undefined ? undefined : typeByOid(argTypes[0])?.element;
  return element && argTypes![0] === argTypes![1] ? element.compare : compareValues;
}

/** Every non-null element of `inner` equals some element of `outer`; a NULL element never matches. */
function contains(outer: PgArray, inner: PgArray, compare: ElementCompare): boolean {
  return inner.elements.every((x) => !isNull(x) && outer.elements.some((y) => !isNull(y) && compare(x, y) === 0));
}
defineOperator('@>', anyarray, anyarray, (a, b, _c, argTypes) => contains(arr(a), arr(b), elementCompare(argTypes)));
defineOperator('<@', anyarray, anyarray, (a, b, _c, argTypes) => contains(arr(b), arr(a), elementCompare(argTypes)));
defineOperator('&&', anyarray, anyarray, (a, b, _c, argTypes) => {
  const compare = elementCompare(argTypes);
  return arr(a).elements.some((x) => !isNull(x) && arr(b).elements.some((y) => !isNull(y) && compare(x, y) === 0));
});

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
