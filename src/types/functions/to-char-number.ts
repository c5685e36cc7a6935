// to_char for numbers (formatting.c NUMDesc_prepare / NUM_processor / NUM_numpart_to_char):
// 9 0 . , D G S MI PL SG PR L FM TH RN under the C locale (decimal '.', group ',', currency ' ').
// EEEE and V are not implemented: they raise 0A000 rather than print something else.
import { SqlState } from '../../util/errors.js';
import { Numeric } from '../numeric.js';
import { defineFunction, sqlError } from './define.js';
import { Oid } from './oids.js';

type Key = '9' | '0' | '.' | ',' | 'D' | 'G' | 'S' | 'MI' | 'PL' | 'SG' | 'PR' | 'L' | 'FM' | 'TH' | 'th' | 'RN' | 'rn' | 'EEEE' | 'V' | 'B';
type NumNode = { kind: 'key'; key: Key } | { kind: 'char'; text: string };

/** Keyword spellings (upper and lower case) → key, longest first. */
const spellings: [string, Key][] = (
  [
    ['EEEE', 'EEEE'], ['eeee', 'EEEE'], ['FM', 'FM'], ['fm', 'FM'], ['MI', 'MI'], ['mi', 'MI'], ['PL', 'PL'], ['pl', 'PL'], ['PR', 'PR'], ['pr', 'PR'],
    ['RN', 'RN'], ['rn', 'rn'], ['SG', 'SG'], ['sg', 'SG'], ['TH', 'TH'], ['th', 'th'], ['9', '9'], ['0', '0'], ['.', '.'], [',', ','], ['D', 'D'],
    ['d', 'D'], ['G', 'G'], ['g', 'G'], ['S', 'S'], ['s', 'S'], ['L', 'L'], ['l', 'L'], ['V', 'V'], ['v', 'V'], ['B', 'B'], ['b', 'B'],
  ] as [string, Key][]
).sort((a, b) => b[0].length - a[0].length);

interface NumDescription {
  pre: number;
  post: number;
  decimal: boolean;
  zero: boolean;
  zeroStart: number;
  zeroEnd: number;
  fill: boolean;
  bracket: boolean;
  minus: boolean;
  plus: boolean;
  localSign: 'none' | 'pre' | 'post';
  preLocalSignCount: number;
  roman: boolean;
}

function formatError(message: string): never {
  throw sqlError(SqlState.syntaxError, message);
}

function parseNumberTemplate(template: string): { nodes: NumNode[]; desc: NumDescription } {
  const nodes: NumNode[] = [];
  const desc: NumDescription = {
    pre: 0, post: 0, decimal: false, zero: false, zeroStart: 0, zeroEnd: 0, fill: false, bracket: false, minus: false, plus: false,
    localSign: 'none', preLocalSignCount: 0, roman: false,
  };
  let i = 0;
  while (i < template.length) {
    if (template[i] === '"') {
      // Double-quoted text is copied as is; \" inside is a quote.
      i++;
      let text = '';
      while (i < template.length && template[i] !== '"') {
        if (template[i] === '\\' && template[i + 1] === '"') i++;
        text += template[i++]!;
      }
      i++;
      nodes.push({ kind: 'char', text });
      continue;
    }
    const match = spellings.find(([spelling]) => template.startsWith(spelling, i));
    if (!match) {
      nodes.push({ kind: 'char', text: template[i]! });
      i++;
      continue;
    }
    const key = match[1];
    i += match[0].length;
    switch (key) {
      case '9':
      case '0':
        if (desc.bracket) formatError('"9" must be ahead of "PR"');
        // Only zeros before the decimal point switch on zero padding; zero_end counts all.
        if (key === '0' && !desc.zero && !desc.decimal) {
          desc.zero = true;
          desc.zeroStart = desc.pre + 1;
        }
        if (desc.decimal) desc.post++;
        else desc.pre++;
        if (key === '0') desc.zeroEnd = desc.pre + desc.post;
        break;
      case '.':
      case 'D':
        if (desc.decimal) formatError('multiple decimal points');
        desc.decimal = true;
        break;
      case 'FM':
        desc.fill = true;
        break;
      case 'S':
        if (desc.localSign !== 'none') formatError('cannot use "S" twice');
        if (desc.plus || desc.minus || desc.bracket) formatError('cannot use "S" and "PL"/"MI"/"SG"/"PR" together');
        if (!desc.decimal) {
          desc.localSign = 'pre';
          desc.preLocalSignCount = desc.pre;
        } else desc.localSign = 'post';
        break;
      case 'MI':
        if (desc.localSign !== 'none') formatError('cannot use "S" and "MI" together');
        desc.minus = true;
        break;
      case 'PL':
        if (desc.localSign !== 'none') formatError('cannot use "S" and "PL" together');
        desc.plus = true;
        break;
      case 'SG':
        if (desc.localSign !== 'none') formatError('cannot use "S" and "SG" together');
        desc.minus = true;
        desc.plus = true;
        break;
      case 'PR':
        if (desc.localSign !== 'none' || desc.plus || desc.minus) formatError('cannot use "PR" and "S"/"PL"/"MI"/"SG" together');
        desc.bracket = true;
        break;
      case 'RN':
      case 'rn':
        desc.roman = true;
        break;
      case 'EEEE':
      case 'V':
        throw sqlError(SqlState.featureNotSupported, `"${key}" is not supported in to_char here yet`);
      default:
        break;
    }
    nodes.push({ kind: 'key', key });
  }
  return { nodes, desc };
}

const romanDigits: [number, string][] = [
  [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
];

function toRoman(value: number): string {
  if (value < 1 || value > 3999) return '#'.repeat(15);
  let rest = value;
  let out = '';
  for (const [amount, letters] of romanDigits) {
    while (rest >= amount) {
      out += letters;
      rest -= amount;
    }
  }
  return out;
}

function ordinalOf(digits: string, upper: boolean): string {
  const last2 = Number(digits.slice(-2));
  const last = Number(digits.slice(-1));
  const suffix = last2 >= 11 && last2 <= 13 ? 'th' : last === 1 ? 'st' : last === 2 ? 'nd' : last === 3 ? 'rd' : 'th';
  return upper ? suffix.toUpperCase() : suffix;
}

/** NUM_processor in to_char direction: `number` holds the digits (and '.') without sign. */
function render(nodes: NumNode[], desc: NumDescription, number: string, outPreSpaces: number, sign: '+' | '-'): string {
  if (desc.roman) {
    let out = '';
    for (const node of nodes) {
      if (node.kind === 'char') out += node.text;
      else if (node.key === 'RN') out += desc.fill ? number : number.padStart(15);
      else if (node.key === 'rn') out += (desc.fill ? number : number.padStart(15)).toLowerCase();
    }
    return out;
  }
  let bracket = desc.bracket;
  const minusFlag = desc.minus;
  const plusFlag = desc.plus;
  let localSign = desc.localSign;
  let signWrote: boolean;
  if (plusFlag || minusFlag) {
    signWrote = !(plusFlag && !minusFlag);
  } else {
    if (sign !== '-' && bracket && desc.fill) bracket = false;
    signWrote = sign === '+' && desc.fill && localSign === 'none';
    if (localSign === 'pre' && desc.pre === desc.preLocalSignCount) localSign = 'post';
  }
  const zeroStart = desc.zeroStart ? desc.zeroStart - 1 : 0;
  let numCount = desc.post + desc.pre - 1;
  let lastRelevant = -1; // index into number, or -1
  if (desc.fill && desc.decimal) {
    const point = number.indexOf('.');
    if (point >= 0) {
      lastRelevant = point;
      for (let p = point + 1; p < number.length; p++) if (number[p] !== '0') lastRelevant = p;
      if (desc.zeroEnd > outPreSpaces) {
        const lastZero = desc.zeroEnd - outPreSpaces;
        if (lastRelevant < lastZero) lastRelevant = lastZero;
      }
    }
  }
  if (!signWrote && outPreSpaces === 0) numCount++;
  let out = '';
  let numberIndex = 0;
  let current = 0;
  let numberIn = false;
  const charAt = (index: number) => number[index] ?? '';
  const preDecimalSpace = () => !desc.zero && numberIndex === 0 && charAt(0) === '0' && desc.post !== 0;

  const numericPart = (key: Key) => {
    numberIn = false;
    if (!signWrote && (current >= outPreSpaces || (desc.zero && zeroStart === current)) && (!preDecimalSpace() || (lastRelevant >= 0 && charAt(lastRelevant) === '.'))) {
      if (localSign !== 'none') {
        if (localSign === 'pre') {
          out += sign;
          signWrote = true;
        }
      } else if (bracket) {
        out += sign === '+' ? ' ' : '<';
        signWrote = true;
      } else if (sign === '+') {
        if (!desc.fill) out += ' ';
        signWrote = true;
      } else {
        out += '-';
        signWrote = true;
      }
    }
    if (current < outPreSpaces && (zeroStart > current || !desc.zero)) {
      if (!desc.fill) out += ' ';
    } else if (desc.zero && current < outPreSpaces && zeroStart <= current) {
      out += '0';
      numberIn = true;
    } else {
      if (charAt(numberIndex) === '.') {
        if (lastRelevant < 0 || charAt(lastRelevant) !== '.') out += '.';
        else if (desc.fill && lastRelevant >= 0 && charAt(lastRelevant) === '.') out += '.';
      } else if (lastRelevant >= 0 && numberIndex > lastRelevant && key !== '0') {
        // Trailing zeros after the last relevant digit vanish in fill mode.
      } else if (preDecimalSpace()) {
        if (!desc.fill) out += ' ';
        else if (lastRelevant >= 0 && charAt(lastRelevant) === '.') out += '0';
      } else {
        out += charAt(numberIndex);
        numberIn = true;
      }
      if (numberIndex < number.length) numberIndex++;
    }
    let end = numCount + (outPreSpaces ? 1 : 0) + (desc.decimal ? 1 : 0);
    if (lastRelevant >= 0 && lastRelevant === numberIndex) end = current;
    if (current + 1 === end) {
      if (signWrote && bracket) out += sign === '+' ? ' ' : '>';
      else if (localSign === 'post') out += sign;
    }
    current++;
  };

  for (const node of nodes) {
    if (node.kind === 'char') {
      out += node.text;
      continue;
    }
    switch (node.key) {
      case '9':
      case '0':
      case '.':
      case 'D':
        numericPart(node.key);
        break;
      case ',':
      case 'G':
        if (!numberIn) {
          if (!desc.fill) out += ' ';
        } else out += ',';
        break;
      case 'L':
        out += ' ';
        break;
      case 'TH':
      case 'th':
        if (number.startsWith('#') || sign === '-' || desc.decimal) break;
        out += ordinalOf(number, node.key === 'TH');
        break;
      case 'MI':
        if (sign === '-') out += '-';
        else if (!desc.fill) out += ' ';
        break;
      case 'PL':
        if (sign === '+') out += '+';
        else if (!desc.fill) out += ' ';
        break;
      case 'SG':
        out += sign;
        break;
      default:
        break;
    }
  }
  return out;
}

/** Pads or overflows the digit string as the *_to_char functions do before NUM_processor. */
function prepareDigits(digits: string, desc: NumDescription): { number: string; outPreSpaces: number } {
  const point = digits.indexOf('.');
  const preLength = point >= 0 ? point : digits.length;
  if (preLength < desc.pre) return { number: digits, outPreSpaces: desc.pre - preLength };
  if (preLength > desc.pre) return { number: '#'.repeat(desc.pre) + '.' + '#'.repeat(desc.post), outPreSpaces: 0 };
  return { number: digits, outPreSpaces: 0 };
}

function numericToChar(value: Numeric, template: string): string {
  const { nodes, desc } = parseNumberTemplate(template);
  if (desc.roman) {
    const rounded = value.round(0).toBigIntRounded();
    return render(nodes, desc, toRoman(rounded === undefined ? 0 : Number(rounded)), 0, '+');
  }
  let text = value.isFinite() ? value.round(desc.post).toString() : value.toString();
  let sign: '+' | '-' = '+';
  if (text.startsWith('-')) {
    sign = '-';
    text = text.slice(1);
  }
  const { number, outPreSpaces } = prepareDigits(text, desc);
  return render(nodes, desc, number, outPreSpaces, sign);
}

function integerToChar(value: bigint, template: string): string {
  const { nodes, desc } = parseNumberTemplate(template);
  if (desc.roman) return render(nodes, desc, toRoman(Number(value)), 0, '+');
  const sign: '+' | '-' = value < 0n ? '-' : '+';
  let digits = (value < 0n ? -value : value).toString();
  if (desc.post) digits += '.' + '0'.repeat(desc.post);
  const { number, outPreSpaces } = prepareDigits(digits, desc);
  return render(nodes, desc, number, outPreSpaces, sign);
}

/** C's printf("%.*f"): exact binary value, ties to even. */
function fixed(value: number, places: number): string {
  const text = Math.abs(value).toFixed(places);
  const scaled = Math.abs(value) * 10 ** places;
  if (places <= 15 && Number.isFinite(scaled) && scaled % 1 === 0.5 && Number.isSafeInteger(scaled - 0.5)) {
    // An exact tie in binary: round half to even like glibc.
    const down = (scaled - 0.5) / 10 ** places;
    const even = (scaled - 0.5) % 2 === 0 ? down : (scaled + 0.5) / 10 ** places;
    return even.toFixed(places);
  }
  return text;
}

function floatToChar(value: number, template: string, significantDigits: number): string {
  const { nodes, desc } = parseNumberTemplate(template);
  if (desc.roman) return render(nodes, desc, toRoman(Math.round(value)), 0, '+');
  if (!Number.isFinite(value)) {
    // The words take the place of the digits (and overflow like them).
    const text = Number.isNaN(value) ? 'NaN' : 'Infinity';
    const { number, outPreSpaces } = prepareDigits(text, desc);
    return render(nodes, desc, number, outPreSpaces, value < 0 ? '-' : '+');
  }
  const preLength = Math.abs(value).toFixed(0).length;
  let post = desc.post;
  if (preLength >= significantDigits) post = 0;
  else if (preLength + post > significantDigits) post = significantDigits - preLength;
  let text = fixed(value, post);
  let sign: '+' | '-' = '+';
  if (value < 0 || Object.is(value, -0)) {
    sign = '-';
  }
  text = text.replace(/^-/, '');
  const adjusted = { ...desc, post };
  const { number, outPreSpaces } = prepareDigits(text, adjusted);
  return render(nodes, adjusted, number, outPreSpaces, sign);
}

defineFunction('to_char', [Oid.numeric, Oid.text], Oid.text, ([v, t]) => numericToChar(v as Numeric, t as string), { volatility: 'stable' });
defineFunction('to_char', [Oid.int4, Oid.text], Oid.text, ([v, t]) => integerToChar(BigInt(v as number), t as string), { volatility: 'stable' });
defineFunction('to_char', [Oid.int8, Oid.text], Oid.text, ([v, t]) => integerToChar(v as bigint, t as string), { volatility: 'stable' });
defineFunction('to_char', [Oid.float8, Oid.text], Oid.text, ([v, t]) => floatToChar(v as number, t as string, 15), { volatility: 'stable' });
defineFunction('to_char', [Oid.float4, Oid.text], Oid.text, ([v, t]) => floatToChar(v as number, t as string, 6), { volatility: 'stable' });

/**
 * to_number(text, text): reads digits, sign, decimal point and group separators where the
 * template has them (the common subset of NUM_processor's from-char direction), then parses
 * the collected "±digits.digits" as numeric, so bad input fails with numeric's own message.
 */
function toNumber(input: string, template: string): Numeric {
  const { nodes, desc } = parseNumberTemplate(template);
  if (desc.roman) throw sqlError(SqlState.featureNotSupported, '"RN" not supported for input');
  const explicitSign = desc.localSign !== 'none' || desc.minus || desc.plus;
  let sign = ' ';
  let digits = '';
  let decimal = false;
  let started = false;
  let position = 0;
  for (const node of nodes) {
    const c = input[position];
    if (node.kind === 'char') {
      position++;
      continue;
    }
    switch (node.key) {
      case '9':
      case '0': {
        let current = c;
        if (!started && desc.bracket && current === '<') {
          sign = '-';
          current = input[++position];
        } else if (!started && !explicitSign && (current === '-' || current === '+')) {
          if (current === '-') sign = '-';
          current = input[++position];
        }
        if (current !== undefined && current >= '0' && current <= '9') {
          digits += current;
          position++;
          started = true;
        } else if (current === ' ' && !started) position++;
        break;
      }
      case '.':
      case 'D':
        if (c === '.' && !decimal) {
          digits += '.';
          decimal = true;
          position++;
        }
        break;
      case ',':
      case 'G':
        if (c === ',') position++;
        break;
      case 'S':
      case 'MI':
      case 'PL':
      case 'SG':
        if (c === '-') {
          sign = '-';
          position++;
        } else if (c === '+') position++;
        break;
      case 'PR':
        if (c === '>') position++;
        break;
      default:
        break;
    }
  }
  return Numeric.parse(sign + digits);
}

defineFunction('to_number', [Oid.text, Oid.text], Oid.numeric, ([input, template]) => toNumber(input as string, template as string), { volatility: 'stable' });
