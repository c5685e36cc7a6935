// ProjectSet: per input row, runs the select list's set-returning calls in lockstep and emits
// max(result lengths) rows: the input row, then each call's i-th value (NULL once exhausted).
import type { PlanNode, Row } from '../../plan/index.js';
import type { Value } from '../../types/index.js';
import { compile } from '../compile-expr.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';

export function openProjectSet(node: Extract<PlanNode, { kind: 'projectSet' }>, state: ExecState, open: OpenPlan): RowSource {
  const input = open(node.input, state);
  const calls = node.calls.map((call) => ({ call, args: call.args.map(compile) }));
  let current: Row | undefined;
  let results: Value[][] = [];
  let length = 0;
  let position = 0;
  return {
    next: () => {
      for (;;) {
        if (current && position < length) {
          const out: Row = [...current];
          for (const values of results) out.push(position < values.length ? (values[position] ?? null) : null);
          position++;
          return out;
        }
        current = input.next();
        if (!current) return undefined;
        const row = current;
        results = calls.map(({ call, args }) => {
          const values = args.map((arg) => arg(row, state.runtime));
          if (call.strict && values.some((value) => value === null)) return [];
          const produced = call.impl(values, state.runtime) as Iterable<Value> | null;
          return produced === null || produced === undefined ? [] : [...produced];
        });
        length = Math.max(0, ...results.map((values) => values.length));
        position = 0;
      }
    },
    close: () => input.close(),
  };
}
