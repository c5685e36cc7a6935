// Functions over "any" arguments that print them with their type's output function: concat,
// concat_ws, format, quote_literal/quote_nullable(anyelement).
// VARIADIC "any": the binder passes each argument separately with its type in argTypes; a call
// written with `VARIADIC array` should be expanded into its elements (element type each).
import { SqlState } from '../../util/errors.js';
import type { FormatSettings, Value } from '../api.js';
import { typeByOid } from '../registry.js';
import { defineFunction, sqlError } from './define.js';
import { Oid } from './oids.js';
import { quoteIdentifier, quoteLiteral } from './strings.js';
import { characterLength } from './text-util.js';

/** A value as its type's output function prints it (unknown literals are already text). */
export function outputText(value: Value, typeOid: number, settings: FormatSettings): string {
  if (typeof value === 'string' && (typeOid === Oid.unknown || typeOid === Oid.text)) return value;
  const type = typeByOid(typeOid);
  if (!type) return String(value);
  return type.formatText(value, settings);
}

defineFunction(
  'concat',
  [Oid.any],
  Oid.text,
  (args, context, argTypes) =>
    args
      .map((value, i) => (value === null ? '' : outputText(value, argTypes[i]!, context.settings)))
      .join(''),
  { strict: false, volatility: 'stable', variadic: Oid.any },
);

defineFunction(
  'concat_ws',
  [Oid.text, Oid.any],
  Oid.text,
  (args, context, argTypes) => {
    if (args[0] === null) return null;
    const parts: string[] = [];
    for (let i = 1; i < args.length; i++) if (args[i] !== null) parts.push(outputText(args[i], argTypes[i]!, context.settings));
    return parts.join(args[0] as string);
  },
  { strict: false, volatility: 'stable', variadic: Oid.any },
);

function unterminated(): never {
  throw sqlError(SqlState.invalidParameterValue, 'unterminated format() type specifier', { hint: 'For a single "%" use "%%".' });
}

function argumentZero(): never {
  throw sqlError(SqlState.invalidParameterValue, 'format specifies argument 0, but arguments are numbered from 1');
}

const int4Max = 2147483647;

/** text_format(): %[n$][-][width|*[n$]]{s|I|L} and %%. */
export function formatText(format: string, args: readonly Value[], argTypes: readonly number[], settings: FormatSettings): string {
  const chars = Array.from(format);
  let out = '';
  let lastArgument = 0; // index into args; args[0] is the format itself
  let i = 0;
  const advance = () => {
    i++;
    if (i >= chars.length) unterminated();
  };
  const readDigits = (): number | undefined => {
    if (!/[0-9]/.test(chars[i]!)) return undefined;
    let value = 0;
    while (i < chars.length && /[0-9]/.test(chars[i]!)) {
      value = value * 10 + Number(chars[i]);
      if (value > int4Max) throw sqlError(SqlState.numericValueOutOfRange, 'number is out of range');
      advance();
    }
    return value;
  };
  const argument = (position: number | undefined): number => {
    const index = position !== undefined && position > 0 ? position : lastArgument + 1;
    if (index >= args.length) throw sqlError(SqlState.invalidParameterValue, 'too few arguments for format()');
    lastArgument = index;
    return index;
  };
  for (; i < chars.length; i++) {
    if (chars[i] !== '%') {
      out += chars[i];
      continue;
    }
    advance();
    if (chars[i] === '%') {
      out += '%';
      continue;
    }
    let position: number | undefined;
    let width = 0;
    let leftAlign = false;
    let widthPosition: number | undefined;
    const first = readDigits();
    if (first !== undefined && chars[i] !== '$') {
      width = first;
    } else {
      if (first !== undefined) {
        if (first === 0) argumentZero();
        position = first;
        advance();
      }
      while (chars[i] === '-') {
        leftAlign = true;
        advance();
      }
      if (chars[i] === '*') {
        advance();
        const n = readDigits();
        if (n !== undefined) {
          if (chars[i] !== '$') throw sqlError(SqlState.invalidParameterValue, 'width argument position must be ended by "$"');
          if (n === 0) argumentZero();
          widthPosition = n;
          advance();
        } else {
          widthPosition = 0;
        }
      } else {
        width = readDigits() ?? 0;
      }
    }
    const conversion = chars[i]!;
    if (conversion !== 's' && conversion !== 'I' && conversion !== 'L') {
      throw sqlError(SqlState.invalidParameterValue, `unrecognized format() type specifier "${conversion}"`, { hint: 'For a single "%" use "%%".' });
    }
    if (widthPosition !== undefined) {
      const index = argument(widthPosition);
      const value = args[index];
      let requested = value === null ? 0 : typeof value === 'number' ? value : Number(outputText(value, argTypes[index]!, settings));
      if (!Number.isInteger(requested)) throw sqlError(SqlState.invalidTextRepresentation, `invalid input syntax for type integer: "${String(value)}"`);
      if (requested < 0) {
        leftAlign = true;
        if (requested === -2147483648) throw sqlError(SqlState.numericValueOutOfRange, 'number is out of range');
        requested = -requested;
      }
      width = requested;
    }
    const index = argument(position);
    const value = args[index];
    let piece: string;
    if (value === null) {
      if (conversion === 'I') throw sqlError(SqlState.nullValueNotAllowed, 'null values cannot be formatted as an SQL identifier');
      piece = conversion === 'L' ? 'NULL' : '';
    } else {
      const printed = outputText(value, argTypes[index]!, settings);
      piece = conversion === 'I' ? quoteIdentifier(printed) : conversion === 'L' ? quoteLiteral(printed) : printed;
    }
    const padding = Math.max(0, width - characterLength(piece));
    out += leftAlign ? piece + ' '.repeat(padding) : ' '.repeat(padding) + piece;
  }
  return out;
}

defineFunction('format', [Oid.text], Oid.text, (args, context, argTypes) => (args[0] === null ? null : formatText(args[0] as string, args, argTypes, context.settings)), {
  strict: false,
  volatility: 'stable',
});
defineFunction(
  'format',
  [Oid.text, Oid.any],
  Oid.text,
  (args, context, argTypes) => (args[0] === null ? null : formatText(args[0] as string, args, argTypes, context.settings)),
  { strict: false, volatility: 'stable', variadic: Oid.any },
);

/** quote_literal(anyelement) is quote_literal($1::text): the cast, which spells bool 'true'. */
function castToText(value: Value, typeOid: number, settings: FormatSettings): string {
  if (typeOid === Oid.bool) return value ? 'true' : 'false';
  return outputText(value, typeOid, settings);
}

defineFunction('quote_literal', [Oid.anyelement], Oid.text, ([value], context, argTypes) => quoteLiteral(castToText(value, argTypes[0]!, context.settings)), {
  volatility: 'stable',
});
defineFunction(
  'quote_nullable',
  [Oid.anyelement],
  Oid.text,
  ([value], context, argTypes) => (value === null ? 'NULL' : quoteLiteral(castToText(value, argTypes[0]!, context.settings))),
  { strict: false, volatility: 'stable' },
);
