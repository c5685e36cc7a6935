// Row-valued subquery comparisons: `(a, b) IN (SELECT x, y …)`, `(a, b) <> ALL (…)`,
// `(a, b) = ANY (…)`, with SQL's row semantics (all fields equal → true, any field unequal →
// false, otherwise NULL; `<>` is the negation). Added by the query-language engineer;
// bind-expr.ts's SubLink binding calls in when the left side is a row constructor.
import { nodeBody, positionOf, type AstBody } from '../parser/index.js';
import type { Value } from '../types/api.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { ExprBinder } from './bind-expr.js';
import type { Expr, RuntimeContext } from './expr.js';
import type { PlanNode } from './nodes.js';
import type { Scope } from './scope.js';
import { T } from './type-access.js';

export function bindRowSubLink(binder: ExprBinder, body: AstBody, scope: Scope, plan: PlanNode, opName: string): Expr {
  const leftNodes = (nodeBody(body.testexpr).args ?? []) as AstBody[];
  if (leftNodes.length !== plan.columns.length) {
    throw new SqlError(SqlState.syntaxError, leftNodes.length < plan.columns.length ? 'subquery has too many columns' : 'subquery has too few columns', positionOf(body));
  }
  if (opName !== '=' && opName !== '<>') {
    throw new SqlError(SqlState.featureNotSupported, `row comparison with operator ${opName} against a subquery is not supported`, positionOf(body));
  }
  const fields = leftNodes.map((node, i) => {
    const column = plan.columns[i]!;
    const comparison = binder.bindOperator('=', binder.bind(node, scope), { kind: 'const', value: null, type: column.type, typmod: -1 }, positionOf(body).position);
    if (comparison.kind !== 'call') throw new SqlError(SqlState.internalError, 'row comparison needs an operator');
    const rightCast = comparison.args[1]!;
    return { left: comparison.args[0]!, impl: comparison.impl, convertRight: rightCast.kind === 'cast' ? rightCast.convert : null };
  });
  const negate = opName === '<>';
  const compare = (left: Value, right: Value, context: RuntimeContext): Value => {
    const leftValues = left as Value[];
    const rightValues = right as Value[];
    let unknown = false;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const a = leftValues[i] ?? null;
      let b = rightValues[i] ?? null;
      if (a === null || b === null) {
        unknown = true;
        continue;
      }
      if (field.convertRight) b = field.convertRight(b, context) as NonNullable<Value>;
      if (field.impl([a, b], context) === false) return negate;
    }
    return unknown ? null : !negate;
  };
  const linkType: string = body.subLinkType;
  return {
    kind: 'subquery', mode: linkType === 'ANY_SUBLINK' ? 'any' : 'all', plan, type: T.bool, typmod: -1,
    testArg: { kind: 'row', fields: fields.map((field) => field.left), type: 2249, typmod: -1 },
    compare,
    rowCompare: true,
  };
}
