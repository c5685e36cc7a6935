// Set-returning functions in the select list: each input row yields as many rows as its longest
// set; shorter sets are padded with NULLs (PostgreSQL 10+ lockstep semantics).
import type { PlanNode, Row } from '../../plan/index.js';
import { compile, type Compiled } from '../compile-expr.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';

export function openProjectSet(node: Extract<PlanNode, { kind: 'projectSet' }>, state: ExecState, open: OpenPlan): RowSource {
  const input = open(node.input, state);
  const parts = node.exprs.map((expr) => {
    if (expr.kind === 'call' && expr.returnsSet) {
      const args = expr.args.map(compile);
      const impl = expr.impl;
      const strict = expr.strict;
      return { set: true as const, open: (row: Row) => {
        const values = args.map((arg) => arg(row, state.runtime));
        if (strict && values.some((value) => value === null)) return [][Symbol.iterator]();
        return (impl(values, state.runtime) as Iterable<unknown>)[Symbol.iterator]();
      } };
    }
    return { set: false as const, value: compile(expr) as Compiled };
  });
  let current: { row: Row; iterators: Array<Iterator<unknown> | null>; scalars: unknown[] } | undefined;
  return {
    next: () => {
      for (;;) {
        if (!current) {
          const row = input.next();
          if (!row) return undefined;
          current = {
            row,
            iterators: parts.map((part) => (part.set ? part.open(row) : null)),
            scalars: parts.map((part) => (part.set ? null : part.value(row, state.runtime))),
          };
        }
        let any = false;
        const out: Row = parts.map((part, i) => {
          if (!part.set) return current!.scalars[i] as never;
          const iterator = current!.iterators[i];
          if (!iterator) return null;
          const step = iterator.next();
          if (step.done) {
            current!.iterators[i] = null;
            return null;
          }
          any = true;
          return step.value as never;
        });
        if (any) return out;
        current = undefined;
      }
    },
    close: () => input.close(),
  };
}
