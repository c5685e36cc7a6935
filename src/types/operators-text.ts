// Comparison operators of the string types (C collation: code point order; bpchar ignores
// trailing spaces), "char", bytea, bool and oid, and || for text and bytea.
import type { Value } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { byteaType } from './bool-bytea.js';
import { compareCodePoints } from './key-bytes.js';
import { TypeOid } from './oids.js';
import { defineComparisons, defineOperator } from './operators-support.js';
import { bpcharType, charType } from './strings.js';
import { limits } from '../util/limits.js';
import { PseudoType, type FunctionContext } from './functions/api.js';
import { findCast } from './casts.js';

const { text, name, bpchar, char, bytea, bool, oid } = TypeOid;
const compareStrings = (a: Value, b: Value) => compareCodePoints(a as string, b as string);

defineComparisons(text, text, compareStrings);
defineComparisons(name, name, compareStrings);
defineComparisons(name, text, compareStrings);
defineComparisons(text, name, compareStrings);
defineComparisons(bpchar, bpchar, bpcharType.compare);
defineComparisons(char, char, charType.compare);
defineComparisons(bytea, bytea, byteaType.compare);
defineComparisons(bool, bool, (a, b) => Number(a) - Number(b));
defineComparisons(oid, oid, (a, b) => (a as number) - (b as number));

function checkLength(length: number): void {
  if (length > limits.valueBytesMax) {
    throw new SqlError(SqlState.programLimitExceeded, 'requested length too large');
  }
}

defineOperator('||', text, text, (a, b) => {
  const result = (a as string) + (b as string);
  checkLength(result.length);
  return result;
});
defineOperator('||', bytea, bytea, (a, b) => {
  const x = a as Uint8Array;
  const y = b as Uint8Array;
  checkLength(x.length + y.length);
  const result = new Uint8Array(x.length + y.length);
  result.set(x);
  result.set(y, x.length);
  return result;
});

/** `value::text` as textanycat computes it (the cast to text: bool gives 'true'). */
function asText(value: Value, typeOid: number | undefined, context: FunctionContext): string {
  if (typeOid !== undefined) {
    const cast = findCast(typeOid, text);
    if (cast) return cast.convert(value, -1, context.settings) as string;
  }
  if (typeof value === 'string') return value;
  return String(value);
}

// text || anynonarray and anynonarray || text (textanycat / anytextcat): the other operand
// goes through its type's output function.
defineOperator('||', text, PseudoType.anynonarray, (a, b, context, argTypes) => {
  const result = (a as string) + asText(b, argTypes?.[1], context);
  checkLength(result.length);
  return result;
});
defineOperator('||', PseudoType.anynonarray, text, (a, b, context, argTypes) => {
  const result = asText(a, argTypes?.[0], context) + (b as string);
  checkLength(result.length);
  return result;
});
