// A small deparser for the expressions DDL stores (DEFAULT, CHECK): the display text that
// pg_get_expr / \d show. Unknown shapes fall back to a marker rather than failing DDL.
import { nameList, nodeBody, nodeKind, stringValue, type AstBody } from '../../parser/index.js';
import { quoteIdentifier } from '../../plan/index.js';

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function deparseExpr(node: AstBody): string {
  const kind = nodeKind(node);
  const body = nodeBody(node);
  switch (kind) {
    case 'A_Const':
      if (body.isnull) return 'NULL';
      if (body.ival !== undefined) return String(body.ival.ival ?? 0);
      if (body.fval !== undefined) return body.fval.fval;
      if (body.boolval !== undefined) return body.boolval.boolval ? 'true' : 'false';
      if (body.sval !== undefined) return literal(body.sval.sval ?? '');
      return 'NULL';
    case 'ColumnRef':
      return (body.fields as AstBody[]).map((field) => ('A_Star' in field ? '*' : quoteIdentifier(stringValue(field)))).join('.');
    case 'ParamRef':
      return `$${body.number}`;
    case 'A_Expr': {
      const op = nameList(body.name).pop();
      if (body.kind === 'AEXPR_OP') {
        if (!body.lexpr) return `(${op} ${deparseExpr(body.rexpr)})`;
        return `(${deparseExpr(body.lexpr)} ${op} ${deparseExpr(body.rexpr)})`;
      }
      if (body.kind === 'AEXPR_IN') {
        const items = (body.rexpr.List?.items ?? body.rexpr) as AstBody[];
        return `(${deparseExpr(body.lexpr)} ${op === '<>' ? 'NOT IN' : 'IN'} (${items.map(deparseExpr).join(', ')}))`;
      }
      if (body.kind === 'AEXPR_LIKE') return `(${deparseExpr(body.lexpr)} ${op === '!~~' ? 'NOT LIKE' : 'LIKE'} ${deparseExpr(body.rexpr)})`;
      if (body.kind.includes('BETWEEN')) {
        const [low, high] = body.rexpr.List.items as [AstBody, AstBody];
        return `((${deparseExpr(body.lexpr)} >= ${deparseExpr(low)}) AND (${deparseExpr(body.lexpr)} <= ${deparseExpr(high)}))`;
      }
      return `(${deparseExpr(body.lexpr)} ${op} ${deparseExpr(body.rexpr)})`;
    }
    case 'BoolExpr': {
      const args = (body.args as AstBody[]).map(deparseExpr);
      if (body.boolop === 'NOT_EXPR') return `(NOT ${args[0]})`;
      return `(${args.join(body.boolop === 'AND_EXPR' ? ' AND ' : ' OR ')})`;
    }
    case 'NullTest':
      return `(${deparseExpr(body.arg)} IS ${body.nulltesttype === 'IS_NOT_NULL' ? 'NOT ' : ''}NULL)`;
    case 'TypeCast': {
      const names = nameList(body.typeName.names).filter((name) => name !== 'pg_catalog');
      return `${deparseExpr(body.arg)}::${names.join('.')}`;
    }
    case 'FuncCall': {
      const name = nameList(body.funcname).join('.');
      if (body.agg_star) return `${name}(*)`;
      return `${name}(${((body.args ?? []) as AstBody[]).map(deparseExpr).join(', ')})`;
    }
    case 'SQLValueFunction': {
      const map: Record<string, string> = {
        SVFOP_CURRENT_TIMESTAMP: 'CURRENT_TIMESTAMP', SVFOP_CURRENT_DATE: 'CURRENT_DATE', SVFOP_CURRENT_TIME: 'CURRENT_TIME',
        SVFOP_LOCALTIMESTAMP: 'LOCALTIMESTAMP', SVFOP_LOCALTIME: 'LOCALTIME', SVFOP_CURRENT_USER: 'CURRENT_USER', SVFOP_SESSION_USER: 'SESSION_USER',
        SVFOP_USER: 'CURRENT_USER', SVFOP_CURRENT_ROLE: 'CURRENT_ROLE', SVFOP_CURRENT_CATALOG: 'CURRENT_CATALOG', SVFOP_CURRENT_SCHEMA: 'CURRENT_SCHEMA',
      };
      return map[body.op] ?? 'CURRENT_TIMESTAMP';
    }
    case 'CaseExpr':
      return `CASE${body.arg ? ` ${deparseExpr(body.arg)}` : ''} ${(body.args as AstBody[]).map((when) => `WHEN ${deparseExpr(when.CaseWhen.expr)} THEN ${deparseExpr(when.CaseWhen.result)}`).join(' ')}${body.defresult ? ` ELSE ${deparseExpr(body.defresult)}` : ''} END`;
    case 'CoalesceExpr':
      return `COALESCE(${(body.args as AstBody[]).map(deparseExpr).join(', ')})`;
    case 'A_ArrayExpr':
      return `ARRAY[${((body.elements ?? []) as AstBody[]).map(deparseExpr).join(', ')}]`;
    case 'BooleanTest':
      return `(${deparseExpr(body.arg)} IS ${body.booltesttype.replace('IS_', '').replace('_', ' ')})`;
    default:
      return `<${kind}>`;
  }
}

/** First column a CHECK expression mentions (PostgreSQL names table CHECKs after it). */
export function firstColumnName(node: AstBody): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = firstColumnName(item);
      if (found) return found;
    }
    return undefined;
  }
  if ('ColumnRef' in node) {
    const fields = node.ColumnRef.fields as AstBody[];
    return stringValue(fields[fields.length - 1]);
  }
  for (const value of Object.values(node)) {
    const found = firstColumnName(value);
    if (found) return found;
  }
  return undefined;
}
