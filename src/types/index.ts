// The types layer's door: the type registry, value codecs (row, key, text, binary), Numeric,
// casts and operators. Importing it registers every built-in type.
import './builtin-types.js';
import './builtin-operators.js';

export type { FormatSettings, KeyReader, KeyWriter, PgType, Value } from './api.js';
export { defaultFormatSettings } from './api.js';
export { TypeOid } from './oids.js';
export { allTypes, registerType, typeByName, typeByOid, typeByTypname } from './registry.js';
export { Numeric, formatFloatG } from './numeric.js';
export { numericTypmod, numericTypmodPrecision, numericTypmodScale } from './numeric-type.js';
export { type PgArray, makeArray, isPgArray } from './arrays.js';
export { encodeRow, decodeRow, decodeColumn, isColumnNull } from './row-codec.js';
export { encodeKey, decodeKey, keySuccessor, prefixUpperBound, compareKeys, keyRange, type KeyRange, type ValueBound } from './key-codec.js';
export { int2Range, int4Range, int8Range } from './integers.js';
export { formatFloat, compareFloats } from './floats.js';
export { parseBool, parseBytea, formatBytea } from './bool-bytea.js';
export { characterLength, trimTrailingSpaces, truncateName } from './strings.js';
export { findCast, registerCast, castAllowed, roundHalfEven, checkInt2, checkInt4, checkInt8, type Cast, type CastContext } from './casts.js';
export { floatPower } from './operators-numeric.js';
export { typmodFromModifiers, formatType, typmodLimits } from './typmod.js';
export type { TimeTz } from './datetime-types.js';
export { formatDate, formatTime, formatTimestamp, formatTimestampTz, sessionZone, localToUtc, utcToLocal, currentTimestamp } from './datetime-types.js';
export { type Interval, makeInterval, compareIntervals, intervalSpan, formatInterval, parseInterval } from './interval.js';
export {
  addIntervalLocal, addIntervalTz, subtractTimestamps, justifyHours, dateToTimestamp, dateToTimestampTz, timestampToDate, scaleInterval,
} from './datetime-arithmetic.js';
export { date2j, j2date, timestampToParts, partsToTimestamp, TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY, USECS_PER_DAY, USECS_PER_SEC } from './datetime-core.js';
export { findZone, settingZone, zoneOrError, type Zone } from './timezone.js';
export { JsonNull, JsonbObject, type JsonbValue, parseJson, formatJsonb, compareJsonb, escapeJsonString, isJsonNull } from './jsonb-value.js';
export { parseUuid } from './uuid.js';
export { SystemTypeOid, setRegNameResolver, type RegNameResolver } from './system-types.js';
export { polymorphicArgumentsConsistent, commonType } from './polymorphic.js';
