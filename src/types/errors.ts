// Errors worded exactly as PostgreSQL words them, so clients and tests see the same text.
import { SqlError, SqlState } from '../util/errors.js';

/** 22P02: `invalid input syntax for type integer: "abc"`. */
export function invalidInput(sqlTypeName: string, text: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation, `invalid input syntax for type ${sqlTypeName}: "${text}"`);
}

/** 22003: `value "99999999999" is out of range for type integer`. */
export function valueOutOfRange(sqlTypeName: string, text: string): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `value "${text}" is out of range for type ${sqlTypeName}`);
}

/** 22003 for arithmetic results: `integer out of range`, `smallint out of range`, `bigint out of range`. */
export function outOfRange(what: string): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `${what} out of range`);
}

export function divisionByZero(): SqlError {
  return new SqlError(SqlState.divisionByZero, 'division by zero');
}

export function invalidBinary(message: string): SqlError {
  return new SqlError(SqlState.invalidBinaryRepresentation, message);
}
