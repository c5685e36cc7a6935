// SIMILAR TO. PostgreSQL lowers `x SIMILAR TO p [ESCAPE e]` to `x ~ similar_to_escape(p[, e])`
// and `substring(x similar p escape e)` to `substring(x, p, e)`; similar_to_escape is a
// character-for-character port of regexp.c's similar_escape_internal so its text output
// (visible to users) is PostgreSQL's.
import { SqlState } from '../../util/errors.js';
import { defineFunction, sqlError } from './define.js';
import { Oid } from './oids.js';
import { regexSubstring } from './regex.js';
import { characters } from './text-util.js';

export function similarToEscape(pattern: string, escape: string | null): string {
  let escapeChar: string | null = '\\';
  if (escape !== null) {
    const escapeChars = characters(escape);
    if (escapeChars.length > 1) {
      throw sqlError(SqlState.invalidEscapeSequence, 'invalid escape string', { hint: 'Escape string must be empty or one character.' });
    }
    escapeChar = escapeChars.length === 0 ? null : escapeChars[0]!;
  }
  let out = '^(?:';
  let afterEscape = false;
  let inCharacterClass = false;
  let quotes = 0;
  for (const c of characters(pattern)) {
    if (afterEscape) {
      if (c === '"' && !inCharacterClass) {
        if (quotes === 0) out += '){1,1}?(';
        else if (quotes === 1) out += '){1,1}(?:';
        else throw sqlError('2200C', 'SQL regular expression may not contain more than two escape-double-quote separators');
        quotes++;
      } else {
        out += '\\' + c;
      }
      afterEscape = false;
    } else if (escapeChar !== null && c === escapeChar) {
      afterEscape = true;
    } else if (inCharacterClass) {
      if (c === '\\') out += '\\';
      out += c;
      if (c === ']') inCharacterClass = false;
    } else if (c === '[') {
      out += c;
      inCharacterClass = true;
    } else if (c === '%') {
      out += '.*';
    } else if (c === '_') {
      out += '.';
    } else if (c === '(') {
      out += '(?:';
    } else if (c === '\\' || c === '.' || c === '^' || c === '$') {
      out += '\\' + c;
    } else {
      out += c;
    }
  }
  out += ')$';
  return out;
}

const { text } = Oid;
defineFunction('similar_to_escape', [text], text, ([p]) => similarToEscape(p as string, null));
defineFunction('similar_to_escape', [text, text], text, ([p, e]) => similarToEscape(p as string, e as string));
// The pre-14 spelling, still used by older clients' generated SQL.
defineFunction('similar_escape', [text, text], text, ([p, e]) => similarToEscape(p as string, e === null ? null : (e as string)), { strict: false });
defineFunction('substring', [text, text, text], text, ([s, p, e]) => regexSubstring(s as string, similarToEscape(p as string, e as string)));
