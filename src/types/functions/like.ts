// LIKE / ILIKE (~~, ~~*, !~~, !~~*) and like_escape. The parser lowers `x LIKE p ESCAPE e` to
// `x ~~ like_escape(p, e)`, so the operators themselves always use backslash as the escape.
// ILIKE lowers ASCII letters only, as PostgreSQL does under the C locale.
import { SqlState } from '../../util/errors.js';
import type { Value } from '../api.js';
import { defineFunction, defineOperator, sqlError } from './define.js';
import { Oid } from './oids.js';
import { asciiLower, characters, hasSurrogates } from './text-util.js';

const enum Token {
  Literal = 0,
  AnyOne = 1,
  AnySequence = 2,
  /** A pattern ending in a lone escape: an error, but only once matching reaches it. */
  TrailingEscape = 3,
}

interface CompiledLike {
  kinds: Token[];
  literals: (string | number)[];
  /** Common shapes answered with string methods: 'abc', 'abc%', '%abc', '%abc%'. */
  shortcut?: (subject: string) => boolean;
  hasAnyOne: boolean;
}

const compiledCacheSizeMax = 512;
const textCache = new Map<string, CompiledLike>();

function endsWithEscape(): never {
  throw sqlError(SqlState.invalidEscapeSequence, 'LIKE pattern must not end with escape character');
}

/** Pattern units (characters or bytes) → token list; `%%` collapses, escapes become literals. */
function compile(units: ArrayLike<string | number>, percent: string | number, underscore: string | number, backslash: string | number): CompiledLike {
  const kinds: Token[] = [];
  const literals: (string | number)[] = [];
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    if (unit === backslash) {
      if (i + 1 >= units.length) {
        kinds.push(Token.TrailingEscape);
        literals.push(unit);
        break;
      }
      kinds.push(Token.Literal);
      literals.push(units[++i]!);
    } else if (unit === percent) {
      if (kinds[kinds.length - 1] !== Token.AnySequence) {
        kinds.push(Token.AnySequence);
        literals.push(unit);
      }
    } else if (unit === underscore) {
      kinds.push(Token.AnyOne);
      literals.push(unit);
    } else {
      kinds.push(Token.Literal);
      literals.push(unit);
    }
  }
  return { kinds, literals, hasAnyOne: kinds.includes(Token.AnyOne) };
}

/** Patterns made of one literal run with % only at the ends need no matcher. */
function shortcutFor(compiled: CompiledLike): ((subject: string) => boolean) | undefined {
  const { kinds, literals } = compiled;
  if (compiled.hasAnyOne || kinds.includes(Token.TrailingEscape)) return undefined;
  const leading = kinds[0] === Token.AnySequence;
  const trailing = kinds.length > 1 && kinds[kinds.length - 1] === Token.AnySequence;
  const inner = kinds.slice(leading ? 1 : 0, trailing ? kinds.length - 1 : kinds.length);
  if (inner.some((kind) => kind !== Token.Literal)) return undefined;
  const text = literals.slice(leading ? 1 : 0, trailing ? literals.length - 1 : literals.length).join('');
  if (kinds.length === 1 && leading) return () => true;
  if (leading && trailing) return (subject) => subject.includes(text);
  if (leading) return (subject) => subject.endsWith(text);
  if (trailing) return (subject) => subject.startsWith(text);
  return (subject) => subject === text;
}

/** Wildcard matching with one backtrack point (enough for % and _): O(n·m) worst case. */
function matches(subject: ArrayLike<string | number>, pattern: CompiledLike): boolean {
  const { kinds, literals } = pattern;
  let s = 0;
  let p = 0;
  let starPattern = -1;
  let starSubject = 0;
  while (s < subject.length) {
    if (kinds[p] === Token.TrailingEscape) endsWithEscape();
    if (p < kinds.length && kinds[p] !== Token.AnySequence && (kinds[p] === Token.AnyOne || literals[p] === subject[s])) {
      s++;
      p++;
    } else if (p < kinds.length && kinds[p] === Token.AnySequence) {
      starPattern = p++;
      starSubject = s;
    } else if (starPattern >= 0) {
      p = starPattern + 1;
      s = ++starSubject;
    } else {
      return false;
    }
  }
  while (p < kinds.length && kinds[p] === Token.AnySequence) p++;
  // PostgreSQL's MatchText stops here without reading a trailing escape.
  return p === kinds.length;
}

function compileText(pattern: string): CompiledLike {
  let compiled = textCache.get(pattern);
  if (compiled === undefined) {
    compiled = compile(characters(pattern), '%', '_', '\\');
    compiled.shortcut = shortcutFor(compiled);
    if (textCache.size >= compiledCacheSizeMax) textCache.clear();
    textCache.set(pattern, compiled);
  }
  return compiled;
}

export function textLike(subject: string, pattern: string): boolean {
  const compiled = compileText(pattern);
  if (compiled.shortcut) return compiled.shortcut(subject);
  // Only `_` counts characters; without it UTF-16 units match the same way.
  return matches(compiled.hasAnyOne && hasSurrogates(subject) ? Array.from(subject) : subject, compiled);
}

export function textILike(subject: string, pattern: string): boolean {
  return textLike(asciiLower(subject), asciiLower(pattern));
}

export function byteaLike(subject: Uint8Array, pattern: Uint8Array): boolean {
  return matches(subject, compile(pattern, 0x25, 0x5f, 0x5c));
}

/** like_escape(pattern, escape): rewrites a pattern with a custom escape to the backslash form. */
export function likeEscape(pattern: string, escape: string): string {
  const escapeChars = characters(escape);
  if (escapeChars.length > 1) {
    throw sqlError(SqlState.invalidEscapeSequence, 'invalid escape string', { hint: 'Escape string must be empty or one character.' });
  }
  if (escapeChars.length === 0) return pattern.replace(/\\/g, '\\\\');
  const escapeChar = escapeChars[0]!;
  if (escapeChar === '\\') return pattern;
  let out = '';
  const chars = characters(pattern);
  for (let i = 0; i < chars.length; i++) {
    const character = chars[i]!;
    if (character === escapeChar) {
      // The escaped character keeps its literal meaning; a trailing escape stays for ~~ to reject.
      if (i + 1 < chars.length) out += '\\' + chars[++i]!;
      else out += '\\';
    } else if (character === '\\') {
      out += '\\\\';
    } else {
      out += character;
    }
  }
  return out;
}

defineFunction('like_escape', [Oid.text, Oid.text], Oid.text, ([p, e]) => likeEscape(p as string, e as string));
defineFunction('like', [Oid.text, Oid.text], Oid.bool, ([s, p]) => textLike(s as string, p as string));
defineFunction('ilike', [Oid.text, Oid.text], Oid.bool, ([s, p]) => textILike(s as string, p as string));

const textLeft = [Oid.text, Oid.bpchar, Oid.name];
for (const left of textLeft) {
  defineOperator('~~', left, Oid.text, Oid.bool, (s: Value, p: Value) => textLike(s as string, p as string));
  defineOperator('!~~', left, Oid.text, Oid.bool, (s: Value, p: Value) => !textLike(s as string, p as string));
  defineOperator('~~*', left, Oid.text, Oid.bool, (s: Value, p: Value) => textILike(s as string, p as string));
  defineOperator('!~~*', left, Oid.text, Oid.bool, (s: Value, p: Value) => !textILike(s as string, p as string));
}
defineOperator('~~', Oid.bytea, Oid.bytea, Oid.bool, (s, p) => byteaLike(s as Uint8Array, p as Uint8Array));
defineOperator('!~~', Oid.bytea, Oid.bytea, Oid.bool, (s, p) => !byteaLike(s as Uint8Array, p as Uint8Array));
