// Regular-expression operators and functions: ~ ~* !~ !~*, substring(text from pattern),
// regexp_match(es), regexp_replace, regexp_split_to_array/table, regexp_count/like/substr.
import { SqlState } from '../../util/errors.js';
import type { Value } from '../api.js';
import { makeArray } from '../arrays.js';
import { defineFunction, defineOperator, sqlError } from './define.js';
import { Oid } from './oids.js';
import { characterIndexOf, checkResultLength } from './text-util.js';
import { regexError, translateRegex, type RegexOptions } from './regex-translate.js';

export interface CompiledRegex {
  regex: RegExp; // flags include 'g' so lastIndex drives searching
  groupCount: number;
}

interface ParsedFlags {
  options: RegexOptions;
  global: boolean;
}

const compiledCacheSizeMax = 256;
const cache = new Map<string, CompiledRegex>();

function defaultOptions(): RegexOptions {
  return { caseInsensitive: false, dotExcludesNewline: false, anchorsMatchLines: false, expanded: false, literal: false };
}

/** Applies one flag letter (PostgreSQL's parse_re_flags and embedded options share them). */
function applyFlag(options: RegexOptions, flag: string): boolean {
  switch (flag) {
    case 'b':
      throw sqlError(SqlState.featureNotSupported, 'basic regular expressions are not supported');
    case 'c':
      options.caseInsensitive = false;
      return true;
    case 'e':
      return true; // ERE: treated as ARE, its superset for practical patterns
    case 'i':
      options.caseInsensitive = true;
      return true;
    case 'm':
    case 'n':
      options.dotExcludesNewline = true;
      options.anchorsMatchLines = true;
      return true;
    case 'p':
      options.dotExcludesNewline = true;
      options.anchorsMatchLines = false;
      return true;
    case 'q':
      options.literal = true;
      return true;
    case 's':
      options.dotExcludesNewline = false;
      options.anchorsMatchLines = false;
      return true;
    case 't':
      options.expanded = false;
      return true;
    case 'w':
      options.dotExcludesNewline = false;
      options.anchorsMatchLines = true;
      return true;
    case 'x':
      options.expanded = true;
      return true;
    default:
      return false;
  }
}

export function parseFlags(flags: string, functionName?: string, allowGlobal = true): ParsedFlags {
  const options = defaultOptions();
  let global = false;
  for (const flag of flags) {
    if (flag === 'g') {
      if (!allowGlobal) {
        throw sqlError(SqlState.invalidParameterValue, `${functionName}() does not support the "global" option`, {
          hint: functionName === 'regexp_match' ? 'Use the regexp_matches function instead.' : undefined,
        });
      }
      global = true;
      continue;
    }
    if (!applyFlag(options, flag)) throw sqlError(SqlState.invalidParameterValue, `invalid regular expression option: "${flag}"`);
  }
  return { options, global };
}

/** Compiles a PostgreSQL ARE (with its ***: / ***= director and leading (?flags)). */
function optionBits(options: RegexOptions): number {
  return (
    (options.caseInsensitive ? 1 : 0) |
    (options.dotExcludesNewline ? 2 : 0) |
    (options.anchorsMatchLines ? 4 : 0) |
    (options.expanded ? 8 : 0) |
    (options.literal ? 16 : 0)
  );
}

export function compileRegex(pattern: string, options: RegexOptions): CompiledRegex {
  // Per-row hot path (WHERE x ~ 'p'): a cheap cache key.
  const key = `${optionBits(options)}:${pattern}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const effective = { ...options };
  let body = pattern;
  if (body.startsWith('***=')) {
    body = body.slice(4);
    effective.literal = true;
  } else if (body.startsWith('***:')) {
    body = body.slice(4);
  }
  if (!effective.literal && body.startsWith('(?')) {
    const close = body.indexOf(')');
    if (close < 0) regexError('invalid embedded option');
    for (const flag of body.slice(2, close)) {
      if (flag === 'g' || !applyFlag(effective, flag)) regexError('invalid embedded option');
    }
    body = body.slice(close + 1);
  }
  const translated = translateRegex(body, effective);
  let regex: RegExp;
  try {
    regex = new RegExp(translated.source, translated.needsNativeIgnoreCase ? 'gsui' : 'gsu');
  } catch (error) {
    // The translator emits only valid JS syntax; anything left is a construct PostgreSQL rejects too.
    return regexError(error instanceof Error ? error.message : String(error));
  }
  const compiled = { regex, groupCount: translated.groupCount };
  if (cache.size >= compiledCacheSizeMax) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

function compileWithFlags(pattern: string, flags: string, functionName: string, allowGlobal: boolean): { compiled: CompiledRegex; global: boolean } {
  const parsed = parseFlags(flags, functionName, allowGlobal);
  return { compiled: compileRegex(pattern, parsed.options), global: parsed.global };
}

function execAt(compiled: CompiledRegex, subject: string, fromUnit: number): RegExpExecArray | null {
  compiled.regex.lastIndex = fromUnit;
  return compiled.regex.exec(subject);
}

const sensitiveOptions: RegexOptions = Object.freeze({ ...defaultOptions() });
const insensitiveOptions: RegexOptions = Object.freeze({ ...defaultOptions(), caseInsensitive: true });

export function regexTest(subject: string, pattern: string, caseInsensitive: boolean): boolean {
  return execAt(compileRegex(pattern, caseInsensitive ? insensitiveOptions : sensitiveOptions), subject, 0) !== null;
}

/** Advances one character (code point) in UTF-16 units. */
function nextCharacter(subject: string, unit: number): number {
  const code = subject.charCodeAt(unit);
  return code >= 0xd800 && code <= 0xdbff && unit + 1 < subject.length ? unit + 2 : unit + 1;
}

/**
 * All matches as PostgreSQL's setup_regexp_matches finds them. With ignoreDegenerate (the split
 * functions), empty matches at the very end, at position 0 or right after the previous match are
 * dropped.
 */
function findMatches(compiled: CompiledRegex, subject: string, global: boolean, ignoreDegenerate: boolean, startUnit = 0): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  let searchFrom = startUnit;
  let previousEnd = 0;
  while (searchFrom <= subject.length) {
    const match = execAt(compiled, subject, searchFrom);
    if (match === null) break;
    const start = match.index;
    const end = start + match[0].length;
    if (!ignoreDegenerate || (start < subject.length && end > previousEnd)) found.push(match);
    previousEnd = end;
    if (!global) break;
    searchFrom = start === end ? nextCharacter(subject, end) : end;
  }
  return found;
}

/** Captures as PostgreSQL returns them: the groups, or the whole match when there are none. */
function matchArray(match: RegExpExecArray, groupCount: number) {
  if (groupCount === 0) return makeArray([match[0]]);
  const elements: Value[] = [];
  for (let i = 1; i <= groupCount; i++) elements.push(match[i] ?? null);
  return makeArray(elements);
}

// --- operators ------------------------------------------------------------------------------
for (const left of [Oid.text, Oid.bpchar, Oid.name, Oid.varchar]) {
  defineOperator('~', left, Oid.text, Oid.bool, (s, p) => regexTest(s as string, p as string, false));
  defineOperator('~*', left, Oid.text, Oid.bool, (s, p) => regexTest(s as string, p as string, true));
  defineOperator('!~', left, Oid.text, Oid.bool, (s, p) => !regexTest(s as string, p as string, false));
  defineOperator('!~*', left, Oid.text, Oid.bool, (s, p) => !regexTest(s as string, p as string, true));
}

// --- functions ------------------------------------------------------------------------------
defineFunction('textregexeq', [Oid.text, Oid.text], Oid.bool, ([s, p]) => regexTest(s as string, p as string, false));

/** substring(text from pattern): the first parenthesised group if any, else the whole match. */
export function regexSubstring(subject: string, pattern: string): string | null {
  const compiled = compileRegex(pattern, defaultOptions());
  const match = execAt(compiled, subject, 0);
  if (match === null) return null;
  if (compiled.groupCount === 0) return match[0];
  return match[1] ?? null;
}
defineFunction('substring', [Oid.text, Oid.text], Oid.text, ([s, p]) => regexSubstring(s as string, p as string));

function regexpMatch(subject: string, pattern: string, flags: string) {
  const { compiled } = compileWithFlags(pattern, flags, 'regexp_match', false);
  const match = execAt(compiled, subject, 0);
  return match === null ? null : matchArray(match, compiled.groupCount);
}
defineFunction('regexp_match', [Oid.text, Oid.text], Oid.textArray, ([s, p]) => regexpMatch(s as string, p as string, ''));
defineFunction('regexp_match', [Oid.text, Oid.text, Oid.text], Oid.textArray, ([s, p, f]) => regexpMatch(s as string, p as string, f as string));

function* regexpMatches(subject: string, pattern: string, flags: string) {
  const { compiled, global } = compileWithFlags(pattern, flags, 'regexp_matches', true);
  for (const match of findMatches(compiled, subject, global, false)) yield matchArray(match, compiled.groupCount);
}
defineFunction('regexp_matches', [Oid.text, Oid.text], Oid.textArray, ([s, p]) => regexpMatches(s as string, p as string, ''), { returnsSet: true });
defineFunction('regexp_matches', [Oid.text, Oid.text, Oid.text], Oid.textArray, ([s, p, f]) => regexpMatches(s as string, p as string, f as string), {
  returnsSet: true,
});

/** Expands \1..\9 and \& in a replacement; other backslashes escape the next character. */
function expandReplacement(replacement: string, match: RegExpExecArray, groupCount: number): string {
  if (!replacement.includes('\\')) return replacement;
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c !== '\\' || i + 1 >= replacement.length) {
      out += c;
      continue;
    }
    const next = replacement[++i]!;
    if (next >= '1' && next <= '9') {
      const group = Number(next);
      if (group <= groupCount) out += match[group] ?? '';
    } else if (next === '&') {
      out += match[0];
    } else if (next === '\\') {
      out += '\\';
    } else {
      out += '\\' + next;
    }
  }
  return out;
}

function regexpReplace(subject: string, pattern: string, replacement: string, flags: string, start = 1, occurrence?: number): string {
  const parsed = parseFlags(flags, 'regexp_replace', true);
  const compiled = compileRegex(pattern, parsed.options);
  if (start <= 0) throw sqlError(SqlState.invalidParameterValue, `invalid value for parameter "start": ${start}`);
  if (occurrence !== undefined && occurrence < 0) {
    throw sqlError(SqlState.invalidParameterValue, `invalid value for parameter "n": ${occurrence}`);
  }
  const startUnit = unitIndexOfCharacter(subject, start - 1);
  if (startUnit > subject.length) return subject;
  const global = occurrence === undefined ? parsed.global : occurrence === 0;
  const matches = findMatches(compiled, subject, true, false, startUnit);
  const chosen = occurrence !== undefined && occurrence > 0 ? matches.slice(occurrence - 1, occurrence) : global ? matches : matches.slice(0, 1);
  let out = '';
  let copied = 0;
  for (const match of chosen) {
    out += subject.slice(copied, match.index) + expandReplacement(replacement, match, compiled.groupCount);
    copied = match.index + match[0].length;
  }
  out += subject.slice(copied);
  checkResultLength(out.length);
  return out;
}

function unitIndexOfCharacter(subject: string, characterIndex: number): number {
  let unit = 0;
  for (let i = 0; i < characterIndex; i++) {
    if (unit >= subject.length) return subject.length + 1;
    unit = nextCharacter(subject, unit);
  }
  return unit;
}

const { text, int4 } = Oid;
defineFunction('regexp_replace', [text, text, text], text, ([s, p, r]) => regexpReplace(s as string, p as string, r as string, ''));
defineFunction('regexp_replace', [text, text, text, text], text, ([s, p, r, f]) => regexpReplace(s as string, p as string, r as string, f as string));
defineFunction('regexp_replace', [text, text, text, int4], text, ([s, p, r, st]) => regexpReplace(s as string, p as string, r as string, '', st as number));
defineFunction('regexp_replace', [text, text, text, int4, int4], text, ([s, p, r, st, n]) =>
  regexpReplace(s as string, p as string, r as string, '', st as number, n as number),
);
defineFunction('regexp_replace', [text, text, text, int4, int4, text], text, ([s, p, r, st, n, f]) =>
  regexpReplace(s as string, p as string, r as string, f as string, st as number, n as number),
);

function regexpSplit(subject: string, pattern: string, flags: string, functionName: string): string[] {
  const { compiled } = compileWithFlags(pattern, flags, functionName, false);
  const parts: string[] = [];
  let copied = 0;
  for (const match of findMatches(compiled, subject, true, true)) {
    parts.push(subject.slice(copied, match.index));
    copied = match.index + match[0].length;
  }
  parts.push(subject.slice(copied));
  return parts;
}
defineFunction('regexp_split_to_array', [text, text], Oid.textArray, ([s, p]) => makeArray(regexpSplit(s as string, p as string, '', 'regexp_split_to_array')));
defineFunction('regexp_split_to_array', [text, text, text], Oid.textArray, ([s, p, f]) =>
  makeArray(regexpSplit(s as string, p as string, f as string, 'regexp_split_to_array')),
);
defineFunction('regexp_split_to_table', [text, text], text, ([s, p]) => regexpSplit(s as string, p as string, '', 'regexp_split_to_table'), { returnsSet: true });
defineFunction('regexp_split_to_table', [text, text, text], text, ([s, p, f]) => regexpSplit(s as string, p as string, f as string, 'regexp_split_to_table'), {
  returnsSet: true,
});

// PostgreSQL 15 additions.
function regexpCount(subject: string, pattern: string, start: number, flags: string): number {
  if (start <= 0) throw sqlError(SqlState.invalidParameterValue, `invalid value for parameter "start": ${start}`);
  const { compiled } = compileWithFlags(pattern, flags, 'regexp_count', false);
  const startUnit = unitIndexOfCharacter(subject, start - 1);
  if (startUnit > subject.length) return 0;
  return findMatches(compiled, subject, true, false, startUnit).length;
}
defineFunction('regexp_count', [text, text], int4, ([s, p]) => regexpCount(s as string, p as string, 1, ''));
defineFunction('regexp_count', [text, text, int4], int4, ([s, p, st]) => regexpCount(s as string, p as string, st as number, ''));
defineFunction('regexp_count', [text, text, int4, text], int4, ([s, p, st, f]) => regexpCount(s as string, p as string, st as number, f as string));

function regexpLike(subject: string, pattern: string, flags: string): boolean {
  const { compiled } = compileWithFlags(pattern, flags, 'regexp_like', false);
  return execAt(compiled, subject, 0) !== null;
}
defineFunction('regexp_like', [text, text], Oid.bool, ([s, p]) => regexpLike(s as string, p as string, ''));
defineFunction('regexp_like', [text, text, text], Oid.bool, ([s, p, f]) => regexpLike(s as string, p as string, f as string));

function regexpSubstr(subject: string, pattern: string, start: number, occurrence: number, flags: string, group: number): string | null {
  if (start <= 0) throw sqlError(SqlState.invalidParameterValue, `invalid value for parameter "start": ${start}`);
  if (occurrence <= 0) throw sqlError(SqlState.invalidParameterValue, `invalid value for parameter "n": ${occurrence}`);
  if (group < 0) throw sqlError(SqlState.invalidParameterValue, `invalid value for parameter "subexpr": ${group}`);
  const { compiled } = compileWithFlags(pattern, flags, 'regexp_substr', false);
  const startUnit = unitIndexOfCharacter(subject, start - 1);
  if (startUnit > subject.length) return null;
  const match = findMatches(compiled, subject, true, false, startUnit)[occurrence - 1];
  if (match === undefined || group > compiled.groupCount) return null;
  return match[group] ?? null;
}
defineFunction('regexp_substr', [text, text], text, ([s, p]) => regexpSubstr(s as string, p as string, 1, 1, '', 0));
defineFunction('regexp_substr', [text, text, int4], text, ([s, p, st]) => regexpSubstr(s as string, p as string, st as number, 1, '', 0));
defineFunction('regexp_substr', [text, text, int4, int4], text, ([s, p, st, n]) => regexpSubstr(s as string, p as string, st as number, n as number, '', 0));
defineFunction('regexp_substr', [text, text, int4, int4, text], text, ([s, p, st, n, f]) =>
  regexpSubstr(s as string, p as string, st as number, n as number, f as string, 0),
);
defineFunction('regexp_substr', [text, text, int4, int4, text, int4], text, ([s, p, st, n, f, g]) =>
  regexpSubstr(s as string, p as string, st as number, n as number, f as string, g as number),
);

function regexpInstr(subject: string, pattern: string, start: number, occurrence: number, endOption: number, flags: string, group: number): number {
  if (start <= 0) throw sqlError(SqlState.invalidParameterValue, `invalid value for parameter "start": ${start}`);
  if (occurrence <= 0) throw sqlError(SqlState.invalidParameterValue, `invalid value for parameter "n": ${occurrence}`);
  if (endOption !== 0 && endOption !== 1) throw sqlError(SqlState.invalidParameterValue, `invalid value for parameter "endoption": ${endOption}`);
  if (group < 0) throw sqlError(SqlState.invalidParameterValue, `invalid value for parameter "subexpr": ${group}`);
  const { compiled } = compileWithFlags(pattern, flags, 'regexp_instr', false);
  const startUnit = unitIndexOfCharacter(subject, start - 1);
  if (startUnit > subject.length) return 0;
  const match = findMatches(compiled, subject, true, false, startUnit)[occurrence - 1];
  if (match === undefined || group > compiled.groupCount) return 0;
  const captured = match[group];
  if (captured === undefined) return 0;
  // Group start: search the captured text inside the match (JS lacks group indices without 'd').
  const groupStart = group === 0 ? match.index : match.index + match[0].indexOf(captured);
  const unit = endOption === 0 ? groupStart : groupStart + captured.length;
  return characterIndexOf(subject, unit) + 1;
}
defineFunction('regexp_instr', [text, text], int4, ([s, p]) => regexpInstr(s as string, p as string, 1, 1, 0, '', 0));
defineFunction('regexp_instr', [text, text, int4], int4, ([s, p, st]) => regexpInstr(s as string, p as string, st as number, 1, 0, '', 0));
defineFunction('regexp_instr', [text, text, int4, int4], int4, ([s, p, st, n]) => regexpInstr(s as string, p as string, st as number, n as number, 0, '', 0));
defineFunction('regexp_instr', [text, text, int4, int4, int4], int4, ([s, p, st, n, e]) =>
  regexpInstr(s as string, p as string, st as number, n as number, e as number, '', 0),
);
defineFunction('regexp_instr', [text, text, int4, int4, int4, text], int4, ([s, p, st, n, e, f]) =>
  regexpInstr(s as string, p as string, st as number, n as number, e as number, f as string, 0),
);
defineFunction('regexp_instr', [text, text, int4, int4, int4, text, int4], int4, ([s, p, st, n, e, f, g]) =>
  regexpInstr(s as string, p as string, st as number, n as number, e as number, f as string, g as number),
);
