// The JSON value model shared by json and jsonb: a parser with PostgreSQL's grammar and error
// wording, the normalised jsonb form (keys shorter-first then bytewise, duplicate keys: last
// wins, numbers as Numeric), PostgreSQL's jsonb text output and btree order.
import { SqlError, SqlState } from '../util/errors.js';
import { Numeric } from './numeric.js';
import { compareCodePoints, utf8Encode } from './key-bytes.js';

/** JSON null (distinct from SQL NULL, which is JS null). */
export const JsonNull: { readonly jsonNull: true } = Object.freeze({ jsonNull: true as const });
export type JsonNullValue = typeof JsonNull;

export class JsonbObject {
  /** Entries in jsonb storage order (shorter keys first, then bytewise); keys unique. */
  readonly entries: ReadonlyArray<readonly [string, JsonbValue]>;
  private index?: Map<string, JsonbValue>;

  constructor(entries: Iterable<readonly [string, JsonbValue]>) {
    // Last duplicate wins, then sort into storage order.
    const map = new Map<string, JsonbValue>();
    for (const [key, value] of entries) map.set(key, value);
    this.entries = [...map.entries()].sort((a, b) => compareJsonbKeys(a[0], b[0]));
  }

  get(key: string): JsonbValue | undefined {
    this.index ??= new Map(this.entries);
    return this.index.get(key);
  }

  get size(): number {
    return this.entries.length;
  }
}

export type JsonbValue = JsonNullValue | boolean | string | Numeric | JsonbValue[] | JsonbObject;

/** jsonb key order: shorter (in UTF-8 bytes) first, then bytewise. */
export function compareJsonbKeys(a: string, b: string): number {
  const lengthA = utf8Encode(a).length;
  const lengthB = utf8Encode(b).length;
  if (lengthA !== lengthB) return lengthA - lengthB;
  return compareCodePoints(a, b);
}

// ---- parsing

function jsonError(detail: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation, 'invalid input syntax for type json', { detail });
}

/** Nesting beyond this is refused (PostgreSQL refuses at its stack limit); keeps recursion safe. */
export const jsonLimits = { nestingDepthMax: 1000 } as const;

/** Parses JSON text as PostgreSQL does; `forJsonb` rejects \u0000 (not storable as text). */
export function parseJson(text: string, forJsonb: boolean): JsonbValue {
  let position = 0;
  const length = text.length;
  const skipSpace = () => {
    for (;;) {
      const c = text.charCodeAt(position);
      if (c === 32 || c === 9 || c === 10 || c === 13) position++;
      else return;
    }
  };
  const tokenAt = (start: number) => {
    let end = start;
    while (end < length && /[A-Za-z0-9_$\x80-\uffff]/.test(text[end]!)) end++;
    return text.slice(start, Math.max(end, start + 1));
  };
  const invalidToken = (start: number): never => {
    throw jsonError(`Token "${tokenAt(start)}" is invalid.`);
  };
  const expected = (what: string): never => {
    if (position >= length) throw jsonError('The input string ended unexpectedly.');
    throw jsonError(`Expected ${what}, but found "${tokenAt(position)}".`);
  };
  const parseString = (): string => {
    position++; // opening quote
    let result = '';
    let runStart = position;
    for (;;) {
      if (position >= length) throw jsonError('The input string ended unexpectedly.');
      const c = text.charCodeAt(position);
      if (c === 34) {
        result += text.slice(runStart, position);
        position++;
        return result;
      }
      if (c < 32) {
        throw jsonError(`Character with value 0x${c.toString(16).padStart(2, '0')} must be escaped.`);
      }
      if (c !== 92) {
        position++;
        continue;
      }
      result += text.slice(runStart, position);
      const escape = text[position + 1];
      position += 2;
      switch (escape) {
        case '"': result += '"'; break;
        case '\\': result += '\\'; break;
        case '/': result += '/'; break;
        case 'b': result += '\b'; break;
        case 'f': result += '\f'; break;
        case 'n': result += '\n'; break;
        case 'r': result += '\r'; break;
        case 't': result += '\t'; break;
        case 'u': {
          const hex = text.slice(position, position + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw jsonError('"\\u" must be followed by four hexadecimal digits.');
          position += 4;
          const code = parseInt(hex, 16);
          if (code === 0 && forJsonb) {
            throw new SqlError('22P05', 'unsupported Unicode escape sequence', { detail: '\\u0000 cannot be converted to text.' });
          }
          if (code >= 0xd800 && code <= 0xdbff) {
            const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(text.slice(position));
            if (!low) throw jsonError('Unicode low surrogate must follow a high surrogate.');
            position += 6;
            result += String.fromCharCode(code, parseInt(low[1]!, 16));
          } else if (code >= 0xdc00 && code <= 0xdfff) {
            throw jsonError('Unicode low surrogate must follow a high surrogate.');
          } else result += String.fromCharCode(code);
          break;
        }
        case undefined:
          throw jsonError('The input string ended unexpectedly.');
        default:
          throw jsonError(`Escape sequence "\\${escape}" is invalid.`);
      }
      runStart = position;
    }
  };
  const parseValue = (depth: number): JsonbValue => {
    if (depth > jsonLimits.nestingDepthMax) {
      throw new SqlError('54001', 'stack depth limit exceeded');
    }
    skipSpace();
    if (position >= length) throw jsonError('The input string ended unexpectedly.');
    const c = text[position]!;
    if (c === '{') {
      position++;
      const entries: [string, JsonbValue][] = [];
      skipSpace();
      if (text[position] === '}') {
        position++;
        return new JsonbObject(entries);
      }
      for (;;) {
        skipSpace();
        if (text[position] !== '"') expected('string');
        const key = parseString();
        skipSpace();
        if (text[position] !== ':') expected('":"');
        position++;
        entries.push([key, parseValue(depth + 1)]);
        skipSpace();
        if (text[position] === ',') {
          position++;
          continue;
        }
        if (text[position] === '}') {
          position++;
          return new JsonbObject(entries);
        }
        expected('"," or "}"');
      }
    }
    if (c === '[') {
      position++;
      const elements: JsonbValue[] = [];
      skipSpace();
      if (text[position] === ']') {
        position++;
        return elements;
      }
      for (;;) {
        elements.push(parseValue(depth + 1));
        skipSpace();
        if (text[position] === ',') {
          position++;
          continue;
        }
        if (text[position] === ']') {
          position++;
          return elements;
        }
        expected('"," or "]"');
      }
    }
    if (c === '"') return parseString();
    const start = position;
    if (c === '-' || (c >= '0' && c <= '9')) {
      const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(position));
      const after = match ? text[position + match[0].length] : undefined;
      if (!match || (after !== undefined && /[A-Za-z0-9_.]/.test(after))) invalidToken(start);
      position += match![0].length;
      return Numeric.parse(match![0]);
    }
    const word = tokenAt(start);
    if (word === 'true' || word === 'false' || word === 'null') {
      position += word.length;
      return word === 'true' ? true : word === 'false' ? false : JsonNull;
    }
    return invalidToken(start);
  };
  const value = parseValue(0);
  skipSpace();
  if (position < length) {
    throw jsonError(`Expected end of input, but found "${tokenAt(position)}".`);
  }
  return value;
}

// ---- output

export function escapeJsonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    switch (c) {
      case 34: out += '\\"'; break;
      case 92: out += '\\\\'; break;
      case 8: out += '\\b'; break;
      case 12: out += '\\f'; break;
      case 10: out += '\\n'; break;
      case 13: out += '\\r'; break;
      case 9: out += '\\t'; break;
      default:
        out += c < 32 ? '\\u' + c.toString(16).padStart(4, '0') : value[i];
    }
  }
  return out + '"';
}

export function isJsonNull(value: unknown): value is JsonNullValue {
  return value === JsonNull;
}

/** jsonb output: `{"a": 1, "b": [1, 2]}`. */
export function formatJsonb(value: JsonbValue): string {
  if (value === JsonNull) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return escapeJsonString(value);
  if (value instanceof Numeric) return value.toString();
  if (Array.isArray(value)) return '[' + value.map(formatJsonb).join(', ') + ']';
  return '{' + (value as JsonbObject).entries.map(([k, v]) => escapeJsonString(k) + ': ' + formatJsonb(v)).join(', ') + '}';
}

// ---- order (compareJsonbContainers)

/** Type rank at one nesting level: null < string < number < boolean < array < object. */
export function jsonbTypeRank(value: JsonbValue): number {
  if (value === JsonNull) return 0;
  if (typeof value === 'string') return 1;
  if (value instanceof Numeric) return 2;
  if (typeof value === 'boolean') return 3;
  if (Array.isArray(value)) return 4;
  return 5;
}

function compareNested(a: JsonbValue, b: JsonbValue): number {
  const rankA = jsonbTypeRank(a);
  const rankB = jsonbTypeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  switch (rankA) {
    case 0:
      return 0;
    case 1:
      return compareCodePoints(a as string, b as string);
    case 2:
      return (a as Numeric).compare(b as Numeric);
    case 3:
      return Number(a) - Number(b);
    case 4: {
      const x = a as JsonbValue[];
      const y = b as JsonbValue[];
      if (x.length !== y.length) return x.length - y.length;
      for (let i = 0; i < x.length; i++) {
        const c = compareNested(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return 0;
    }
    default: {
      const x = (a as JsonbObject).entries;
      const y = (b as JsonbObject).entries;
      if (x.length !== y.length) return x.length - y.length;
      for (let i = 0; i < x.length; i++) {
        const keys = compareCodePoints(x[i]![0], y[i]![0]);
        if (keys !== 0) return keys;
        const values = compareNested(x[i]![1], y[i]![1]);
        if (values !== 0) return values;
      }
      return 0;
    }
  }
}

/** Top-level order: a scalar is a one-element "raw scalar" array (sorts before real arrays of one element). */
export function compareJsonb(a: JsonbValue, b: JsonbValue): number {
  const objectA = a instanceof JsonbObject;
  const objectB = b instanceof JsonbObject;
  if (objectA || objectB) return objectA && objectB ? compareNested(a, b) : objectA ? 1 : -1;
  const arrayA = Array.isArray(a) ? a : undefined;
  const arrayB = Array.isArray(b) ? b : undefined;
  const countA = arrayA ? arrayA.length : 1;
  const countB = arrayB ? arrayB.length : 1;
  if (countA !== countB) return countA - countB;
  if (!arrayA !== !arrayB) return arrayA ? 1 : -1;
  return arrayA ? compareNested(arrayA, arrayB!) : compareNested(a, b);
}
