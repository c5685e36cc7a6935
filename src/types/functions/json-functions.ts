// JSON functions: to_json(b), builders, typeof, lengths, set-returning decomposition
// (each/array_elements/object_keys), strip_nulls, jsonb_set/insert, jsonb_pretty, and the
// json/jsonb aggregates, with PostgreSQL's exact text layouts for json results.
import { SqlState } from '../../util/errors.js';
import type { FormatSettings, Value } from '../api.js';
import type { PgArray } from '../arrays.js';
import { JsonbObject, escapeJsonString, formatJsonb, isJsonNull, type JsonbValue } from '../jsonb-value.js';
import { Numeric } from '../numeric.js';
import { typeByOid } from '../registry.js';
import { accumulator, defineAggregate } from './aggregates-api.js';
import { defineFunction, sqlError } from './define.js';
import { outputText } from './format.js';
import { toJsonb, toJsonText } from './json-convert.js';
import { isArray, isObject, jsonbAsText } from './json-operators.js';
import { scanJson, spanAsText, type JsonSpan } from './json-text.js';
import { Oid } from './oids.js';

const { json, jsonb, text, int4, bool, textArray, anyelement, record } = Oid;
const J = (v: Value) => v as JsonbValue;

// --- conversion and building ----------------------------------------------------------------
defineFunction('to_json', [anyelement], json, ([v], c, t) => toJsonText(v, t[0]!, c.settings), { volatility: 'stable' });
defineFunction('to_jsonb', [anyelement], jsonb, ([v], c, t) => toJsonb(v, t[0]!, c.settings), { volatility: 'stable' });
defineFunction('array_to_json', [Oid.anyarray], json, ([v], c, t) => toJsonText(v, t[0]!, c.settings), { volatility: 'stable' });

function keyText(value: Value, typeOid: number, position: number, settings: FormatSettings, binary: boolean): string {
  if (value === null) {
    if (binary) throw sqlError(SqlState.invalidParameterValue, `argument ${position}: key must not be null`);
    throw sqlError(SqlState.nullValueNotAllowed, `argument ${position} cannot be null`, { hint: 'Object keys should be text.' });
  }
  const type = typeByOid(typeOid);
  if (type?.element || typeOid === json || typeOid === jsonb) {
    throw sqlError(SqlState.invalidParameterValue, 'key value must be scalar, not array, composite, or json');
  }
  return outputText(value, typeOid, settings);
}

function checkEven(count: number, functionName: string): void {
  if (count % 2 !== 0) {
    throw sqlError(SqlState.invalidParameterValue, 'argument list must have even number of elements', {
      hint: `The arguments of ${functionName}() must consist of alternating keys and values.`,
    });
  }
}

defineFunction(
  'json_build_object',
  [Oid.any],
  json,
  (args, c, t) => {
    checkEven(args.length, 'json_build_object');
    const parts: string[] = [];
    for (let i = 0; i < args.length; i += 2) {
      parts.push(`${escapeJsonString(keyText(args[i], t[i]!, i + 1, c.settings, false))} : ${toJsonText(args[i + 1], t[i + 1]!, c.settings)}`);
    }
    return `{${parts.join(', ')}}`;
  },
  { strict: false, volatility: 'stable', variadic: Oid.any },
);
defineFunction('json_build_object', [], json, () => '{}', { volatility: 'stable' });
defineFunction(
  'jsonb_build_object',
  [Oid.any],
  jsonb,
  (args, c, t) => {
    checkEven(args.length, 'jsonb_build_object');
    const entries: [string, JsonbValue][] = [];
    for (let i = 0; i < args.length; i += 2) entries.push([keyText(args[i], t[i]!, i + 1, c.settings, true), toJsonb(args[i + 1], t[i + 1]!, c.settings)]);
    return new JsonbObject(entries);
  },
  { strict: false, volatility: 'stable', variadic: Oid.any },
);
defineFunction('jsonb_build_object', [], jsonb, () => new JsonbObject([]), { volatility: 'stable' });
defineFunction('json_build_array', [Oid.any], json, (args, c, t) => `[${args.map((v, i) => toJsonText(v, t[i]!, c.settings)).join(', ')}]`, {
  strict: false,
  volatility: 'stable',
  variadic: Oid.any,
});
defineFunction('json_build_array', [], json, () => '[]', { volatility: 'stable' });
defineFunction('jsonb_build_array', [Oid.any], jsonb, (args, c, t) => args.map((v, i) => toJsonb(v, t[i]!, c.settings)), {
  strict: false,
  volatility: 'stable',
  variadic: Oid.any,
});
defineFunction('jsonb_build_array', [], jsonb, () => [], { volatility: 'stable' });

// --- inspection -------------------------------------------------------------------------------
export function jsonbTypeof(value: JsonbValue): string {
  if (isJsonNull(value)) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Numeric) return 'number';
  return isArray(value) ? 'array' : 'object';
}
defineFunction('jsonb_typeof', [jsonb], text, ([v]) => jsonbTypeof(J(v)));
defineFunction('json_typeof', [json], text, ([v]) => {
  const kind = scanJson(v as string).kind;
  return kind === 'true' || kind === 'false' ? 'boolean' : kind;
});

defineFunction('jsonb_array_length', [jsonb], int4, ([v]) => {
  const value = J(v);
  if (isArray(value)) return value.length;
  throw sqlError(SqlState.invalidParameterValue, isObject(value) ? 'cannot get array length of a non-array' : 'cannot get array length of a scalar');
});
defineFunction('json_array_length', [json], int4, ([v]) => {
  const span = scanJson(v as string);
  if (span.kind === 'array') return span.items.length;
  throw sqlError(SqlState.invalidParameterValue, span.kind === 'object' ? 'cannot get array length of a non-array' : 'cannot get array length of a scalar');
});

// --- decomposition (set-returning; record rows are [key, value] arrays) -----------------------
function requireObject(value: JsonbValue, functionName: string): JsonbObject {
  if (isObject(value)) return value;
  throw sqlError(SqlState.invalidParameterValue, `cannot call ${functionName} on a non-object`);
}
function requireArray(value: JsonbValue): JsonbValue[] {
  if (isArray(value)) return value;
  throw sqlError(SqlState.invalidParameterValue, isObject(value) ? 'cannot extract elements from an object' : 'cannot extract elements from a scalar');
}
function requireObjectSpan(span: JsonSpan): Extract<JsonSpan, { kind: 'object' }> {
  if (span.kind === 'object') return span;
  throw sqlError(SqlState.invalidParameterValue, span.kind === 'array' ? 'cannot deconstruct an array as an object' : 'cannot deconstruct a scalar');
}
function requireArraySpan(span: JsonSpan, functionName: string): Extract<JsonSpan, { kind: 'array' }> {
  if (span.kind === 'array') return span;
  throw sqlError(SqlState.invalidParameterValue, `cannot call ${functionName} on ${span.kind === 'object' ? 'a non-array' : 'a scalar'}`);
}

/** Output columns of the record-returning functions (BuiltinFunction.outColumns). */
const keyValue = (valueType: number) => [
  { name: 'key', type: text },
  { name: 'value', type: valueType },
];

defineFunction('jsonb_each', [jsonb], record, ([v]) => requireObject(J(v), 'jsonb_each').entries.map(([k, value]) => [k, value]), {
  returnsSet: true,
  outColumns: keyValue(jsonb),
});
defineFunction('jsonb_each_text', [jsonb], record, ([v]) => requireObject(J(v), 'jsonb_each_text').entries.map(([k, value]) => [k, jsonbAsText(value)]), {
  returnsSet: true,
  outColumns: keyValue(text),
});
defineFunction('json_each', [json], record, ([v]) => requireObjectSpan(scanJson(v as string)).fields.map(([k, span]) => [k, span.text]), {
  returnsSet: true,
  outColumns: keyValue(json),
});
defineFunction('json_each_text', [json], record, ([v]) => requireObjectSpan(scanJson(v as string)).fields.map(([k, span]) => [k, spanAsText(span)]), {
  returnsSet: true,
  outColumns: keyValue(text),
});
defineFunction('jsonb_array_elements', [jsonb], jsonb, ([v]) => requireArray(J(v)), { returnsSet: true });
defineFunction('jsonb_array_elements_text', [jsonb], text, ([v]) => requireArray(J(v)).map(jsonbAsText), { returnsSet: true });
defineFunction('json_array_elements', [json], json, ([v]) => requireArraySpan(scanJson(v as string), 'json_array_elements').items.map((span) => span.text), { returnsSet: true });
defineFunction('json_array_elements_text', [json], text, ([v]) => requireArraySpan(scanJson(v as string), 'json_array_elements_text').items.map(spanAsText), { returnsSet: true });

defineFunction(
  'jsonb_object_keys',
  [jsonb],
  text,
  ([v]) => {
    const value = J(v);
    if (isObject(value)) return value.entries.map(([k]) => k);
    throw sqlError(SqlState.invalidParameterValue, `cannot call jsonb_object_keys on ${isArray(value) ? 'an array' : 'a scalar'}`);
  },
  { returnsSet: true },
);
defineFunction(
  'json_object_keys',
  [json],
  text,
  ([v]) => {
    const span = scanJson(v as string);
    if (span.kind === 'object') return span.fields.map(([k]) => k);
    throw sqlError(SqlState.invalidParameterValue, `cannot call json_object_keys on ${span.kind === 'array' ? 'an array' : 'a scalar'}`);
  },
  { returnsSet: true },
);

// --- strip_nulls, pretty ----------------------------------------------------------------------
function stripNulls(value: JsonbValue): JsonbValue {
  if (isObject(value)) return new JsonbObject(value.entries.filter(([, v]) => !isJsonNull(v)).map(([k, v]) => [k, stripNulls(v)] as const));
  if (isArray(value)) return value.map(stripNulls);
  return value;
}
defineFunction('jsonb_strip_nulls', [jsonb], jsonb, ([v]) => stripNulls(J(v)));

/** json_strip_nulls re-emits the text compactly (no whitespace) without null-valued fields. */
function stripNullSpans(span: JsonSpan): string {
  if (span.kind === 'object') {
    return `{${span.fields
      .filter(([, v]) => v.kind !== 'null')
      .map(([k, v]) => `${escapeJsonString(k)}:${stripNullSpans(v)}`)
      .join(',')}}`;
  }
  if (span.kind === 'array') return `[${span.items.map(stripNullSpans).join(',')}]`;
  return span.text;
}
defineFunction('json_strip_nulls', [json], json, ([v]) => stripNullSpans(scanJson(v as string)));

function pretty(value: JsonbValue, indent: string): string {
  const inner = indent + '    ';
  if (isObject(value)) {
    if (value.size === 0) return `{\n${indent}}`;
    return `{\n${value.entries.map(([k, v]) => `${inner}${escapeJsonString(k)}: ${pretty(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  if (isArray(value)) {
    if (value.length === 0) return `[\n${indent}]`;
    return `[\n${value.map((v) => inner + pretty(v, inner)).join(',\n')}\n${indent}]`;
  }
  return formatJsonb(value);
}
defineFunction('jsonb_pretty', [jsonb], text, ([v]) => pretty(J(v), ''));

// --- jsonb_set / jsonb_insert -----------------------------------------------------------------
function pathIndexOrError(element: string, position: number): number {
  const trimmed = element.trim();
  if (!/^[+-]?\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw sqlError(SqlState.invalidTextRepresentation, `path element at position ${position} is not an integer: "${element}"`);
  }
  return Number(trimmed);
}

type SetMode = { kind: 'set'; create: boolean } | { kind: 'insert'; after: boolean };

/** setPath (jsonfuncs.c): walks the path, replacing or inserting at its end. */
function setPath(value: JsonbValue, path: (string | null)[], level: number, replacement: JsonbValue, mode: SetMode): JsonbValue {
  const element = path[level];
  if (element === undefined) return value;
  if (element === null) throw sqlError(SqlState.nullValueNotAllowed, `path element at position ${level + 1} is null`);
  const last = level === path.length - 1;
  if (isObject(value)) {
    const existing = value.get(element);
    if (existing === undefined) {
      const mayCreate = mode.kind === 'insert' || mode.create;
      if (last && mayCreate) return new JsonbObject([...value.entries, [element, replacement]]);
      return value;
    }
    if (last) {
      if (mode.kind === 'insert') {
        throw sqlError(SqlState.invalidParameterValue, 'cannot replace existing key', { hint: 'Try using the function jsonb_set to replace key value.' });
      }
      return new JsonbObject(value.entries.map(([k, v]) => [k, k === element ? replacement : v] as const));
    }
    return new JsonbObject(value.entries.map(([k, v]) => [k, k === element ? setPath(v, path, level + 1, replacement, mode) : v] as const));
  }
  if (isArray(value)) {
    const index = pathIndexOrError(element, level + 1);
    let position = index < 0 ? value.length + index : index;
    if (position < 0 || position >= value.length) {
      // Out of range: only the last path element may add, at the near end.
      const mayCreate = mode.kind === 'insert' || mode.create;
      if (!last || !mayCreate) return value;
      return position < 0 ? [replacement, ...value] : [...value, replacement];
    }
    if (last) {
      if (mode.kind === 'set') return value.map((item, i) => (i === position ? replacement : item));
      if (mode.after) position++;
      return [...value.slice(0, position), replacement, ...value.slice(position)];
    }
    return value.map((item, i) => (i === position ? setPath(item, path, level + 1, replacement, mode) : item));
  }
  return value;
}

function setOrInsert(target: JsonbValue, path: PgArray, replacement: JsonbValue, mode: SetMode): JsonbValue {
  if (!isObject(target) && !isArray(target)) throw sqlError(SqlState.invalidParameterValue, 'cannot set path in scalar');
  if (path.dims.length > 1) throw sqlError(SqlState.invalidParameterValue, 'wrong number of array subscripts');
  if (path.elements.length === 0) return target;
  return setPath(target, path.elements as (string | null)[], 0, replacement, mode);
}

defineFunction('jsonb_set', [jsonb, textArray, jsonb], jsonb, ([t, p, r]) => setOrInsert(J(t), p as PgArray, J(r), { kind: 'set', create: true }));
defineFunction('jsonb_set', [jsonb, textArray, jsonb, bool], jsonb, ([t, p, r, c]) => setOrInsert(J(t), p as PgArray, J(r), { kind: 'set', create: c as boolean }));
defineFunction('jsonb_insert', [jsonb, textArray, jsonb], jsonb, ([t, p, r]) => setOrInsert(J(t), p as PgArray, J(r), { kind: 'insert', after: false }));
defineFunction('jsonb_insert', [jsonb, textArray, jsonb, bool], jsonb, ([t, p, r, a]) => setOrInsert(J(t), p as PgArray, J(r), { kind: 'insert', after: a as boolean }));

// --- aggregates -------------------------------------------------------------------------------
/** json_agg: `[a, b]`; NULL inputs become JSON null; no rows → NULL. */
defineAggregate(
  'json_agg',
  [anyelement],
  json,
  (argTypes, context) => accumulator<string[] | null>(null, (parts, [v]) => [...(parts ?? []), toJsonText(v, argTypes[0]!, context.settings)], (parts) => (parts === null ? null : `[${parts.join(', ')}]`)),
  { strict: false },
);
defineAggregate(
  'jsonb_agg',
  [anyelement],
  jsonb,
  (argTypes, context) =>
    accumulator<JsonbValue[] | null>(null, (items, [v]) => {
      const list = items ?? [];
      list.push(toJsonb(v, argTypes[0]!, context.settings));
      return list;
    }, (items) => items),
  { strict: false },
);

function fieldNameNotNull(): never {
  throw sqlError(SqlState.invalidParameterValue, 'field name must not be null');
}

/** json_object_agg: `{ "k" : v, "k2" : v2 }`; a NULL key is an error. */
defineAggregate(
  'json_object_agg',
  [Oid.any, Oid.any],
  json,
  (argTypes, context) =>
    accumulator<string[] | null>(
      null,
      (parts, [k, v]) => {
        if (k === null) fieldNameNotNull();
        const list = parts ?? [];
        list.push(`${escapeJsonString(outputText(k, argTypes[0]!, context.settings))} : ${toJsonText(v, argTypes[1]!, context.settings)}`);
        return list;
      },
      (parts) => (parts === null ? null : `{ ${parts.join(', ')} }`),
    ),
  { strict: false },
);
defineAggregate(
  'jsonb_object_agg',
  [Oid.any, Oid.any],
  jsonb,
  (argTypes, context) =>
    accumulator<[string, JsonbValue][] | null>(
      null,
      (entries, [k, v]) => {
        if (k === null) fieldNameNotNull();
        const list = entries ?? [];
        list.push([outputText(k, argTypes[0]!, context.settings), toJsonb(v, argTypes[1]!, context.settings)]);
        return list;
      },
      (entries) => (entries === null ? null : new JsonbObject(entries)),
    ),
  { strict: false },
);
