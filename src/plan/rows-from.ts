// ROWS FROM (f(…), g(…)) and multi-argument unnest(a, b, …) in FROM: the functions run side by
// side, row i holding each function's i-th value (NULL once a shorter one is exhausted). Planned
// as a ProjectSet over one empty row, which has exactly these lockstep semantics. Added by the
// query-language engineer; from.ts's bindRangeFunction calls in.
import { nameList, nodeBody, nodeKind, type AstBody } from '../parser/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { ExprBinder } from './bind-expr.js';
import type { Expr } from './expr.js';
import type { OutputColumn, PlanNode } from './nodes.js';
import type { Scope } from './scope.js';

/** The separate function calls of a RangeFunction, or null when it is a single ordinary call. */
export function rowsFromCalls(body: AstBody): AstBody[] | null {
  const functions = body.functions as AstBody[];
  const calls = functions.map((entry) => ((entry.List?.items ?? entry) as AstBody[])[0]!);
  if (calls.length > 1) return calls;
  const only = calls[0]!;
  if (nodeKind(only) !== 'FuncCall') return null;
  const call = nodeBody(only);
  const args = (call.args ?? []) as AstBody[];
  const name = nameList(call.funcname).pop();
  if (name !== 'unnest' || args.length < 2) return null;
  // unnest(a, b) in FROM means ROWS FROM (unnest(a), unnest(b)).
  return args.map((arg) => ({ FuncCall: { ...call, args: [arg] } }));
}

export function planRowsFrom(binder: ExprBinder, calls: AstBody[], body: AstBody, scope: Scope): { plan: PlanNode; columns: OutputColumn[] } {
  if (body.ordinality) throw new SqlError(SqlState.featureNotSupported, 'WITH ORDINALITY over several functions is not supported');
  const colnames: string[] = body.alias?.colnames ? nameList(body.alias.colnames) : [];
  const exprs: Expr[] = calls.map((node) => binder.bind(node, scope));
  const columns: OutputColumn[] = exprs.map((expr, i) => ({
    name: colnames[i] ?? (nodeKind(calls[i]!) === 'FuncCall' ? nameList(nodeBody(calls[i]!).funcname).pop()! : `column${i + 1}`),
    type: expr.type, typmod: expr.typmod, tableOid: 0, attnum: 0,
  }));
  const oneRow: PlanNode = { kind: 'result', columns: [], exprs: [] };
  return { plan: { kind: 'projectSet', columns, input: oneRow, exprs }, columns };
}
