// SQL values → JSON (json.c datum_to_json / jsonb.c datum_to_jsonb): numbers stay numbers
// unless NaN/Infinity, dates and timestamps become XSD strings, arrays nest, json/jsonb embed.
import type { FormatSettings, Value } from '../api.js';
import type { PgArray } from '../arrays.js';
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY, USECS_PER_SEC, formatHms, formatYmd, timestampToParts } from '../datetime-core.js';
import { offsetAtTimestamp, sessionZone } from '../datetime-types.js';
import { JsonNull, escapeJsonString, formatJsonb, parseJson, type JsonbValue } from '../jsonb-value.js';
import { Numeric } from '../numeric.js';
import { typeByOid } from '../registry.js';
import { outputText } from './format.js';
import { Oid } from './oids.js';

const numericTypes = new Set<number>([Oid.int2, Oid.int4, Oid.int8, Oid.float4, Oid.float8, Oid.numeric, Oid.oid]);

function xsdOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const magnitude = Math.abs(offsetSeconds);
  const hours = Math.floor(magnitude / 3600);
  const minutes = Math.floor((magnitude % 3600) / 60);
  const seconds = magnitude % 60;
  return `${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}${seconds ? ':' + String(seconds).padStart(2, '0') : ''}`;
}

function xsdTimestamp(local: bigint): string {
  const p = timestampToParts(local);
  return `${formatYmd(p.year, p.month, p.day)}T${formatHms(p.hour, p.minute, p.second, p.microsecond)}${p.year <= 0 ? ' BC' : ''}`;
}

/** The JSON string text PostgreSQL uses for date/time values (XSD style), or undefined. */
function dateTimeText(value: Value, typeOid: number, settings: FormatSettings): string | undefined {
  if (typeOid === Oid.date) {
    const days = value as number;
    if (!Number.isFinite(days)) return days > 0 ? 'infinity' : '-infinity';
    const p = timestampToParts(BigInt(days) * 86_400_000_000n);
    return `${formatYmd(p.year, p.month, p.day)}${p.year <= 0 ? ' BC' : ''}`;
  }
  if (typeOid === Oid.timestamp || typeOid === Oid.timestamptz) {
    const t = value as bigint;
    if (t === TIMESTAMP_INFINITY) return 'infinity';
    if (t === TIMESTAMP_MINUS_INFINITY) return '-infinity';
    if (typeOid === Oid.timestamp) return xsdTimestamp(t);
    const offset = offsetAtTimestamp(sessionZone(settings), t);
    return xsdTimestamp(t + BigInt(offset) * USECS_PER_SEC) + xsdOffset(offset);
  }
  return undefined;
}

function isJsonNumber(text: string): boolean {
  return /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text);
}

/** datum_to_json: the json text of one SQL value of type `typeOid`. */
export function toJsonText(value: Value, typeOid: number, settings: FormatSettings): string {
  if (value === null || value === undefined) return 'null';
  if (typeOid === Oid.bool) return value ? 'true' : 'false';
  if (typeOid === Oid.json) return value as string;
  if (typeOid === Oid.jsonb) return formatJsonb(value as JsonbValue);
  const type = typeByOid(typeOid);
  if (type?.element) return arrayToJsonText(value as PgArray, type.element.oid, settings);
  if (numericTypes.has(typeOid)) {
    const text = outputText(value, typeOid, settings);
    return isJsonNumber(text) ? text : escapeJsonString(text);
  }
  const dateTime = dateTimeText(value, typeOid, settings);
  if (dateTime !== undefined) return escapeJsonString(dateTime);
  return escapeJsonString(outputText(value, typeOid, settings));
}

function arrayToJsonText(array: PgArray, elementOid: number, settings: FormatSettings): string {
  if (array.dims.length === 0) return '[]';
  let index = 0;
  const level = (dimension: number): string => {
    const parts: string[] = [];
    for (let i = 0; i < array.dims[dimension]!; i++) {
      parts.push(dimension + 1 < array.dims.length ? level(dimension + 1) : toJsonText(array.elements[index++]!, elementOid, settings));
    }
    return '[' + parts.join(',') + ']';
  };
  return level(0);
}

/** datum_to_jsonb: the jsonb value of one SQL value of type `typeOid`. */
export function toJsonb(value: Value, typeOid: number, settings: FormatSettings): JsonbValue {
  if (value === null || value === undefined) return JsonNull;
  if (typeOid === Oid.bool) return value as boolean;
  if (typeOid === Oid.jsonb) return value as JsonbValue;
  if (typeOid === Oid.json) return parseJson(value as string, true);
  const type = typeByOid(typeOid);
  if (type?.element) return arrayToJsonb(value as PgArray, type.element.oid, settings);
  if (numericTypes.has(typeOid)) {
    const text = outputText(value, typeOid, settings);
    return isJsonNumber(text) ? Numeric.parse(text) : text;
  }
  const dateTime = dateTimeText(value, typeOid, settings);
  if (dateTime !== undefined) return dateTime;
  return outputText(value, typeOid, settings);
}

function arrayToJsonb(array: PgArray, elementOid: number, settings: FormatSettings): JsonbValue {
  if (array.dims.length === 0) return [];
  let index = 0;
  const level = (dimension: number): JsonbValue[] => {
    const items: JsonbValue[] = [];
    for (let i = 0; i < array.dims[dimension]!; i++) {
      items.push(dimension + 1 < array.dims.length ? level(dimension + 1) : toJsonb(array.elements[index++]!, elementOid, settings));
    }
    return items;
  };
  return level(0);
}
