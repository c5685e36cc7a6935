// LIMIT / OFFSET / FETCH planning: a sort right below a limit only needs its first
// limit + offset rows (top-N sort), and FETCH FIRST … WITH TIES keeps the rows tied with the last
// one. Added by the query-language engineer (select.ts's applyLimit calls limitNode).
import { SqlError, SqlState } from '../util/errors.js';
import type { Expr } from './expr.js';
import type { PlanNode } from './nodes.js';
import { T } from './type-access.js';

function plus(a: Expr, b: Expr): Expr {
  return {
    kind: 'call', name: 'int8pl', args: [a, b], strict: true, volatile: false, type: T.int8, typmod: -1,
    impl: ([x, y]) => BigInt(x as bigint) + (BigInt(y as bigint) > 0n ? BigInt(y as bigint) : 0n),
  };
}

export function limitNode(input: PlanNode, limit: Expr | null, offset: Expr | null, withTies: boolean, position: { position?: number }): PlanNode {
  if (withTies) {
    if (input.kind !== 'sort') throw new SqlError(SqlState.syntaxError, 'WITH TIES cannot be specified without ORDER BY clause', position);
    return { kind: 'limit', columns: input.columns, input, limit, offset, withTies: input.keys };
  }
  if (input.kind === 'sort' && limit) {
    // A negative LIMIT is an error the limit node reports; the sort then keeps nothing extra.
    input.limit = offset ? plus(limit, offset) : limit;
  }
  return { kind: 'limit', columns: input.columns, input, limit, offset };
}
