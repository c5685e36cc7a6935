// json/jsonb operators: -> ->> #> #>> (both types), and for jsonb @> <@ ? ?| ?& || - #-
// with jsonfuncs.c / jsonb_op.c / jsonb_util.c semantics.
import { SqlState } from '../../util/errors.js';
import type { Value } from '../api.js';
import type { PgArray } from '../arrays.js';
import { JsonbObject, compareJsonb, formatJsonb, isJsonNull, type JsonbValue } from '../jsonb-value.js';
import { defineFunction, defineOperator, sqlError } from './define.js';
import { scanJson, spanAsText, spanElement, spanField, type JsonSpan } from './json-text.js';
import { Oid } from './oids.js';

const { json, jsonb, text, int4, bool, textArray } = Oid;
const J = (v: Value) => v as JsonbValue;

export const isObject = (v: JsonbValue): v is JsonbObject => v instanceof JsonbObject;
export const isArray = (v: JsonbValue): v is JsonbValue[] => Array.isArray(v);

// --- navigation -----------------------------------------------------------------------------
export function jsonbField(value: JsonbValue, key: string): JsonbValue | null {
  return isObject(value) ? (value.get(key) ?? null) : null;
}

export function jsonbElement(value: JsonbValue, index: number, topLevel = true): JsonbValue | null {
  if (isObject(value)) return null;
  // A top-level scalar is stored as a one-element "raw scalar" array, and -> sees it so.
  if (!isArray(value)) return topLevel ? jsonbElement([value], index, false) : null;
  const position = index < 0 ? value.length + index : index;
  return value[position] ?? null;
}

/** ->> and #>>: strings unescaped, JSON null becomes SQL NULL, the rest as jsonb text. */
export function jsonbAsText(value: JsonbValue | null): string | null {
  if (value === null || isJsonNull(value)) return null;
  if (typeof value === 'string') return value;
  return formatJsonb(value);
}

function pathElements(path: PgArray): (string | null)[] {
  if (path.dims.length > 1) throw sqlError(SqlState.invalidParameterValue, 'wrong number of array subscripts');
  return path.elements as (string | null)[];
}

/** An array index written in a path: an integer (with optional sign), else undefined. */
function pathIndex(element: string): number | undefined {
  const trimmed = element.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) return undefined;
  const index = Number(trimmed);
  return Number.isSafeInteger(index) ? index : undefined;
}

export function jsonbPath(value: JsonbValue, path: PgArray): JsonbValue | null {
  let current: JsonbValue | null = value;
  for (const element of pathElements(path)) {
    if (current === null || element === null) return null;
    if (isObject(current)) current = current.get(element) ?? null;
    else if (isArray(current)) {
      const index = pathIndex(element);
      current = index === undefined ? null : jsonbElement(current, index, false);
    } else return null;
  }
  return current;
}

function spanPath(span: JsonSpan, path: PgArray): JsonSpan | null {
  let current: JsonSpan | undefined = span;
  for (const element of pathElements(path)) {
    if (current === undefined || element === null) return null;
    if (current.kind === 'object') current = spanField(current, element);
    else if (current.kind === 'array') {
      const index = pathIndex(element);
      current = index === undefined ? undefined : spanElement(current, index);
    } else return null;
  }
  return current ?? null;
}

defineOperator('->', jsonb, text, jsonb, (v, k) => jsonbField(J(v), k as string));
defineOperator('->', jsonb, int4, jsonb, (v, i) => jsonbElement(J(v), i as number));
defineOperator('->>', jsonb, text, text, (v, k) => jsonbAsText(jsonbField(J(v), k as string)));
defineOperator('->>', jsonb, int4, text, (v, i) => jsonbAsText(jsonbElement(J(v), i as number)));
defineOperator('#>', jsonb, textArray, jsonb, (v, p) => jsonbPath(J(v), p as PgArray));
defineOperator('#>>', jsonb, textArray, text, (v, p) => jsonbAsText(jsonbPath(J(v), p as PgArray)));

defineOperator('->', json, text, json, (v, k) => spanField(scanJson(v as string), k as string)?.text ?? null);
defineOperator('->', json, int4, json, (v, i) => spanElement(scanJson(v as string), i as number)?.text ?? null);
defineOperator('->>', json, text, text, (v, k) => {
  const found = spanField(scanJson(v as string), k as string);
  return found ? spanAsText(found) : null;
});
defineOperator('->>', json, int4, text, (v, i) => {
  const found = spanElement(scanJson(v as string), i as number);
  return found ? spanAsText(found) : null;
});
defineOperator('#>', json, textArray, json, (v, p) => spanPath(scanJson(v as string), p as PgArray)?.text ?? null);
defineOperator('#>>', json, textArray, text, (v, p) => {
  const found = spanPath(scanJson(v as string), p as PgArray);
  return found ? spanAsText(found) : null;
});

// json_extract_path(_text) / jsonb_extract_path(_text): VARIADIC text[] spellings of #> / #>>.
defineFunction('jsonb_extract_path', [jsonb, textArray], jsonb, ([v, p]) => jsonbPath(J(v), p as PgArray), { variadic: text });
defineFunction('jsonb_extract_path_text', [jsonb, textArray], text, ([v, p]) => jsonbAsText(jsonbPath(J(v), p as PgArray)), { variadic: text });
defineFunction('json_extract_path', [json, textArray], json, ([v, p]) => spanPath(scanJson(v as string), p as PgArray)?.text ?? null, { variadic: text });
defineFunction(
  'json_extract_path_text',
  [json, textArray],
  text,
  ([v, p]) => {
    const found = spanPath(scanJson(v as string), p as PgArray);
    return found ? spanAsText(found) : null;
  },
  { variadic: text },
);

// --- containment and existence (jsonb only) -------------------------------------------------
/** JsonbDeepContains. Scalars at the top level behave as one-element "raw scalar" arrays. */
export function jsonbContains(container: JsonbValue, contained: JsonbValue, topLevel = true): boolean {
  if (isObject(container) || isObject(contained)) {
    if (!isObject(container) || !isObject(contained)) return false;
    for (const [key, value] of contained.entries) {
      const candidate = container.get(key);
      if (candidate === undefined) return false;
      if (isObject(value) || isArray(value)) {
        if (!jsonbContains(candidate, value, false)) return false;
      } else if (isObject(candidate) || isArray(candidate) || compareJsonb(candidate, value) !== 0) return false;
    }
    return true;
  }
  const containerIsArray = isArray(container);
  const containedIsArray = isArray(contained);
  if (!topLevel && containerIsArray !== containedIsArray) return false;
  // A raw scalar may not contain a real array.
  if (topLevel && !containerIsArray && containedIsArray) return false;
  const outer = containerIsArray ? container : [container];
  const inner = containedIsArray ? contained : [contained];
  for (const item of inner) {
    if (isObject(item) || isArray(item)) {
      if (!outer.some((candidate) => (isObject(candidate) || isArray(candidate)) && jsonbContains(candidate, item, false))) return false;
    } else if (!outer.some((candidate) => !isObject(candidate) && !isArray(candidate) && compareJsonb(candidate, item) === 0)) return false;
  }
  return true;
}

/** `?`: a top-level object key, or a string element of a top-level array (or raw scalar). */
export function jsonbExists(value: JsonbValue, key: string): boolean {
  if (isObject(value)) return value.get(key) !== undefined;
  if (isArray(value)) return value.some((item) => item === key);
  return value === key;
}

defineOperator('@>', jsonb, jsonb, bool, (a, b) => jsonbContains(J(a), J(b)));
defineOperator('<@', jsonb, jsonb, bool, (a, b) => jsonbContains(J(b), J(a)));
defineOperator('?', jsonb, text, bool, (v, k) => jsonbExists(J(v), k as string));
defineOperator('?|', jsonb, textArray, bool, (v, keys) => (keys as PgArray).elements.some((k) => k !== null && jsonbExists(J(v), k as string)));
defineOperator('?&', jsonb, textArray, bool, (v, keys) => (keys as PgArray).elements.every((k) => k === null || jsonbExists(J(v), k as string)));
defineFunction('jsonb_contains', [jsonb, jsonb], bool, ([a, b]) => jsonbContains(J(a), J(b)));
defineFunction('jsonb_exists', [jsonb, text], bool, ([v, k]) => jsonbExists(J(v), k as string));

// --- modification ---------------------------------------------------------------------------
/** jsonb || jsonb: objects merge (right wins); otherwise both become arrays and concatenate. */
export function jsonbConcat(a: JsonbValue, b: JsonbValue): JsonbValue {
  if (isObject(a) && isObject(b)) return new JsonbObject([...a.entries, ...b.entries]);
  const left = isArray(a) ? a : [a];
  const right = isArray(b) ? b : [b];
  return [...left, ...right];
}
defineOperator('||', jsonb, jsonb, jsonb, (a, b) => jsonbConcat(J(a), J(b)));

function cannotDeleteFromScalar(): never {
  throw sqlError(SqlState.invalidParameterValue, 'cannot delete from scalar');
}

export function jsonbDeleteKey(value: JsonbValue, key: string): JsonbValue {
  if (isObject(value)) return value.get(key) === undefined ? value : new JsonbObject(value.entries.filter(([k]) => k !== key));
  if (isArray(value)) return value.filter((item) => item !== key);
  return cannotDeleteFromScalar();
}

function jsonbDeleteIndex(value: JsonbValue, index: number): JsonbValue {
  if (isObject(value)) throw sqlError(SqlState.invalidParameterValue, 'cannot delete from object using integer index');
  if (!isArray(value)) return cannotDeleteFromScalar();
  const position = index < 0 ? value.length + index : index;
  if (position < 0 || position >= value.length) return value;
  return value.filter((_item, i) => i !== position);
}

defineOperator('-', jsonb, text, jsonb, (v, k) => jsonbDeleteKey(J(v), k as string));
defineOperator('-', jsonb, int4, jsonb, (v, i) => jsonbDeleteIndex(J(v), i as number));
defineOperator('-', jsonb, textArray, jsonb, (v, keys) => {
  let result = J(v);
  if (!isObject(result) && !isArray(result)) cannotDeleteFromScalar();
  for (const key of (keys as PgArray).elements) if (key !== null) result = jsonbDeleteKey(result, key as string);
  return result;
});

/** #- path: removes the element a path names (jsonb_delete_path). */
export function jsonbDeletePath(value: JsonbValue, path: (string | null)[], level = 0): JsonbValue {
  if (level === 0 && !isObject(value) && !isArray(value)) throw sqlError(SqlState.invalidParameterValue, 'cannot delete path in scalar');
  if (path.length === 0) return value;
  // An empty container comes back as it is, whatever the path says.
  if (level === 0 && (isObject(value) ? value.size === 0 : (value as JsonbValue[]).length === 0)) return value;
  const element = path[level];
  if (element === undefined) return value;
  if (element === null) throw sqlError(SqlState.nullValueNotAllowed, `path element at position ${level + 1} is null`);
  const last = level === path.length - 1;
  if (isObject(value)) {
    const child = value.get(element);
    if (child === undefined) return value;
    if (last) return new JsonbObject(value.entries.filter(([k]) => k !== element));
    return new JsonbObject(value.entries.map(([k, v]) => [k, k === element ? jsonbDeletePath(v, path, level + 1) : v] as const));
  }
  if (isArray(value)) {
    const index = pathIndex(element);
    if (index === undefined) {
      throw sqlError(SqlState.invalidTextRepresentation, `path element at position ${level + 1} is not an integer: "${element}"`);
    }
    const position = index < 0 ? value.length + index : index;
    if (position < 0 || position >= value.length) return value;
    if (last) return value.filter((_item, i) => i !== position);
    return value.map((item, i) => (i === position ? jsonbDeletePath(item, path, level + 1) : item));
  }
  return value;
}
defineOperator('#-', jsonb, textArray, jsonb, (v, p) => jsonbDeletePath(J(v), pathElements(p as PgArray)));
