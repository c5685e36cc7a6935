// The types layer's door: the type registry, value codecs (row, key, text, binary), Numeric,
// casts and operators. Importing it registers every built-in type.
import './builtin-types.js';

export type { FormatSettings, KeyReader, KeyWriter, PgType, Value } from './api.js';
export { defaultFormatSettings } from './api.js';
export { TypeOid } from './oids.js';
export { allTypes, registerType, typeByName, typeByOid, typeByTypname } from './registry.js';
export { Numeric, formatFloatG } from './numeric.js';
export { numericTypmod, numericTypmodPrecision, numericTypmodScale } from './numeric-type.js';
export { type PgArray, makeArray, isPgArray } from './arrays.js';
export { encodeRow, decodeRow, decodeColumn, isColumnNull } from './row-codec.js';
export { encodeKey, decodeKey, keySuccessor, prefixUpperBound, compareKeys } from './key-codec.js';
export { int2Range, int4Range, int8Range } from './integers.js';
export { formatFloat, compareFloats } from './floats.js';
export { parseBool, parseBytea, formatBytea } from './bool-bytea.js';
export { characterLength, trimTrailingSpaces, truncateName } from './strings.js';
