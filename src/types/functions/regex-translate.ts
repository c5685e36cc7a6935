// PostgreSQL Advanced Regular Expressions (ARE, the default flavour of ~, regexp_*) translated
// to a JavaScript RegExp with the `u` and `s` flags. Semantics follow PostgreSQL under the C
// locale: character classes, \w, \s and case-insensitivity cover ASCII only (so the `i` flag
// is emulated with [aA] sets rather than JS's Unicode folding).
// Known difference: PostgreSQL prefers the longest match for alternations when the regular
// expression as a whole is greedy (POSIX rules); JavaScript takes the first alternative that
// matches. `substring('foobar' from 'o|oob')` is 'oob' in PostgreSQL but 'o' here.
import { sqlError } from './define.js';

export const invalidRegularExpressionState = '2201B';

export function regexError(reason: string): never {
  throw sqlError(invalidRegularExpressionState, `invalid regular expression: ${reason}`);
}

export interface RegexOptions {
  caseInsensitive: boolean;
  /** `.` and [^…] exclude newline. */
  dotExcludesNewline: boolean;
  /** ^ and $ also match at line boundaries. */
  anchorsMatchLines: boolean;
  expanded: boolean;
  literal: boolean;
}

export interface TranslatedRegex {
  source: string;
  groupCount: number;
  /** Backreferences under case-insensitivity need JS's own `i` flag. */
  needsNativeIgnoreCase: boolean;
}

const wordClass = 'A-Za-z0-9_';
const spaceClass = ' \\t\\n\\r\\f\\v';
const posixClasses: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: spaceClass,
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  xdigit: '0-9A-Fa-f',
  word: wordClass,
};

function hex(codePoint: number): string {
  return `\\u{${codePoint.toString(16)}}`;
}

function isAsciiLetter(codePoint: number): boolean {
  return (codePoint >= 0x41 && codePoint <= 0x5a) || (codePoint >= 0x61 && codePoint <= 0x7a);
}

function otherCase(codePoint: number): number {
  return codePoint ^ 0x20;
}

const digitPattern = /^[0-9]$/;
const hexDigitPattern = /^[0-9A-Fa-f]$/;

class Translator {
  private readonly chars: string[];
  private position = 0;
  private out = '';
  private groupCount = 0;
  private openGroups = 0;
  private backreferences = false;
  /** Whether the last thing emitted can take a quantifier. */
  private quantifiable = false;
  /** Output offsets where open groups start, and where the group closed last started. */
  private readonly groupStarts: number[] = [];
  private lastClosedGroupStart = -1;
  /** Output offsets just after each greedy quantifier (see makeGroupLazy). */
  private readonly greedyQuantifierEnds: number[] = [];

  constructor(
    pattern: string,
    private readonly options: RegexOptions,
  ) {
    this.chars = Array.from(pattern);
  }

  translate(): TranslatedRegex {
    if (this.options.literal) {
      for (const character of this.chars) this.emitLiteral(character.codePointAt(0)!);
    } else {
      this.parseSequence();
    }
    if (this.openGroups !== 0) regexError('parentheses () not balanced');
    return {
      source: this.out,
      groupCount: this.groupCount,
      needsNativeIgnoreCase: this.options.caseInsensitive && this.backreferences,
    };
  }

  private atEnd(): boolean {
    return this.position >= this.chars.length;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.position + offset];
  }

  private emitLiteral(codePoint: number): void {
    if (this.options.caseInsensitive && isAsciiLetter(codePoint)) {
      this.out += `[${String.fromCodePoint(codePoint)}${String.fromCodePoint(otherCase(codePoint))}]`;
    } else {
      this.out += hex(codePoint);
    }
    this.quantifiable = true;
  }

  private skipExpandedWhitespace(): void {
    if (!this.options.expanded) return;
    while (!this.atEnd()) {
      const c = this.peek()!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
        this.position++;
      } else if (c === '#') {
        while (!this.atEnd() && this.peek() !== '\n') this.position++;
      } else {
        return;
      }
    }
  }

  private parseSequence(): void {
    for (;;) {
      this.skipExpandedWhitespace();
      if (this.atEnd()) return;
      const c = this.chars[this.position++]!;
      switch (c) {
        case '(':
          this.openGroup();
          break;
        case ')':
          if (this.openGroups === 0) regexError('parentheses () not balanced');
          this.openGroups--;
          this.lastClosedGroupStart = this.groupStarts.pop()!;
          this.out += ')';
          this.quantifiable = true;
          break;
        case '|':
          this.out += '|';
          this.quantifiable = false;
          break;
        case '^':
          this.out += this.options.anchorsMatchLines ? '(?<![^\\n])' : '^';
          this.quantifiable = false;
          break;
        case '$':
          this.out += this.options.anchorsMatchLines ? '(?![^\\n])' : '$';
          this.quantifiable = false;
          break;
        case '.':
          this.out += this.options.dotExcludesNewline ? '[^\\n]' : '.';
          this.quantifiable = true;
          break;
        case '[':
          this.parseBracket();
          break;
        case '\\':
          this.parseEscape();
          break;
        case '*':
        case '+':
        case '?':
          this.quantifier(c);
          break;
        case '{':
          if (digitPattern.test(this.peek() ?? '')) this.parseBound();
          else this.emitLiteral(0x7b);
          break;
        default:
          this.emitLiteral(c.codePointAt(0)!);
      }
    }
  }

  private quantifier(text: string): void {
    if (!this.quantifiable) regexError('quantifier operand invalid');
    const afterGroup = this.out.endsWith(')') ? this.lastClosedGroupStart : -1;
    this.out += text;
    if (this.peek() === '?') {
      this.position++;
      if (afterGroup >= 0) this.makeGroupLazy(afterGroup);
      this.out += '?';
    } else {
      this.greedyQuantifierEnds.push(this.out.length);
    }
    this.quantifiable = false;
    this.lastClosedGroupStart = -1;
  }

  /**
   * In PostgreSQL a non-greedy quantifier on a group makes the whole group prefer the shortest
   * match (SIMILAR TO's substring relies on it: `(?:%){1,1}?`); JavaScript only makes the outer
   * repetition lazy, so the greedy quantifiers inside the group become lazy too.
   */
  private makeGroupLazy(groupStart: number): void {
    const inside = this.greedyQuantifierEnds.filter((end) => end > groupStart);
    if (inside.length === 0) return;
    for (let i = inside.length - 1; i >= 0; i--) {
      const end = inside[i]!;
      this.out = this.out.slice(0, end) + '?' + this.out.slice(end);
    }
    const kept = this.greedyQuantifierEnds.filter((end) => end <= groupStart);
    this.greedyQuantifierEnds.length = 0;
    this.greedyQuantifierEnds.push(...kept);
  }

  private readNumber(): number {
    let digits = '';
    while (digitPattern.test(this.peek() ?? '')) digits += this.chars[this.position++];
    return Number(digits);
  }

  private parseBound(): void {
    const duplicatesMax = 255;
    const low = this.readNumber();
    let high: number | undefined = low;
    if (this.peek() === ',') {
      this.position++;
      high = digitPattern.test(this.peek() ?? '') ? this.readNumber() : undefined;
    }
    if (this.peek() !== '}') regexError('braces {} not balanced');
    this.position++;
    if (low > duplicatesMax || (high !== undefined && (high > duplicatesMax || high < low))) regexError('invalid repetition count(s)');
    this.quantifier(high === low ? `{${low}}` : high === undefined ? `{${low},}` : `{${low},${high}}`);
  }

  private openGroup(): void {
    const start = this.out.length;
    if (this.peek() === '?') {
      const next = this.peek(1);
      const lookbehind = next === '<' ? this.peek(2) : undefined;
      if (next === ':' || next === '=' || next === '!') {
        this.position += 2;
        this.out += `(?${next}`;
      } else if (next === '<' && (lookbehind === '=' || lookbehind === '!')) {
        this.position += 3;
        this.out += `(?<${lookbehind}`;
      } else if (next === '#') {
        // (?#comment)
        while (!this.atEnd() && this.peek() !== ')') this.position++;
        if (this.atEnd()) regexError('parentheses () not balanced');
        this.position++;
        return;
      } else {
        regexError('quantifier operand invalid');
      }
    } else {
      this.groupCount++;
      this.out += '(';
    }
    this.groupStarts.push(start);
    this.openGroups++;
    this.quantifiable = false;
  }

  private parseEscape(): void {
    if (this.atEnd()) regexError('invalid escape \\ sequence');
    const c = this.chars[this.position++]!;
    switch (c) {
      case 'd':
        this.out += '[0-9]';
        break;
      case 'D':
        this.out += '[^0-9]';
        break;
      case 's':
        this.out += `[${spaceClass}]`;
        break;
      case 'S':
        this.out += `[^${spaceClass}]`;
        break;
      case 'w':
        this.out += `[${wordClass}]`;
        break;
      case 'W':
        this.out += `[^${wordClass}]`;
        break;
      case 'A':
        this.out += '^';
        this.quantifiable = false;
        return;
      case 'Z':
        this.out += '$';
        this.quantifiable = false;
        return;
      case 'm':
        this.out += `(?<![${wordClass}])(?=[${wordClass}])`;
        this.quantifiable = false;
        return;
      case 'M':
        this.out += `(?<=[${wordClass}])(?![${wordClass}])`;
        this.quantifiable = false;
        return;
      case 'y':
        this.out += `(?:(?<=[${wordClass}])(?![${wordClass}])|(?<![${wordClass}])(?=[${wordClass}]))`;
        this.quantifiable = false;
        return;
      case 'Y':
        this.out += `(?:(?<=[${wordClass}])(?=[${wordClass}])|(?<![${wordClass}])(?![${wordClass}]))`;
        this.quantifiable = false;
        return;
      default:
        if (c >= '1' && c <= '9') {
          this.backreference(c);
          return;
        }
        this.emitLiteral(this.characterEscape(c));
        return;
    }
    this.quantifiable = true;
  }

  private backreference(first: string): void {
    let number = Number(first);
    while (digitPattern.test(this.peek() ?? '') && number * 10 + Number(this.peek()) <= this.groupCount) {
      number = number * 10 + Number(this.chars[this.position++]);
    }
    if (number > this.groupCount) regexError('invalid backreference number');
    this.backreferences = true;
    this.out += `\\${number}`;
    this.quantifiable = true;
  }

  private readHex(maxDigits: number, exactDigits: boolean): number {
    let digits = '';
    while (digits.length < maxDigits && hexDigitPattern.test(this.peek() ?? '')) digits += this.chars[this.position++];
    if (digits === '' || (exactDigits && digits.length !== maxDigits)) regexError('invalid escape \\ sequence');
    const value = parseInt(digits, 16);
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) regexError('invalid escape \\ sequence');
    return value;
  }

  /** Escapes that stand for one character (outside and inside brackets). */
  private characterEscape(c: string): number {
    switch (c) {
      case 'a':
        return 0x07;
      case 'b':
        return 0x08;
      case 'B':
        return 0x5c;
      case 'e':
        return 0x1b;
      case 'f':
        return 0x0c;
      case 'n':
        return 0x0a;
      case 'r':
        return 0x0d;
      case 't':
        return 0x09;
      case 'v':
        return 0x0b;
      case 'c': {
        if (this.atEnd()) regexError('invalid escape \\ sequence');
        return this.chars[this.position++]!.codePointAt(0)! & 0x1f;
      }
      case 'u':
        return this.readHex(4, true);
      case 'U':
        return this.readHex(8, true);
      case 'x':
        return this.readHex(8, false);
      case '0': {
        let digits = '';
        while (digits.length < 2 && /^[0-7]$/.test(this.peek() ?? '')) digits += this.chars[this.position++];
        const value = digits === '' ? 0 : parseInt(digits, 8);
        if (value === 0) regexError('invalid escape \\ sequence');
        return value;
      }
      default:
        if (/^[A-Za-z0-9]$/.test(c)) regexError('invalid escape \\ sequence');
        return c.codePointAt(0)!;
    }
  }

  private parseBracket(): void {
    // [[:<:]] and [[:>:]] are word-start and word-end constraints.
    const rest = this.chars.slice(this.position, this.position + 6).join('');
    if (rest === '[:<:]]' || rest === '[:>:]]') {
      this.position += 6;
      this.out += rest[2] === '<' ? `(?<![${wordClass}])(?=[${wordClass}])` : `(?<=[${wordClass}])(?![${wordClass}])`;
      this.quantifiable = false;
      return;
    }
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.position++;
    }
    let body = '';
    let first = true;
    for (;;) {
      if (this.atEnd()) regexError('brackets [] not balanced');
      const c = this.chars[this.position]!;
      if (c === ']' && !first) {
        this.position++;
        break;
      }
      first = false;
      if (c === '[' && (this.peek(1) === ':' || this.peek(1) === '.' || this.peek(1) === '=')) {
        const kind = this.peek(1)!;
        const close = this.findBracketTerminator(kind);
        const name = this.chars.slice(this.position + 2, close).join('');
        this.position = close + 2;
        if (kind === ':') {
          body += this.posixClass(name);
          continue;
        }
        const element = Array.from(name);
        if (element.length !== 1) regexError('invalid collating element');
        body += this.rangeOrSingle(element[0]!.codePointAt(0)!);
        continue;
      }
      if (c === '\\') {
        this.position++;
        if (this.atEnd()) regexError('invalid escape \\ sequence');
        const escaped = this.chars[this.position]!;
        if (escaped === 'd' || escaped === 's' || escaped === 'w') {
          this.position++;
          body += escaped === 'd' ? '0-9' : escaped === 's' ? spaceClass : wordClass;
          continue;
        }
        if (escaped === 'D' || escaped === 'S' || escaped === 'W') regexError('invalid escape \\ sequence');
        this.position++;
        body += this.rangeOrSingle(this.characterEscape(escaped));
        continue;
      }
      this.position++;
      body += this.rangeOrSingle(c.codePointAt(0)!);
    }
    if (negated && this.options.dotExcludesNewline) body += '\\n';
    this.out += `[${negated ? '^' : ''}${body}]`;
    this.quantifiable = true;
  }

  private findBracketTerminator(kind: string): number {
    for (let i = this.position + 2; i + 1 < this.chars.length; i++) {
      if (this.chars[i] === kind && this.chars[i + 1] === ']') return i;
    }
    return regexError('brackets [] not balanced');
  }

  private posixClass(name: string): string {
    let effective = name;
    if (this.options.caseInsensitive && (name === 'upper' || name === 'lower')) effective = 'alpha';
    const members = posixClasses[effective];
    if (members === undefined) regexError('invalid character class');
    return members;
  }

  /** A start character already consumed; reads an optional `-end` and returns class text. */
  private rangeOrSingle(start: number): string {
    if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
      this.position++;
      let endChar = this.chars[this.position++]!;
      let end: number;
      if (endChar === '[' && this.peek() === '.') {
        const close = this.findBracketTerminator('.');
        const element = Array.from(this.chars.slice(this.position + 1, close).join(''));
        this.position = close + 2;
        if (element.length !== 1) regexError('invalid collating element');
        endChar = element[0]!;
        end = endChar.codePointAt(0)!;
      } else if (endChar === '\\') {
        if (this.atEnd()) regexError('invalid escape \\ sequence');
        end = this.characterEscape(this.chars[this.position++]!);
      } else {
        end = endChar.codePointAt(0)!;
      }
      if (end < start) regexError('invalid character range');
      return this.rangeText(start, end);
    }
    if (this.options.caseInsensitive && isAsciiLetter(start)) return hex(start) + hex(otherCase(start));
    return hex(start);
  }

  private rangeText(start: number, end: number): string {
    let text = `${hex(start)}-${hex(end)}`;
    if (!this.options.caseInsensitive) return text;
    for (const [low, high] of [
      [0x41, 0x5a],
      [0x61, 0x7a],
    ] as const) {
      const from = Math.max(start, low);
      const to = Math.min(end, high);
      if (from <= to) text += `${hex(otherCase(from))}-${hex(otherCase(to))}`;
    }
    return text;
  }
}

export function translateRegex(pattern: string, options: RegexOptions): TranslatedRegex {
  return new Translator(pattern, options).translate();
}
