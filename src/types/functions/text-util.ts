// Character-level helpers. PostgreSQL counts characters (code points), JS strings count UTF-16
// units; these helpers convert. Case mapping follows the C locale Cambium runs in (as the
// oracle's initdb --locale=C): only ASCII letters change case.
import { SqlState } from '../../util/errors.js';
import { sqlError } from './define.js';

/** PostgreSQL's MaxAllocSize: no single value may reach 1 GiB. */
export const valueBytesMax = 0x3fffffff;

export function hasSurrogates(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) return true;
  }
  return false;
}

/** Number of characters (code points). */
export function characterLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff) count--;
  }
  return count;
}

/** Array of characters, each one code point. */
export function characters(text: string): string[] {
  return hasSurrogates(text) ? Array.from(text) : text.split('');
}

/** Characters [start, end) by code point index (0-based, clamped). */
export function sliceCharacters(text: string, start: number, end: number): string {
  if (!hasSurrogates(text)) return text.slice(Math.max(0, start), Math.max(0, end));
  return Array.from(text)
    .slice(Math.max(0, start), Math.max(0, end))
    .join('');
}

/** UTF-16 index → code point index. */
export function characterIndexOf(text: string, unitIndex: number): number {
  if (!hasSurrogates(text)) return unitIndex;
  return characterLength(text.slice(0, unitIndex));
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

export function asciiUpper(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

function isAsciiAlphanumeric(character: string): boolean {
  return /^[A-Za-z0-9]$/.test(character);
}

/** initcap in the C locale: words are runs of ASCII letters and digits. */
export function asciiInitcap(text: string): string {
  let previousAlphanumeric = false;
  let out = '';
  for (const character of text) {
    out += previousAlphanumeric ? asciiLower(character) : asciiUpper(character);
    previousAlphanumeric = isAsciiAlphanumeric(character);
  }
  return out;
}

export function checkResultLength(bytes: number): void {
  if (bytes > valueBytesMax) throw sqlError(SqlState.programLimitExceeded, 'requested length too large');
}
