// String functions (PostgreSQL 15 "String Functions and Operators"), on text; varchar and
// name reach them through the binder's implicit casts, char(n) has its own overloads where
// PostgreSQL has them (trailing blanks do not count).
import { createHash } from 'node:crypto';
import { SqlState } from '../../util/errors.js';
import type { Value } from '../api.js';
import { defineFunction, sqlError } from './define.js';
import { Oid } from './oids.js';
import {
  asciiInitcap,
  asciiLower,
  asciiUpper,
  characterIndexOf,
  characterLength,
  characters,
  checkResultLength,
  hasSurrogates,
  sliceCharacters,
  utf8Length,
} from './text-util.js';

const { text, int4, int8, bool, bytea, bpchar } = Oid;

const str = (value: Value): string => value as string;
const int = (value: Value): number => value as number;

function stripTrailingBlanks(value: string): string {
  return value.replace(/ +$/, '');
}

// --- length ---------------------------------------------------------------------------------
for (const name of ['length', 'char_length', 'character_length']) {
  defineFunction(name, [text], int4, ([s]) => characterLength(str(s)));
  defineFunction(name, [bpchar], int4, ([s]) => characterLength(stripTrailingBlanks(str(s))));
}
defineFunction('length', [bytea], int4, ([b]) => (b as Uint8Array).length);
defineFunction('octet_length', [text], int4, ([s]) => utf8Length(str(s)));
defineFunction('octet_length', [bpchar], int4, ([s]) => utf8Length(str(s)));
defineFunction('octet_length', [bytea], int4, ([b]) => (b as Uint8Array).length);
defineFunction('bit_length', [text], int4, ([s]) => utf8Length(str(s)) * 8);
defineFunction('bit_length', [bytea], int4, ([b]) => (b as Uint8Array).length * 8);

// --- case ---------------------------------------------------------------------------------
defineFunction('lower', [text], text, ([s]) => asciiLower(str(s)));
defineFunction('upper', [text], text, ([s]) => asciiUpper(str(s)));
defineFunction('initcap', [text], text, ([s]) => asciiInitcap(str(s)));

// --- substring ------------------------------------------------------------------------------
/** text_substring: characters start..start+count-1 (1-based) intersected with the string. */
export function substringByPosition(value: string, start: number, count: number | undefined): string {
  const from = Math.max(start, 1);
  if (count === undefined) return sliceCharacters(value, from - 1, Number.MAX_SAFE_INTEGER);
  if (count < 0) throw sqlError('22011', 'negative substring length not allowed');
  const end = start + count; // exclusive, 1-based; JS numbers cannot overflow here
  if (end < 1 || end <= from) return '';
  return sliceCharacters(value, from - 1, end - 1);
}

function bytesSubstring(value: Uint8Array, start: number, count: number | undefined): Uint8Array {
  const from = Math.max(start, 1);
  if (count === undefined) return value.slice(from - 1);
  if (count < 0) throw sqlError('22011', 'negative substring length not allowed');
  const end = start + count;
  if (end < 1 || end <= from) return new Uint8Array(0);
  return value.slice(from - 1, end - 1);
}

for (const name of ['substring', 'substr']) {
  defineFunction(name, [text, int4, int4], text, ([s, start, count]) => substringByPosition(str(s), int(start), int(count)));
  defineFunction(name, [text, int4], text, ([s, start]) => substringByPosition(str(s), int(start), undefined));
  defineFunction(name, [bytea, int4, int4], bytea, ([b, start, count]) => bytesSubstring(b as Uint8Array, int(start), int(count)));
  defineFunction(name, [bytea, int4], bytea, ([b, start]) => bytesSubstring(b as Uint8Array, int(start), undefined));
}

defineFunction('left', [text, int4], text, ([s, n]) => {
  const value = str(s);
  const count = int(n);
  return count >= 0 ? sliceCharacters(value, 0, count) : sliceCharacters(value, 0, characterLength(value) + count);
});
defineFunction('right', [text, int4], text, ([s, n]) => {
  const value = str(s);
  const count = int(n);
  const length = characterLength(value);
  return count >= 0 ? sliceCharacters(value, length - count, length) : sliceCharacters(value, -count, length);
});

// --- search ---------------------------------------------------------------------------------
function textPosition(haystack: string, needle: string): number {
  const index = haystack.indexOf(needle);
  return index < 0 ? 0 : characterIndexOf(haystack, index) + 1;
}
defineFunction('position', [text, text], int4, ([s, sub]) => textPosition(str(s), str(sub)));
defineFunction('strpos', [text, text], int4, ([s, sub]) => textPosition(str(s), str(sub)));
defineFunction('position', [bytea, bytea], int4, ([b, sub]) => Buffer.from(b as Uint8Array).indexOf(Buffer.from(sub as Uint8Array)) + 1);
defineFunction('starts_with', [text, text], bool, ([s, prefix]) => str(s).startsWith(str(prefix)));

// --- trim -----------------------------------------------------------------------------------
function trimCharacters(value: string, set: string, leading: boolean, trailing: boolean): string {
  if (set === '') return value;
  const remove = new Set(characters(set));
  const chars = characters(value);
  let start = 0;
  let end = chars.length;
  if (leading) while (start < end && remove.has(chars[start]!)) start++;
  if (trailing) while (end > start && remove.has(chars[end - 1]!)) end--;
  return chars.slice(start, end).join('');
}
defineFunction('btrim', [text, text], text, ([s, set]) => trimCharacters(str(s), str(set), true, true));
defineFunction('btrim', [text], text, ([s]) => trimCharacters(str(s), ' ', true, true));
defineFunction('ltrim', [text, text], text, ([s, set]) => trimCharacters(str(s), str(set), true, false));
defineFunction('ltrim', [text], text, ([s]) => trimCharacters(str(s), ' ', true, false));
defineFunction('rtrim', [text, text], text, ([s, set]) => trimCharacters(str(s), str(set), false, true));
defineFunction('rtrim', [text], text, ([s]) => trimCharacters(str(s), ' ', false, true));

function trimBytes(value: Uint8Array, set: Uint8Array, leading: boolean, trailing: boolean): Uint8Array {
  let start = 0;
  let end = value.length;
  if (set.length === 0) return value;
  if (leading) while (start < end && set.includes(value[start]!)) start++;
  if (trailing) while (end > start && set.includes(value[end - 1]!)) end--;
  return value.slice(start, end);
}
defineFunction('btrim', [bytea, bytea], bytea, ([b, set]) => trimBytes(b as Uint8Array, set as Uint8Array, true, true));
defineFunction('ltrim', [bytea, bytea], bytea, ([b, set]) => trimBytes(b as Uint8Array, set as Uint8Array, true, false));
defineFunction('rtrim', [bytea, bytea], bytea, ([b, set]) => trimBytes(b as Uint8Array, set as Uint8Array, false, true));

// --- building -------------------------------------------------------------------------------
defineFunction('replace', [text, text, text], text, ([s, from, to]) => {
  if (str(from) === '') return str(s);
  const result = str(s).split(str(from)).join(str(to));
  checkResultLength(result.length);
  return result;
});

defineFunction('split_part', [text, text, int4], text, ([s, delimiter, n]) => {
  const field = int(n);
  if (field === 0) throw sqlError(SqlState.invalidParameterValue, 'field position must not be zero');
  const value = str(s);
  const separator = str(delimiter);
  if (separator === '') {
    // An empty delimiter makes the whole string the only field.
    return field === 1 || field === -1 ? value : '';
  }
  const parts = value.split(separator);
  const index = field > 0 ? field - 1 : parts.length + field;
  return index >= 0 && index < parts.length ? parts[index]! : '';
});

function pad(value: string, length: number, fill: string, left: boolean): string {
  if (length <= 0) return '';
  const chars = characters(value);
  if (chars.length >= length) return chars.slice(0, length).join('');
  if (fill === '') return value;
  const fillChars = characters(fill);
  checkResultLength(length * 4);
  const padding: string[] = [];
  for (let i = 0; padding.length < length - chars.length; i++) padding.push(fillChars[i % fillChars.length]!);
  return left ? padding.join('') + value : value + padding.join('');
}
defineFunction('lpad', [text, int4, text], text, ([s, n, fill]) => pad(str(s), int(n), str(fill), true));
defineFunction('lpad', [text, int4], text, ([s, n]) => pad(str(s), int(n), ' ', true));
defineFunction('rpad', [text, int4, text], text, ([s, n, fill]) => pad(str(s), int(n), str(fill), false));
defineFunction('rpad', [text, int4], text, ([s, n]) => pad(str(s), int(n), ' ', false));

defineFunction('repeat', [text, int4], text, ([s, n]) => {
  const count = int(n);
  if (count <= 0 || str(s) === '') return '';
  checkResultLength(utf8Length(str(s)) * count);
  return str(s).repeat(count);
});

defineFunction('reverse', [text], text, ([s]) => (hasSurrogates(str(s)) ? Array.from(str(s)).reverse().join('') : str(s).split('').reverse().join('')));

defineFunction('md5', [text], text, ([s]) => createHash('md5').update(str(s), 'utf8').digest('hex'));
defineFunction('md5', [bytea], text, ([b]) => createHash('md5').update(b as Uint8Array).digest('hex'));
for (const algorithm of ['sha224', 'sha256', 'sha384', 'sha512']) {
  defineFunction(algorithm, [bytea], bytea, ([b]) => new Uint8Array(createHash(algorithm).update(b as Uint8Array).digest()));
}

defineFunction('chr', [int4], text, ([n]) => {
  const code = int(n);
  if (code < 0) throw sqlError(SqlState.invalidParameterValue, 'character number must be positive');
  if (code === 0) throw sqlError(SqlState.programLimitExceeded, 'null character not permitted');
  if (code > 0x10ffff) throw sqlError(SqlState.programLimitExceeded, `requested character too large for encoding: ${code}`);
  if (code >= 0xd800 && code <= 0xdfff) throw sqlError(SqlState.programLimitExceeded, `requested character not valid for encoding: ${code}`);
  return String.fromCodePoint(code);
});
defineFunction('ascii', [text], int4, ([s]) => (str(s) === '' ? 0 : str(s).codePointAt(0)!));

defineFunction('to_hex', [int4], text, ([n]) => (int(n) >>> 0).toString(16));
defineFunction('to_hex', [int8], text, ([n]) => BigInt.asUintN(64, n as bigint).toString(16));

defineFunction('translate', [text, text, text], text, ([s, from, to]) => {
  const fromChars = characters(str(from));
  const toChars = characters(str(to));
  const map = new Map<string, string>();
  fromChars.forEach((character, index) => {
    if (!map.has(character)) map.set(character, index < toChars.length ? toChars[index]! : '');
  });
  return characters(str(s))
    .map((character) => map.get(character) ?? character)
    .join('');
});

// --- quoting --------------------------------------------------------------------------------
/** Keywords PostgreSQL 15 does not accept as bare identifiers (pg_get_keywords catcode <> 'U'). */
const nonUnreservedKeywords = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast ' +
    'char character check coalesce collate collation column concurrently constraint create cross current_catalog ' +
    'current_date current_role current_schema current_time current_timestamp current_user dec decimal default ' +
    'deferrable desc distinct do else end except exists extract false fetch float for foreign freeze from full grant ' +
    'greatest group grouping having ilike in initially inner inout int integer intersect interval into is isnull join ' +
    'lateral leading least left like limit localtime localtimestamp national natural nchar none normalize not notnull ' +
    'null nullif numeric offset on only or order out outer overlaps overlay placing position precision primary real ' +
    'references returning right row select session_user setof similar smallint some substring symmetric table ' +
    'tablesample then time timestamp to trailing treat trim true union unique user using values varchar variadic ' +
    'verbose when where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse ' +
    'xmlpi xmlroot xmlserialize xmltable'
  ).split(' '),
);

/** quote_identifier(): bare when lower-case, safe characters and not a reserved word. */
export function quoteIdentifier(identifier: string): string {
  const safe = /^[a-z_][a-z0-9_]*$/.test(identifier) && !nonUnreservedKeywords.has(identifier);
  return safe ? identifier : `"${identifier.replace(/"/g, '""')}"`;
}

/** quote_literal(): E'' form when the value holds a backslash. */
export function quoteLiteral(value: string): string {
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

defineFunction('quote_ident', [text], text, ([s]) => quoteIdentifier(str(s)));
defineFunction('quote_literal', [text], text, ([s]) => quoteLiteral(str(s)));
defineFunction('quote_nullable', [text], text, ([s]) => (s === null ? 'NULL' : quoteLiteral(str(s))), { strict: false });
