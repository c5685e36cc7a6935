// Type modifiers: from the integers written in SQL (varchar(10), numeric(10,2), timestamp(3))
// to the typmod PostgreSQL stores (typmodin), and format_type's display of a type + typmod.
import { SqlError, SqlState } from '../util/errors.js';
import { numericTypmod, numericTypmodPrecision, numericTypmodScale } from './numeric-type.js';
import { TypeOid } from './oids.js';
import { typeByOid } from './registry.js';

const VARHDRSZ = 4;
export const typmodLimits = { characterLengthMax: 10485760, numericPrecisionMax: 1000, numericScaleMin: -1000, numericScaleMax: 1000, timePrecisionMax: 6 } as const;

function invalidParameter(message: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, message);
}

/** typmodin of a type: the typmod for `modifiers` (throws 22023/42601 as PostgreSQL). */
export function typmodFromModifiers(oid: number, modifiers: readonly number[]): number {
  if (modifiers.length === 0) return -1;
  const type = typeByOid(oid);
  const name = type?.name ?? String(oid);
  switch (oid) {
    case TypeOid.varchar:
    case TypeOid.bpchar: {
      const typeName = oid === TypeOid.varchar ? 'varchar' : 'char';
      if (modifiers.length !== 1) throw invalidParameter(`invalid type modifier`);
      const length = modifiers[0]!;
      if (length < 1) throw invalidParameter(`length for type ${typeName} must be at least 1`);
      if (length > typmodLimits.characterLengthMax) throw invalidParameter(`length for type ${typeName} cannot exceed ${typmodLimits.characterLengthMax}`);
      return length + VARHDRSZ;
    }
    case TypeOid.numeric: {
      if (modifiers.length > 2) throw invalidParameter('invalid NUMERIC type modifier');
      const precision = modifiers[0]!;
      const scale = modifiers[1] ?? 0;
      if (precision < 1 || precision > typmodLimits.numericPrecisionMax) {
        throw invalidParameter(`NUMERIC precision ${precision} must be between 1 and ${typmodLimits.numericPrecisionMax}`);
      }
      if (scale < typmodLimits.numericScaleMin || scale > typmodLimits.numericScaleMax) {
        throw invalidParameter(`NUMERIC scale ${scale} must be between ${typmodLimits.numericScaleMin} and ${typmodLimits.numericScaleMax}`);
      }
      return numericTypmod(precision, scale);
    }
    case TypeOid.timestamp:
    case TypeOid.timestamptz:
    case TypeOid.time:
    case TypeOid.timetz: {
      if (modifiers.length !== 1) throw invalidParameter('invalid type modifier');
      const precision = modifiers[0]!;
      const label = oid === TypeOid.timestamp || oid === TypeOid.timestamptz ? 'TIMESTAMP' : 'TIME';
      const zone = oid === TypeOid.timestamptz || oid === TypeOid.timetz ? ' WITH TIME ZONE' : '';
      if (precision < 0) throw invalidParameter(`${label}(${precision})${zone} precision must not be negative`);
      // PostgreSQL warns and reduces larger precisions to the maximum.
      return Math.min(precision, typmodLimits.timePrecisionMax);
    }
    case TypeOid.interval: {
      if (modifiers.length !== 1) throw invalidParameter('invalid INTERVAL type modifier');
      const precision = modifiers[0]!;
      if (precision < 0) throw invalidParameter(`INTERVAL(${precision}) precision must not be negative`);
      // INTERVAL_TYPMOD(precision, INTERVAL_FULL_RANGE): range 0x7FFF in the high half.
      return (0x7fff << 16) | Math.min(precision, typmodLimits.timePrecisionMax);
    }
  }
  throw new SqlError(SqlState.syntaxError, `type modifier is not allowed for type "${name}"`);
}

const sqlNames: Record<number, string> = {
  [TypeOid.bool]: 'boolean',
  [TypeOid.int2]: 'smallint',
  [TypeOid.int4]: 'integer',
  [TypeOid.int8]: 'bigint',
  [TypeOid.float4]: 'real',
  [TypeOid.float8]: 'double precision',
  [TypeOid.char]: '"char"',
};

/** format_type(oid, typmod), e.g. 'character varying(10)', 'numeric(10,2)', 'timestamp(3) with time zone', 'integer[]'. */
export function formatType(oid: number, typmod = -1): string {
  const type = typeByOid(oid);
  if (!type) return '???';
  if (type.element) return formatType(type.element.oid, typmod) + '[]';
  const fixed = sqlNames[oid];
  if (fixed !== undefined) return fixed;
  const hasTypmod = typmod >= 0;
  switch (oid) {
    case TypeOid.varchar:
      return hasTypmod ? `character varying(${typmod - VARHDRSZ})` : 'character varying';
    case TypeOid.bpchar:
      return hasTypmod ? `character(${typmod - VARHDRSZ})` : 'bpchar';
    case TypeOid.numeric:
      return typmod >= VARHDRSZ ? `numeric(${numericTypmodPrecision(typmod)},${numericTypmodScale(typmod)})` : 'numeric';
    case TypeOid.timestamp:
      return hasTypmod ? `timestamp(${typmod}) without time zone` : 'timestamp without time zone';
    case TypeOid.timestamptz:
      return hasTypmod ? `timestamp(${typmod}) with time zone` : 'timestamp with time zone';
    case TypeOid.time:
      return hasTypmod ? `time(${typmod}) without time zone` : 'time without time zone';
    case TypeOid.timetz:
      return hasTypmod ? `time(${typmod}) with time zone` : 'time with time zone';
    case TypeOid.interval: {
      const precision = typmod & 0xffff;
      return hasTypmod && precision !== 0xffff ? `interval(${precision})` : 'interval';
    }
  }
  return type.name;
}
