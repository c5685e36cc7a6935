// How aggregates plug in. BuiltinAggregate / AggregateAccumulator / registerAggregate /
// aggregateCandidates live in api.ts (agreed with the SQL engineer); this file adds the
// ordered-set kind and the helper the aggregate tables use.
//
// What the executor must do (PostgreSQL's semantics):
// - One accumulator per group: aggregate.create(argTypes, context), add(args) per input row,
//   result() once. A group with no rows still gets create() + result() (count → 0, others NULL).
// - strict: rows where any argument is NULL are skipped before add() (count(x), sum, avg, min,
//   max, …). Non-strict aggregates (count(*), array_agg, string_agg, json_agg, …) see every row.
// - FILTER (WHERE …): rows failing the filter are not fed.
// - DISTINCT: feed each distinct argument tuple once (by the argument types' compare/hash;
//   NULLs compare equal for this purpose), after the strictness check.
// - ORDER BY inside the call (array_agg(x ORDER BY y), string_agg(… ORDER BY …)): sort the
//   group's rows by the keys, then feed them in that order.
// - Ordered-set aggregates (OrderedSetAggregate below: percentile_cont/percentile_disc/mode):
//   `agg(direct args) WITHIN GROUP (ORDER BY x)`. argTypes = [...direct arg types, x's type].
//   Sort the group's rows by x as the ORDER BY says, drop rows whose x is NULL, and call
//   add([...directArgs, x]) in sorted order (direct args are evaluated once per group; pass the
//   same values on every row). Before the rows, call setDirectArguments(directArgs) once per
//   group (also for a group without rows: PostgreSQL still validates, e.g. a percentile of 1.5).
import type { Value } from '../api.js';
import { registerAggregate, type AggregateAccumulator, type BuiltinAggregate, type FunctionContext } from './api.js';

export type { AggregateAccumulator, BuiltinAggregate } from './api.js';
export { aggregateCandidates, registerAggregate } from './api.js';

/** `agg(direct…) WITHIN GROUP (ORDER BY x)`: input arrives sorted, see the header. */
export interface OrderedSetAggregate extends BuiltinAggregate {
  readonly orderedSet: true;
  /** How many leading argTypes are direct arguments. */
  readonly directArgCount: number;
}

export interface OrderedSetAccumulator extends AggregateAccumulator {
  setDirectArguments(args: Value[]): void;
}

export function isOrderedSetAggregate(aggregate: BuiltinAggregate): aggregate is OrderedSetAggregate {
  return (aggregate as Partial<OrderedSetAggregate>).orderedSet === true;
}

type Create = (argTypes: readonly number[], context: FunctionContext) => AggregateAccumulator;

export function defineAggregate(
  name: string,
  argTypes: readonly number[],
  returnType: BuiltinAggregate['returnType'],
  create: Create,
  options: { strict?: boolean } = {},
): void {
  registerAggregate({ name, argTypes, returnType, strict: options.strict ?? true, create });
}

export function defineOrderedSetAggregate(
  name: string,
  directArgTypes: readonly number[],
  sortedType: number,
  returnType: BuiltinAggregate['returnType'],
  create: Create,
): void {
  const aggregate: OrderedSetAggregate = {
    name,
    argTypes: [...directArgTypes, sortedType],
    returnType,
    strict: false,
    orderedSet: true,
    directArgCount: directArgTypes.length,
    create,
  };
  registerAggregate(aggregate);
}

/** An accumulator from two closures (most aggregates need nothing more). */
export function accumulator<State>(initial: State, step: (state: State, args: Value[]) => State, final: (state: State) => Value): AggregateAccumulator {
  let state = initial;
  return {
    add(args) {
      state = step(state, args);
    },
    result() {
      return final(state);
    },
  };
}
