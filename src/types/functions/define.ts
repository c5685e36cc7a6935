// Small helpers that keep the function tables readable: one line per overload.
import { SqlError } from '../../util/errors.js';
import type { Value } from '../api.js';
import { registerFunction, registerOperator, type BuiltinFunction, type FunctionContext, type Volatility } from './api.js';

type Impl = (args: Value[], context: FunctionContext, argTypes: readonly number[]) => Value;

export interface DefineOptions {
  strict?: boolean; // default true
  volatility?: Volatility; // default immutable
  variadic?: number;
  returnsSet?: boolean;
  oid?: number;
  outColumns?: readonly { name: string; type: number }[];
  argNames?: readonly string[];
  argDefaults?: readonly Value[];
}

/** Registers one overload of a built-in function. */
export function defineFunction(
  name: string,
  argTypes: readonly number[],
  returnType: BuiltinFunction['returnType'],
  impl: Impl,
  options: DefineOptions = {},
): void {
  registerFunction({
    name,
    argTypes,
    returnType,
    strict: options.strict ?? true,
    volatility: options.volatility ?? 'immutable',
    ...(options.variadic !== undefined ? { variadic: options.variadic } : {}),
    ...(options.returnsSet ? { returnsSet: true } : {}),
    ...(options.oid !== undefined ? { oid: options.oid } : {}),
    ...(options.outColumns !== undefined ? { outColumns: options.outColumns } : {}),
    ...(options.argNames !== undefined ? { argNames: options.argNames } : {}),
    ...(options.argDefaults !== undefined ? { argDefaults: options.argDefaults } : {}),
    impl,
  });
}

/** Registers a strict binary operator. */
export function defineOperator(
  name: string,
  left: number,
  right: number,
  result: number | ((left: number, right: number) => number),
  impl: (left: Value, right: Value, context: FunctionContext) => Value,
): void {
  registerOperator({ name, left, right, result, impl, strict: true });
}

export function sqlError(code: string, message: string, fields: { detail?: string; hint?: string } = {}): SqlError {
  return new SqlError(code, message, fields);
}
