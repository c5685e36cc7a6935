// FULL JOIN needs merge- or hash-joinable conditions in PostgreSQL: every ON conjunct must be an
// equality between an expression of the left input and one of the right input. Anything else is
// refused with PostgreSQL's error (0A000) rather than run with different semantics.
import { SqlError, SqlState } from '../util/errors.js';
import type { Expr } from './expr.js';
import { referencedColumns } from './expr-utils.js';

export function checkFullJoinConditions(conditions: Expr[], left: { start: number; end: number }, right: { start: number; end: number }): void {
  const within = (expr: Expr, side: { start: number; end: number }) => {
    const columns = [...referencedColumns(expr)];
    return columns.length > 0 && columns.every((index) => index >= side.start && index < side.end);
  };
  for (const condition of conditions) {
    if (referencedColumns(condition).size === 0) continue; // constant quals (ON true) are allowed
    const joinable = condition.kind === 'call' && condition.name === '=' && condition.args.length === 2 &&
      ((within(condition.args[0]!, left) && within(condition.args[1]!, right)) || (within(condition.args[0]!, right) && within(condition.args[1]!, left)));
    if (!joinable) throw new SqlError(SqlState.featureNotSupported, 'FULL JOIN is only supported with merge-joinable or hash-joinable join conditions');
  }
}

/**
 * SELECT DISTINCT ON (…) … ORDER BY …: the leading ORDER BY items must be DISTINCT ON
 * expressions (PostgreSQL: 42P10). Keys are structural expression keys.
 */
export function checkDistinctOnMatchesOrderBy(distinctOnKeys: string[], orderByKeys: string[]): void {
  const on = new Set(distinctOnKeys);
  for (let i = 0; i < Math.min(distinctOnKeys.length, orderByKeys.length); i++) {
    if (!on.has(orderByKeys[i]!)) throw new SqlError(SqlState.invalidColumnReference, 'SELECT DISTINCT ON expressions must match initial ORDER BY expressions');
  }
}
