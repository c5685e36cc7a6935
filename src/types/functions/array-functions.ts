// Array functions (arrayfuncs.c, array_userfuncs.c): dimensions, append/prepend/cat,
// position(s), remove/replace, to/from strings, containment functions, unnest,
// generate_subscripts, array_fill, trim_array. The operators (@> <@ && ||, comparisons) are
// the types layer's (src/types/operators-array.ts).
import { SqlState } from '../../util/errors.js';
import type { FormatSettings, PgType, Value } from '../api.js';
import { makeArray, type PgArray } from '../arrays.js';
import { typeByOid } from '../registry.js';
import { defineFunction, sqlError } from './define.js';
import { outputText } from './format.js';
import { Oid } from './oids.js';
import { characters } from './text-util.js';

const { int4, text, bool, anyarray, anyelement, anycompatible, anycompatiblearray } = Oid;
const A = (v: Value) => v as PgArray;

function isEmpty(array: PgArray): boolean {
  return array.dims.length === 0 || array.elements.length === 0;
}

function elementTypeOf(arrayOid: number): PgType {
  const element = typeByOid(arrayOid)?.element;
  if (!element) throw sqlError(SqlState.datatypeMismatch, `type ${arrayOid} is not an array type`);
  return element;
}

/** IS NOT DISTINCT FROM on elements. */
function sameElement(type: PgType, a: Value, b: Value): boolean {
  if (a === null || b === null) return a === null && b === null;
  return type.compare(a, b) === 0;
}

function requireOneDimension(array: PgArray, message: string): void {
  if (array.dims.length > 1) throw sqlError(SqlState.featureNotSupported, message);
}

// --- dimensions -----------------------------------------------------------------------------
defineFunction('array_length', [anyarray, int4], int4, ([a, d]) => {
  const array = A(a);
  const dimension = d as number;
  return dimension >= 1 && dimension <= array.dims.length ? array.dims[dimension - 1]! : null;
});
defineFunction('array_lower', [anyarray, int4], int4, ([a, d]) => {
  const array = A(a);
  const dimension = d as number;
  return dimension >= 1 && dimension <= array.dims.length ? array.lowerBounds[dimension - 1]! : null;
});
defineFunction('array_upper', [anyarray, int4], int4, ([a, d]) => {
  const array = A(a);
  const dimension = d as number;
  return dimension >= 1 && dimension <= array.dims.length ? array.lowerBounds[dimension - 1]! + array.dims[dimension - 1]! - 1 : null;
});
defineFunction('array_ndims', [anyarray], int4, ([a]) => (isEmpty(A(a)) ? null : A(a).dims.length));
defineFunction('cardinality', [anyarray], int4, ([a]) => (isEmpty(A(a)) ? 0 : A(a).elements.length));
defineFunction('array_dims', [anyarray], text, ([a]) => {
  const array = A(a);
  if (isEmpty(array)) return null;
  return array.dims.map((size, i) => `[${array.lowerBounds[i]}:${array.lowerBounds[i]! + size - 1}]`).join('');
});

// --- building ---------------------------------------------------------------------------------
const arrayResult = (argTypes: readonly number[]) => argTypes.find((t) => typeByOid(t)?.element !== undefined) ?? argTypes[0]!;

export function arrayAppend(array: PgArray | null, element: Value): PgArray {
  if (array === null || isEmpty(array)) return makeArray([element]);
  if (array.dims.length !== 1) throw sqlError(SqlState.dataException, 'argument must be empty or one-dimensional array');
  return makeArray([...array.elements, element], [array.dims[0]! + 1], [array.lowerBounds[0]!]);
}

export function arrayPrepend(element: Value, array: PgArray | null): PgArray {
  if (array === null || isEmpty(array)) return makeArray([element]);
  if (array.dims.length !== 1) throw sqlError(SqlState.dataException, 'argument must be empty or one-dimensional array');
  return makeArray([element, ...array.elements], [array.dims[0]! + 1], [array.lowerBounds[0]!]);
}

function incompatible(detail: string): never {
  throw sqlError(SqlState.arraySubscriptError, 'cannot concatenate incompatible arrays', { detail });
}

export function arrayCat(left: PgArray | null, right: PgArray | null): PgArray | null {
  if (left === null) return right;
  if (right === null) return left;
  if (isEmpty(left)) return right;
  if (isEmpty(right)) return left;
  const leftDims = left.dims.length;
  const rightDims = right.dims.length;
  if (leftDims === rightDims) {
    // Same rank: stack along the first dimension; the inner dimensions must agree.
    for (let i = 1; i < leftDims; i++) {
      if (left.dims[i] !== right.dims[i] || left.lowerBounds[i] !== right.lowerBounds[i]) {
        incompatible('Arrays with differing element dimensions are not compatible for concatenation.');
      }
    }
    return makeArray([...left.elements, ...right.elements], [left.dims[0]! + right.dims[0]!, ...left.dims.slice(1)], left.lowerBounds.slice());
  }
  if (leftDims === rightDims + 1) {
    // Append right as one more "row" of left.
    for (let i = 0; i < rightDims; i++) {
      if (left.dims[i + 1] !== right.dims[i]) incompatible('Arrays with differing dimensions are not compatible for concatenation.');
    }
    return makeArray([...left.elements, ...right.elements], [left.dims[0]! + 1, ...left.dims.slice(1)], left.lowerBounds.slice());
  }
  if (rightDims === leftDims + 1) {
    for (let i = 0; i < leftDims; i++) {
      if (right.dims[i + 1] !== left.dims[i]) incompatible('Arrays with differing dimensions are not compatible for concatenation.');
    }
    return makeArray([...left.elements, ...right.elements], [right.dims[0]! + 1, ...right.dims.slice(1)], right.lowerBounds.slice());
  }
  return incompatible(`Arrays of ${leftDims} and ${rightDims} dimensions are not compatible for concatenation.`);
}

defineFunction('array_append', [anycompatiblearray, anycompatible], arrayResult, ([a, e]) => arrayAppend(a as PgArray | null, e), { strict: false });
defineFunction('array_prepend', [anycompatible, anycompatiblearray], arrayResult, ([e, a]) => arrayPrepend(e, a as PgArray | null), { strict: false });
defineFunction('array_cat', [anycompatiblearray, anycompatiblearray], arrayResult, ([a, b]) => arrayCat(a as PgArray | null, b as PgArray | null), { strict: false });

defineFunction('array_fill', [anyelement, Oid.int4Array], (argTypes) => typeByOid(argTypes[0]!)?.arrayOid ?? 0, ([value, sizes]) => arrayFill(value, sizes as PgArray | null, null), {
  strict: false,
});
defineFunction(
  'array_fill',
  [anyelement, Oid.int4Array, Oid.int4Array],
  (argTypes) => typeByOid(argTypes[0]!)?.arrayOid ?? 0,
  ([value, sizes, bounds]) => arrayFill(value, sizes as PgArray | null, bounds as PgArray | null),
  { strict: false },
);

function arrayFill(value: Value, sizes: PgArray | null, bounds: PgArray | null): PgArray {
  if (sizes === null) {
    throw sqlError(SqlState.nullValueNotAllowed, 'dimension array or low bound array cannot be null');
  }
  if (sizes.dims.length > 1 || (bounds !== null && bounds.dims.length > 1)) {
    throw sqlError(SqlState.arraySubscriptError, 'wrong number of array subscripts', { detail: 'Dimension array must be one dimensional.' });
  }
  const dims = sizes.elements as (number | null)[];
  if (dims.some((d) => d === null)) throw sqlError(SqlState.nullValueNotAllowed, 'dimension values cannot be null');
  const lowerBounds = bounds === null ? dims.map(() => 1) : (bounds.elements as (number | null)[]);
  if (lowerBounds.length !== dims.length) {
    throw sqlError(SqlState.arraySubscriptError, 'wrong number of array subscripts', { detail: 'Low bound array has different size than dimensions array.' });
  }
  if (lowerBounds.some((d) => d === null)) throw sqlError(SqlState.nullValueNotAllowed, 'dimension values cannot be null');
  if (dims.length === 0 || dims.some((d) => d! <= 0)) return makeArray([]);
  const total = dims.reduce((product: number, d) => product * d!, 1);
  return makeArray(new Array(total).fill(value), dims as number[], lowerBounds as number[]);
}

defineFunction('trim_array', [anyarray, int4], (argTypes) => argTypes[0]!, ([a, n]) => {
  const array = A(a);
  const count = n as number;
  const length = isEmpty(array) ? 0 : array.dims[0]!;
  if (count < 0 || count > length) throw sqlError(SqlState.arraySubscriptError, 'number of elements to trim must be between 0 and ' + length);
  // The result is a slice, so its lower bounds restart at 1.
  if (count === 0) return makeArray(array.elements.slice(), array.dims.slice(), array.dims.map(() => 1));
  const rowSize = isEmpty(array) ? 0 : array.elements.length / length;
  const kept = length - count;
  if (kept === 0) return makeArray([]);
  return makeArray(array.elements.slice(0, kept * rowSize), [kept, ...array.dims.slice(1)], array.dims.map(() => 1));
});

// --- searching --------------------------------------------------------------------------------
function arrayPosition(array: PgArray, value: Value, argTypes: readonly number[], start: number | undefined): number | null {
  requireOneDimension(array, 'searching for elements in multidimensional arrays is not supported');
  if (isEmpty(array)) return null;
  const type = elementTypeOf(argTypes[0]!);
  const lowerBound = array.lowerBounds[0]!;
  const from = start === undefined ? 0 : Math.max(start - lowerBound, 0);
  for (let i = from; i < array.elements.length; i++) if (sameElement(type, array.elements[i], value)) return i + lowerBound;
  return null;
}
defineFunction('array_position', [anycompatiblearray, anycompatible], int4, ([a, v], _c, argTypes) => (a === null ? null : arrayPosition(A(a), v, argTypes, undefined)), {
  strict: false,
});
defineFunction(
  'array_position',
  [anycompatiblearray, anycompatible, int4],
  int4,
  ([a, v, start], _c, argTypes) => {
    if (a === null) return null;
    if (start === null) throw sqlError(SqlState.nullValueNotAllowed, 'initial position must not be null');
    return arrayPosition(A(a), v, argTypes, start as number);
  },
  { strict: false },
);
defineFunction(
  'array_positions',
  [anycompatiblearray, anycompatible],
  Oid.int4Array,
  ([a, v], _c, argTypes) => {
    if (a === null) return null;
    const array = A(a);
    requireOneDimension(array, 'searching for elements in multidimensional arrays is not supported');
    if (isEmpty(array)) return makeArray([]);
    const type = elementTypeOf(argTypes[0]!);
    const positions: number[] = [];
    array.elements.forEach((element, i) => {
      if (sameElement(type, element, v)) positions.push(i + array.lowerBounds[0]!);
    });
    return makeArray(positions);
  },
  { strict: false },
);

function replaceElements(array: PgArray, search: Value, replacement: Value | undefined, argTypes: readonly number[]): PgArray {
  if (isEmpty(array)) return array;
  const type = elementTypeOf(argTypes[0]!);
  if (replacement === undefined) {
    requireOneDimension(array, 'removing elements from multidimensional arrays is not supported');
    const kept = array.elements.filter((element) => !sameElement(type, element, search));
    if (kept.length === array.elements.length) return array;
    return kept.length === 0 ? makeArray([]) : makeArray(kept, [kept.length], [array.lowerBounds[0]!]);
  }
  return makeArray(
    array.elements.map((element) => (sameElement(type, element, search) ? replacement : element)),
    array.dims.slice(),
    array.lowerBounds.slice(),
  );
}
defineFunction('array_remove', [anycompatiblearray, anycompatible], (t) => t[0]!, ([a, v], _c, argTypes) => (a === null ? null : replaceElements(A(a), v, undefined, argTypes)), {
  strict: false,
});
defineFunction(
  'array_replace',
  [anycompatiblearray, anycompatible, anycompatible],
  (t) => t[0]!,
  ([a, v, r], _c, argTypes) => (a === null ? null : replaceElements(A(a), v, r, argTypes)),
  { strict: false },
);

// --- containment ------------------------------------------------------------------------------
/** array_contain_compare: every non-null element of `inner` equals some element of `outer`; NULLs never match. */
function contains(outer: PgArray, inner: PgArray, type: PgType): boolean {
  return inner.elements.every((element) => element !== null && outer.elements.some((candidate) => candidate !== null && type.compare(candidate, element) === 0));
}
function overlaps(a: PgArray, b: PgArray, type: PgType): boolean {
  return a.elements.some((element) => element !== null && b.elements.some((candidate) => candidate !== null && type.compare(candidate, element) === 0));
}
for (const name of ['arraycontains', 'arraycontained', 'arrayoverlap']) {
  defineFunction(name, [anyarray, anyarray], bool, ([a, b], _c, argTypes) => {
    const type = elementTypeOf(argTypes[0]!);
    if (name === 'arraycontains') return contains(A(a), A(b), type);
    if (name === 'arraycontained') return contains(A(b), A(a), type);
    return overlaps(A(a), A(b), type);
  });
}

// --- strings ------------------------------------------------------------------------------------
function arrayToString(array: PgArray, delimiter: string, nullText: string | null, argTypes: readonly number[], settings: FormatSettings): string {
  const element = elementTypeOf(argTypes[0]!);
  const parts: string[] = [];
  for (const value of array.elements) {
    if (value === null) {
      if (nullText !== null) parts.push(nullText);
    } else {
      parts.push(outputText(value, element.oid, settings));
    }
  }
  return parts.join(delimiter);
}
defineFunction('array_to_string', [anyarray, text], text, ([a, d], c, t) => arrayToString(A(a), d as string, null, t, c.settings), { volatility: 'stable' });
defineFunction('array_to_string', [anyarray, text, text], text, ([a, d, n], c, t) => (a === null || d === null ? null : arrayToString(A(a), d as string, n as string | null, t, c.settings)), {
  strict: false,
  volatility: 'stable',
});

export function stringToArray(value: string, delimiter: string | null, nullText: string | null): PgArray {
  if (value === '') return makeArray([]);
  let parts: string[];
  if (delimiter === null) parts = characters(value);
  else if (delimiter === '') parts = [value];
  else parts = value.split(delimiter);
  return makeArray(parts.map((part) => (nullText !== null && part === nullText ? null : part)));
}
defineFunction('string_to_array', [text, text], Oid.textArray, ([s, d]) => (s === null ? null : stringToArray(s as string, d as string | null, null)), { strict: false });
defineFunction('string_to_array', [text, text, text], Oid.textArray, ([s, d, n]) => (s === null ? null : stringToArray(s as string, d as string | null, n as string | null)), {
  strict: false,
});
defineFunction('string_to_table', [text, text], text, ([s, d]) => (s === null ? [] : stringToArray(s as string, d as string | null, null).elements), {
  strict: false,
  returnsSet: true,
});
defineFunction('string_to_table', [text, text, text], text, ([s, d, n]) => (s === null ? [] : stringToArray(s as string, d as string | null, n as string | null).elements), {
  strict: false,
  returnsSet: true,
});

// --- set-returning ------------------------------------------------------------------------------
defineFunction('unnest', [anyarray], (argTypes) => elementTypeOf(argTypes[0]!).oid, ([a]) => A(a).elements, { returnsSet: true });

function* subscripts(array: PgArray, dimension: number, reverse: boolean): Generator<number> {
  if (isEmpty(array) || dimension < 1 || dimension > array.dims.length) return;
  const lower = array.lowerBounds[dimension - 1]!;
  const upper = lower + array.dims[dimension - 1]! - 1;
  if (reverse) for (let i = upper; i >= lower; i--) yield i;
  else for (let i = lower; i <= upper; i++) yield i;
}
defineFunction('generate_subscripts', [anyarray, int4], int4, ([a, d]) => subscripts(A(a), d as number, false), { returnsSet: true });
defineFunction('generate_subscripts', [anyarray, int4, bool], int4, ([a, d, r]) => subscripts(A(a), d as number, r as boolean), { returnsSet: true });
