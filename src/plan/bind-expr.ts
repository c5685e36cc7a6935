// Expression binding: libpg-query expression nodes → typed Expr, with PostgreSQL's literal,
// parameter and overload typing rules.
import type { Catalog } from '../catalog/index.js';
import { nameList, nodeBody, nodeKind, positionOf, stringValue, type AstBody } from '../parser/index.js';
import type { FormatSettings, Value } from '../types/api.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { AggregateCall } from './aggregates.js';
import { bindAggregateCall, isAggregateName } from './aggregates.js';
import { bindWindowCall, checkWindowFunctionHasOver } from './window.js';
import { bindGroupingFunc } from './grouping-sets.js';
import { bindRowSubLink } from './row-sublink.js';
import { sessionFunction } from './catalog-functions.js';
import { fallbackFunction } from './fallback-functions.js';
import type { Expr, RuntimeContext } from './expr.js';
import type { OutputColumn, VirtualRelationSource } from './nodes.js';
import { planSubquery } from './select.js';
import { commonType, resolveFunction, resolveOperator, typeDisplayName } from './resolve.js';
import type { Scope } from './scope.js';
import { canCoerce, findCast, getType, lookupTypeName, T, UNKNOWN, type CastContext } from './type-access.js';

export interface BindContext {
  catalog: Catalog;
  databaseOid: number;
  /** Schema OIDs in search order (pg_catalog handled separately). */
  searchPath: number[];
  user: string;
  /** Parameter types; 0 = not yet known (inferred from context). Grows as $n are seen. */
  paramTypes: number[];
  settings: FormatSettings;
  /**
   * Extension (issue 9): a relation the session supplies for a RangeVar instead of the catalog's
   * (tables read AS OF a snapshot, cambium_snapshots); undefined = resolve as usual.
   */
  relationOverride?: (rangeVar: AstBody) => RelationOverride | undefined;
  /** Extension (issue 9): a set-returning FROM function the session computes (cambium_diff). */
  functionOverride?: (funcCall: AstBody) => RelationOverride | undefined;
}

/** Extension (issue 9): rows of a relation computed by the session when the scan opens. */
export interface RelationOverride {
  name: string;
  columns: OutputColumn[];
  source: VirtualRelationSource;
}

/** Where aggregate calls go while binding a SELECT list / HAVING / ORDER BY; null = not allowed. */
export interface AggregateCollector {
  calls: AggregateCall[];
  clause: string;
}

export class ExprBinder {
  aggregates: AggregateCollector | null = null;
  /** Where window calls go while binding a SELECT list / ORDER BY; null = not allowed. */
  constructor(readonly context: BindContext) {}

  bind(node: AstBody, scope: Scope): Expr {
    const kind = nodeKind(node);
    const body = nodeBody(node);
    switch (kind) {
      case 'A_Const':
        return this.bindConst(body);
      case 'ColumnRef':
        return this.bindColumnRef(body, scope);
      case 'ParamRef':
        return this.bindParam(body);
      case 'A_Expr':
        return this.bindAExpr(body, scope);
      case 'BoolExpr':
        return this.bindBoolExpr(body, scope);
      case 'TypeCast':
        return this.bindTypeCast(body, scope);
      case 'FuncCall':
        return this.bindFuncCall(body, scope);
      case 'NullTest': {
        const arg = this.bind(body.arg, scope);
        return { kind: 'isNull', arg, negated: body.nulltesttype === 'IS_NOT_NULL', type: T.bool, typmod: -1 };
      }
      case 'BooleanTest': {
        const arg = this.coerce(this.bind(body.arg, scope), T.bool, -1, 'implicit', body);
        const testType: string = body.booltesttype;
        const test = testType.includes('TRUE') ? 'true' : testType.includes('FALSE') ? 'false' : 'unknown';
        return { kind: 'boolTest', arg, test, negated: testType.includes('_NOT_'), type: T.bool, typmod: -1 };
      }
      case 'CaseExpr':
        return this.bindCase(body, scope);
      case 'CoalesceExpr': {
        const args = (body.args as AstBody[]).map((arg) => this.bind(arg, scope));
        const type = commonType(args.map((arg) => arg.type), 'COALESCE', positionOf(body).position);
        return { kind: 'coalesce', args: args.map((arg) => this.coerce(arg, type, -1, 'implicit', body)), type, typmod: -1 };
      }
      case 'MinMaxExpr': {
        const args = (body.args as AstBody[]).map((arg) => this.bind(arg, scope));
        const type = commonType(args.map((arg) => arg.type), body.op === 'IS_GREATEST' ? 'GREATEST' : 'LEAST');
        const pg = getType(type);
        return {
          kind: 'greatestLeast', greatest: body.op === 'IS_GREATEST', type, typmod: -1,
          args: args.map((arg) => this.coerce(arg, type, -1, 'implicit', body)), compare: (a, b) => pg.compare(a, b),
        };
      }
      case 'GroupingFunc':
        return bindGroupingFunc(this, body, scope);
      case 'SubLink':
        return this.bindSubLink(body, scope);
      case 'A_ArrayExpr':
        return this.bindArray(body, scope);
      case 'SQLValueFunction':
        return this.bindSqlValueFunction(body);
      case 'RowExpr': {
        const fields = ((body.args ?? []) as AstBody[]).map((arg) => this.bind(arg, scope));
        return { kind: 'row', fields, type: 2249, typmod: -1 };
      }
      case 'CollateClause':
        return this.bind(body.arg, scope);
      case 'A_Indirection':
        return this.bindIndirection(body, scope);
      case 'NamedArgExpr':
        return this.bind(body.arg, scope);
      case 'SetToDefault':
        throw new SqlError(SqlState.featureNotSupported, 'DEFAULT is not allowed in this context', positionOf(body));
      case 'GroupingFunc':
        throw new SqlError(SqlState.featureNotSupported, 'GROUPING is not supported yet', positionOf(body));
      default:
        throw new SqlError(SqlState.featureNotSupported, `expression ${kind} is not supported`, positionOf(body));
    }
  }

  /** Binds a condition (WHERE, ON, HAVING): must be boolean. */
  bindCondition(node: AstBody, scope: Scope, clause: string): Expr {
    const expr = this.bind(node, scope);
    if (expr.type === UNKNOWN) return this.coerce(expr, T.bool, -1, 'implicit', node);
    if (expr.type !== T.bool) {
      throw new SqlError(SqlState.datatypeMismatch, `argument of ${clause} must be type boolean, not type ${typeDisplayName(expr.type)}`, positionOf(nodeBody(node)));
    }
    return expr;
  }

  private bindConst(body: AstBody): Expr {
    if (body.isnull) return { kind: 'const', value: null, type: UNKNOWN, typmod: -1 };
    if (body.ival !== undefined) return { kind: 'const', value: body.ival.ival ?? 0, type: T.int4, typmod: -1 };
    if (body.fval !== undefined) {
      const text: string = body.fval.fval;
      if (/^-?\d+$/.test(text)) {
        const big = BigInt(text);
        if (big >= -(2n ** 63n) && big < 2n ** 63n) return { kind: 'const', value: big, type: T.int8, typmod: -1 };
      }
      return { kind: 'const', value: getType(T.numeric).parseText(text, -1, this.context.settings), type: T.numeric, typmod: -1 };
    }
    if (body.boolval !== undefined) return { kind: 'const', value: body.boolval.boolval === true, type: T.bool, typmod: -1 };
    if (body.sval !== undefined) return { kind: 'const', value: body.sval.sval ?? '', type: UNKNOWN, typmod: -1, ...locationOf(body) } as Expr;
    if (body.bsval !== undefined) return { kind: 'const', value: body.bsval.bsval, type: UNKNOWN, typmod: -1 };
    return { kind: 'const', value: null, type: UNKNOWN, typmod: -1 };
  }

  private bindParam(body: AstBody): Expr {
    const index: number = body.number;
    if (index < 1 || index > 65535) throw new SqlError(SqlState.undefinedParameter, `there is no parameter $${index}`, positionOf(body));
    const types = this.context.paramTypes;
    while (types.length < index) types.push(0);
    const type = types[index - 1]!;
    return { kind: 'param', index: index - 1, type: type === 0 ? UNKNOWN : type, typmod: -1 };
  }

  private bindColumnRef(body: AstBody, scope: Scope): Expr {
    const fields = body.fields as AstBody[];
    const position = positionOf(body).position;
    if (fields.some((field) => 'A_Star' in field)) {
      throw new SqlError(SqlState.featureNotSupported, '* is not allowed in this context', positionOf(body));
    }
    const names = fields.map(stringValue);
    let qualifier: string | undefined;
    let name: string;
    if (names.length === 1) name = names[0]!;
    else if (names.length === 2) [qualifier, name] = names as [string, string];
    else if (names.length === 3) [, qualifier, name] = names as [string, string, string];
    else throw new SqlError(SqlState.syntaxError, `improper qualified name (too many dotted names): ${names.join('.')}`, positionOf(body));
    let levels = 0;
    for (let current: Scope | null = scope; current; current = current.parent, levels++) {
      const found = current.resolveLocal(qualifier, name, position);
      if (found) {
        const { type, typmod } = found.column;
        if (found.coalesceWith !== undefined) {
          const side = (index: number): Expr => (levels === 0 ? { kind: 'column', index, name, type, typmod } : { kind: 'outerColumn', levels, index, name, type, typmod });
          return { kind: 'coalesce', args: [side(found.index), side(found.coalesceWith)], type, typmod };
        }
        return levels === 0
          ? { kind: 'column', index: found.index, name, type, typmod, ...(position !== undefined ? { position } : {}) } as Expr
          : { kind: 'outerColumn', levels, index: found.index, name, type, typmod };
      }
      if (qualifier === undefined && names.length === 1) {
        // A bare table name as a whole-row reference (rare): not supported.
        const item = current.item(name);
        if (item) {
          const fieldsOfRow: Expr[] = item.columns.map((column, i) => ({ kind: 'column', index: item.offset + i, name: column.name, type: column.type, typmod: column.typmod }));
          if (levels === 0) return { kind: 'row', fields: fieldsOfRow, type: 2249, typmod: -1 };
        }
      }
    }
    if (qualifier !== undefined && !findItem(scope, qualifier)) {
      throw new SqlError(SqlState.undefinedTable, `missing FROM-clause entry for table "${qualifier}"`, positionOf(body));
    }
    const shown = qualifier ? `${qualifier}.${name}` : `"${name}"`;
    throw new SqlError(SqlState.undefinedColumn, `column ${shown} does not exist`, positionOf(body));
  }

  private bindAExpr(body: AstBody, scope: Scope): Expr {
    const kind: string = body.kind;
    const name = nameList(body.name);
    const op = name[name.length - 1]!;
    const position = positionOf(body).position;
    switch (kind) {
      case 'AEXPR_OP': {
        if (!body.lexpr) return this.bindOperator(op, null, this.bind(body.rexpr, scope), position);
        if (nodeKind(body.lexpr) === 'RowExpr' && nodeKind(body.rexpr) === 'RowExpr' && (op === '=' || op === '<>')) {
          // Row comparison: (a, b) = (x, y) is a = x AND b = y; <> is the OR of the <>s.
          const left = (nodeBody(body.lexpr).args ?? []) as AstBody[];
          const right = (nodeBody(body.rexpr).args ?? []) as AstBody[];
          if (left.length !== right.length) throw new SqlError(SqlState.syntaxError, 'unequal number of entries in row expressions', positionOf(body));
          const parts = left.map((item, i) => this.bindOperator(op, this.bind(item, scope), this.bind(right[i], scope), position));
          return { kind: op === '=' ? 'and' : 'or', args: parts, type: T.bool, typmod: -1 };
        }
        return this.bindOperator(op, this.bind(body.lexpr, scope), this.bind(body.rexpr, scope), position);
      }
      case 'AEXPR_IN': {
        const arg = this.bind(body.lexpr, scope);
        const items = (body.rexpr.List?.items ?? body.rexpr) as AstBody[];
        return this.bindInList(arg, items.map((item) => this.bind(item, scope)), op === '<>', position);
      }
      case 'AEXPR_OP_ANY':
      case 'AEXPR_OP_ALL': {
        const left = this.bind(body.lexpr, scope);
        const right = this.bind(body.rexpr, scope);
        return this.bindScalarArrayOp(op, left, right, kind === 'AEXPR_OP_ANY', position);
      }
      case 'AEXPR_DISTINCT':
      case 'AEXPR_NOT_DISTINCT': {
        const left = this.bind(body.lexpr, scope);
        const right = this.bind(body.rexpr, scope);
        const equality = this.bindOperator('=', left, right, position);
        if (equality.kind !== 'call') throw new SqlError(SqlState.internalError, 'IS DISTINCT FROM needs an operator');
        const [l, r] = equality.args as [Expr, Expr];
        const impl = equality.impl;
        return { kind: 'distinctFrom', left: l, right: r, negated: kind === 'AEXPR_NOT_DISTINCT', type: T.bool, typmod: -1, equals: (a, b, c) => impl([a, b], c) };
      }
      case 'AEXPR_NULLIF': {
        const left = this.bind(body.lexpr, scope);
        const right = this.bind(body.rexpr, scope);
        const equality = this.bindOperator('=', left, right, position);
        if (equality.kind !== 'call') throw new SqlError(SqlState.internalError, 'NULLIF needs an operator');
        const l = equality.args[0]!;
        const impl = equality.impl;
        return {
          kind: 'call', name: 'nullif', args: equality.args, strict: false, volatile: false, type: l.type, typmod: l.typmod,
          impl: ([a, b], c) => (a !== null && b !== null && impl([a, b], c) === true ? null : a!),
        };
      }
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE': {
        const operator = kind === 'AEXPR_LIKE' ? (op === '!~~' ? '!~~' : '~~') : op === '!~~*' ? '!~~*' : '~~*';
        return this.bindOperator(operator, this.bind(body.lexpr, scope), this.bind(body.rexpr, scope), position);
      }
      case 'AEXPR_SIMILAR': {
        const pattern = this.bind(body.rexpr, scope);
        return this.bindOperator(op, this.bind(body.lexpr, scope), pattern, position);
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_NOT_BETWEEN':
      case 'AEXPR_BETWEEN_SYM':
      case 'AEXPR_NOT_BETWEEN_SYM': {
        const [lowNode, highNode] = body.rexpr.List.items as [AstBody, AstBody];
        const arg = this.bind(body.lexpr, scope);
        const low = this.bind(lowNode, scope);
        const high = this.bind(highNode, scope);
        const inRange = (lo: Expr, hi: Expr): Expr => ({
          kind: 'and', type: T.bool, typmod: -1,
          args: [this.bindOperator('>=', arg, lo, position), this.bindOperator('<=', arg, hi, position)],
        });
        let expr = inRange(low, high);
        if (kind.endsWith('_SYM')) expr = { kind: 'or', type: T.bool, typmod: -1, args: [expr, inRange(high, low)] };
        return kind.includes('NOT') ? { kind: 'not', arg: expr, type: T.bool, typmod: -1 } : expr;
      }
      default:
        throw new SqlError(SqlState.featureNotSupported, `operator kind ${kind} is not supported`, positionOf(body));
    }
  }

  bindOperator(name: string, left: Expr | null, right: Expr, position?: number): Expr {
    let resolved;
    try {
      resolved = resolveOperator(name, left ? left.type : null, right.type, position);
    } catch (error) {
      const fallback = left && error instanceof SqlError && error.code === SqlState.undefinedFunction ? this.comparisonFallback(name, left, right, position) : undefined;
      if (fallback) return fallback;
      throw error;
    }
    const { operator } = resolved;
    const args: Expr[] = [];
    if (left) args.push(this.coerce(left, resolved.left, -1, 'implicit', undefined, position));
    args.push(this.coerce(right, resolved.right, -1, 'implicit', undefined, position));
    const impl = operator.impl;
    const prefix = left === null;
    const operandTypes: readonly [number, number] = [resolved.left, resolved.right];
    return {
      kind: 'call', name, args, strict: operator.strict !== false, volatile: false, type: resolved.result, typmod: -1, operator: true,
      impl: prefix
        ? (values, c) => impl(null, values[0]!, c.functions, operandTypes)
        : (values, c) => impl(values[0]!, values[1]!, c.functions, operandTypes),
    };
  }

  /**
   * Comparison of two values of one type through the type's own ordering (array = array,
   * name = name, …) when the operator registry has no entry for that type.
   */
  private comparisonFallback(name: string, left: Expr, right: Expr, position?: number): Expr | undefined {
    const tests: Record<string, (c: number) => boolean> = { '=': (c) => c === 0, '<>': (c) => c !== 0, '!=': (c) => c !== 0, '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0 };
    if (name === '||') return this.arrayConcatFallback(left, right, position);
    const test = tests[name];
    if (!test) return undefined;
    const type = left.type !== UNKNOWN ? left.type : right.type;
    if (type === UNKNOWN) return undefined;
    const l = this.coerce(left, type, -1, 'implicit', undefined, position);
    const r = this.coerce(right, type, -1, 'implicit', undefined, position);
    if (l.type !== r.type) return undefined;
    const pg = getType(type);
    return {
      kind: 'call', name: name === '!=' ? '<>' : name, args: [l, r], strict: true, volatile: false, type: T.bool, typmod: -1, operator: true,
      impl: ([a, b]) => test(pg.compare(a, b)),
    };
  }

  /** anyarray || anyarray, anyarray || anyelement, anyelement || anyarray (one-dimensional). */
  private arrayConcatFallback(left: Expr, right: Expr, position?: number): Expr | undefined {
    const leftArray = left.type !== UNKNOWN && getType(left.type).element !== undefined;
    const rightArray = right.type !== UNKNOWN && getType(right.type).element !== undefined;
    if (!leftArray && !rightArray) return undefined;
    const arrayType = leftArray ? left.type : right.type;
    const elementType = getType(arrayType).element!.oid;
    const l = leftArray ? left : this.coerce(left, rightArray && left.type === UNKNOWN ? arrayType : elementType, -1, 'implicit', undefined, position);
    const r = rightArray ? right : this.coerce(right, leftArray && right.type === UNKNOWN ? arrayType : elementType, -1, 'implicit', undefined, position);
    const lIsArray = l.type === arrayType;
    const rIsArray = r.type === arrayType;
    type A = { elements: Value[]; dims: number[]; lowerBounds: number[] };
    return {
      kind: 'call', name: '||', args: [l, r], strict: false, volatile: false, type: arrayType, typmod: -1,
      impl: ([a, b]) => {
        const items = (value: Value, isArray: boolean): Value[] | null => (isArray ? (value === null ? null : (value as A).elements) : [value]);
        const first = items(a ?? null, lIsArray);
        const second = items(b ?? null, rIsArray);
        if (first === null && second === null) return null;
        const elements = [...(first ?? []), ...(second ?? [])];
        return { elements, dims: elements.length ? [elements.length] : [], lowerBounds: elements.length ? [1] : [] };
      },
    };
  }

  private bindInList(arg: Expr, list: Expr[], negated: boolean, position?: number): Expr {
    const type = commonType([arg.type, ...list.map((item) => item.type)], 'IN', position);
    const left = this.coerce(arg, type, -1, 'implicit', undefined, position);
    const items = list.map((item) => this.coerce(item, type, -1, 'implicit', undefined, position));
    const equality = this.bindOperator('=', left, items[0] ?? left, position);
    if (equality.kind !== 'call') throw new SqlError(SqlState.internalError, 'IN needs an operator');
    const impl = equality.impl;
    return { kind: 'inList', arg: left, list: items, negated, type: T.bool, typmod: -1, equals: (a, b, c) => impl([a, b], c) };
  }

  private bindScalarArrayOp(op: string, left: Expr, right: Expr, any: boolean, position?: number): Expr {
    let arrayExpr = right;
    if (right.type === UNKNOWN) {
      const elementType = left.type === UNKNOWN ? T.text : left.type;
      arrayExpr = this.coerce(right, getType(elementType).arrayOid, -1, 'implicit', undefined, position);
    }
    const element = getType(arrayExpr.type).element;
    if (!element) throw new SqlError(SqlState.wrongObjectType, 'op ANY/ALL (array) requires array on right side', position !== undefined ? { position } : {});
    const placeholder: Expr = { kind: 'const', value: null, type: element.oid, typmod: -1 };
    const comparison = this.bindOperator(op, left, placeholder, position);
    if (comparison.kind !== 'call') throw new SqlError(SqlState.internalError, 'ANY needs an operator');
    const leftArg = comparison.args[0]!;
    const impl = comparison.impl;
    const elementConvert = comparison.args[1]!.kind === 'cast' ? comparison.args[1] : null;
    return {
      kind: 'call', name: any ? 'any' : 'all', args: [leftArg, arrayExpr], strict: false, volatile: false, type: T.bool, typmod: -1,
      impl: ([value, array], c) => {
        if (array === null) return null;
        let sawNull = false;
        for (const rawElement of (array as { elements: Value[] }).elements) {
          const elementValue = elementConvert && rawElement !== null ? (elementConvert as { convert: (v: Value, c: RuntimeContext) => Value }).convert(rawElement, c) : rawElement;
          const result = value === null || elementValue === null ? null : impl([value, elementValue], c);
          if (result === null) sawNull = true;
          else if (result === any) return any;
        }
        return sawNull ? null : !any;
      },
    };
  }

  private bindBoolExpr(body: AstBody, scope: Scope): Expr {
    const args = (body.args as AstBody[]).map((arg) => {
      const expr = this.bind(arg, scope);
      if (expr.type !== T.bool && expr.type !== UNKNOWN) {
        const opName = body.boolop === 'AND_EXPR' ? 'AND' : body.boolop === 'OR_EXPR' ? 'OR' : 'NOT';
        throw new SqlError(SqlState.datatypeMismatch, `argument of ${opName} must be type boolean, not type ${typeDisplayName(expr.type)}`, positionOf(nodeBody(arg)));
      }
      return this.coerce(expr, T.bool, -1, 'implicit', arg);
    });
    if (body.boolop === 'NOT_EXPR') return { kind: 'not', arg: args[0]!, type: T.bool, typmod: -1 };
    return { kind: body.boolop === 'AND_EXPR' ? 'and' : 'or', args, type: T.bool, typmod: -1 };
  }

  private bindTypeCast(body: AstBody, scope: Scope): Expr {
    const typeName = body.typeName;
    const names = nameList(typeName.names);
    const lower = names[names.length - 1]!.toLowerCase();
    const arg = this.bind(body.arg, scope);
    if (lower === 'regclass' || lower === 'regtype' || lower === 'regproc' || lower === 'regprocedure' || lower === 'regnamespace' || lower === 'regrole' || lower === 'regoper') {
      return this.bindRegCast(lower, arg, body);
    }
    const target = this.typeOf(typeName);
    return this.coerce(arg, target.oid, target.typmod, 'explicit', body);
  }

  /** TypeName node → OID and typmod. */
  typeOf(typeName: AstBody): { oid: number; typmod: number } {
    const names = nameList(typeName.names);
    const typmods = ((typeName.typmods ?? []) as AstBody[]).map((mod) => {
      const value = nodeBody(mod);
      if (value?.ival !== undefined) return value.ival.ival ?? 0;
      if (value?.sval !== undefined) return Number(value.sval.sval);
      return Number(stringValue(mod));
    });
    const bounds = (typeName.arrayBounds ?? []).length;
    return lookupTypeName(names, typmods, bounds, positionOf(typeName).position);
  }

  private bindRegCast(kind: string, arg: Expr, body: AstBody): Expr {
    const regOid = ({ regclass: 2205, regtype: 2206, regproc: 24, regprocedure: 2202, regnamespace: 4089, regrole: 4096, regoper: 2203 } as Record<string, number>)[kind]!;
    const resultType = maybeRegType(regOid) ? regOid : T.oid;
    if (arg.type === T.oid || arg.type === T.int4 || arg.type === T.int8 || arg.type === regOid || arg.type === 2205 || arg.type === 2206 || arg.type === 4089) {
      if (arg.kind === 'const') return { kind: 'const', value: arg.value === null ? null : Number(arg.value), type: resultType, typmod: -1 };
      return { kind: 'cast', arg, type: resultType, typmod: -1, convert: (value) => Number(value) };
    }
    const text = this.coerce(arg, T.text, -1, 'explicit', body);
    const catalogLookup = (value: Value, c: RuntimeContext): Value => {
      const name = String(value);
      if (/^\d+$/.test(name)) return Number(name);
      if (kind === 'regclass') return c.services.relationOid(name, false);
      if (kind === 'regtype') return lookupTypeName(name.replace(/"/g, '').split('.'), [], name.endsWith('[]') ? 1 : 0).oid;
      if (kind === 'regnamespace') {
        const schema = c.services.catalog().schema(c.services.databaseOid, name.replace(/"/g, ''));
        if (schema) return schema.oid;
        if (name === 'pg_catalog') return 11;
        throw new SqlError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
      }
      throw new SqlError(SqlState.featureNotSupported, `cast to ${kind} is not supported`);
    };
    if (text.kind === 'const' && text.value !== null && kind === 'regclass') {
      return { kind: 'cast', arg: text, type: resultType, typmod: -1, convert: catalogLookup };
    }
    if (text.kind === 'const' && text.value !== null && kind === 'regtype') {
      return { kind: 'const', value: catalogLookup(text.value, undefined as unknown as RuntimeContext), type: resultType, typmod: -1 };
    }
    return { kind: 'cast', arg: text, type: resultType, typmod: -1, convert: catalogLookup };
  }

  private bindFuncCall(body: AstBody, scope: Scope): Expr {
    const names = nameList(body.funcname);
    const name = names[names.length - 1]!.toLowerCase();
    const position = positionOf(body).position;
    if (names.length > 1 && names[0] !== 'pg_catalog' && names[0] !== 'information_schema') {
      throw new SqlError(SqlState.undefinedFunction, `function ${names.join('.')} does not exist`, positionOf(body));
    }
    if (body.over) return bindWindowCall(this, name, body, scope);
    checkWindowFunctionHasOver(name, body);
    if (body.agg_star || body.agg_distinct || body.agg_filter || body.agg_order || isAggregateName(name)) {
      if (!this.aggregates) {
        throw new SqlError(SqlState.groupingError, `aggregate functions are not allowed in ${this.aggregateClause ?? 'this context'}`, positionOf(body));
      }
      const collector = this.aggregates;
      // Aggregate arguments may not contain aggregates.
      this.aggregates = null;
      try {
        const call = bindAggregateCall(this, name, body, scope);
        collector.calls.push(call);
        return { kind: 'aggRef', index: collector.calls.length - 1, type: call.type, typmod: call.typmod };
      } finally {
        this.aggregates = collector;
      }
    }
    const args = ((body.args ?? []) as AstBody[]).map((arg) => this.bind(arg, scope));
    const special = sessionFunction(name, args, this, position);
    if (special) return special;
    try {
      return this.callFunction(name, args, position);
    } catch (error) {
      if (!(error instanceof SqlError && error.code === SqlState.undefinedFunction)) throw error;
      const fallback = fallbackFunction(name, args, this, position);
      if (fallback) return fallback;
      throw error;
    }
  }

  aggregateClause: string | undefined;

  callFunction(name: string, args: Expr[], position?: number): Expr {
    const resolved = resolveFunction(name, args.map((arg) => arg.type), position);
    const coerced = args.map((arg, i) => this.coerce(arg, resolved.argTypes[i]!, -1, 'implicit', undefined, position));
    const fn = resolved.fn;
    const argTypes = resolved.argTypes;
    return {
      kind: 'call', name, args: coerced, strict: fn.strict, volatile: fn.volatility !== 'immutable', type: resolved.result, typmod: -1,
      impl: (values, c) => fn.impl(values, c.functions, argTypes), returnsSet: fn.returnsSet === true,
    };
  }

  private bindCase(body: AstBody, scope: Scope): Expr {
    const operand = body.arg ? this.bind(body.arg, scope) : null;
    const whens = (body.args as AstBody[]).map((item) => {
      const when = item.CaseWhen;
      let condition: Expr;
      if (operand) condition = this.bindOperator('=', operand, this.bind(when.expr, scope), positionOf(when).position);
      else condition = this.bindCondition(when.expr, scope, 'CASE/WHEN');
      return { condition, result: this.bind(when.result, scope) };
    });
    const otherwise: Expr = body.defresult ? this.bind(body.defresult, scope) : { kind: 'const', value: null, type: UNKNOWN, typmod: -1 };
    const type = commonType([...whens.map((when) => when.result.type), otherwise.type], 'CASE', positionOf(body).position);
    return {
      kind: 'case', type, typmod: -1,
      whens: whens.map((when) => ({ condition: when.condition, result: this.coerce(when.result, type, -1, 'implicit', body) })),
      otherwise: this.coerce(otherwise, type, -1, 'implicit', body),
    };
  }

  private bindSubLink(body: AstBody, scope: Scope): Expr {
    const linkType: string = body.subLinkType;
    const { plan } = planSubquery(this.context, body.subselect, scope);
    if (linkType === 'EXISTS_SUBLINK') return { kind: 'subquery', mode: 'exists', plan, type: T.bool, typmod: -1 };
    if (linkType === 'EXPR_SUBLINK' || linkType === 'ARRAY_SUBLINK') {
      if (plan.columns.length !== 1) throw new SqlError(SqlState.syntaxError, 'subquery must return only one column', positionOf(body));
      const column = plan.columns[0]!;
      if (linkType === 'ARRAY_SUBLINK') {
        return { kind: 'subquery', mode: 'array', plan, type: getType(column.type).arrayOid, typmod: -1 };
      }
      return { kind: 'subquery', mode: 'scalar', plan, type: column.type, typmod: column.typmod };
    }
    if (linkType === 'ANY_SUBLINK' || linkType === 'ALL_SUBLINK') {
      const opName = body.operName ? nameList(body.operName).pop()! : '=';
      if (nodeKind(body.testexpr) === 'RowExpr' && plan.columns.length > 1) return bindRowSubLink(this, body, scope, plan, opName);
      const left = this.bind(body.testexpr, scope);
      if (plan.columns.length !== 1) throw new SqlError(SqlState.syntaxError, 'subquery has too many columns', positionOf(body));
      const column = plan.columns[0]!;
      const comparison = this.bindOperator(opName, left, { kind: 'const', value: null, type: column.type, typmod: -1 }, positionOf(body).position);
      if (comparison.kind !== 'call') throw new SqlError(SqlState.internalError, 'ANY needs an operator');
      const impl = comparison.impl;
      const rightCast = comparison.args[1]!;
      const convertRight = rightCast.kind === 'cast' ? rightCast.convert : null;
      return {
        kind: 'subquery', mode: linkType === 'ANY_SUBLINK' ? 'any' : 'all', plan, type: T.bool, typmod: -1, testArg: comparison.args[0]!,
        compare: (a, b, c) => impl([a, convertRight && b !== null ? convertRight(b, c) : b], c),
      };
    }
    throw new SqlError(SqlState.featureNotSupported, `subquery kind ${linkType} is not supported`, positionOf(body));
  }

  private bindArray(body: AstBody, scope: Scope): Expr {
    const elements = ((body.elements ?? []) as AstBody[]).map((element) => this.bind(element, scope));
    if (elements.length === 0) return { kind: 'const', value: { elements: [], dims: [], lowerBounds: [] }, type: UNKNOWN, typmod: -1 };
    const elementType = commonType(elements.map((element) => element.type), 'ARRAY', positionOf(body).position);
    const element = getType(elementType);
    const arrayType = element.element ? elementType : element.arrayOid;
    return {
      kind: 'array', elementType: element.element ? element.element.oid : elementType, type: arrayType, typmod: -1,
      elements: elements.map((item) => this.coerce(item, elementType, -1, 'implicit', body)),
    };
  }

  private bindSqlValueFunction(body: AstBody): Expr {
    const op: string = body.op;
    const typmod: number = body.typmod ?? -1;
    switch (op) {
      case 'SVFOP_CURRENT_TIMESTAMP':
      case 'SVFOP_CURRENT_TIMESTAMP_N':
        return { kind: 'call', name: 'now', args: [], strict: false, volatile: true, type: T.timestamptz, typmod, impl: (_a, c) => c.functions.transactionTimestamp };
      case 'SVFOP_LOCALTIMESTAMP':
      case 'SVFOP_LOCALTIMESTAMP_N':
      case 'SVFOP_CURRENT_DATE':
      case 'SVFOP_CURRENT_TIME':
      case 'SVFOP_CURRENT_TIME_N':
      case 'SVFOP_LOCALTIME':
      case 'SVFOP_LOCALTIME_N': {
        const now: Expr = { kind: 'call', name: 'now', args: [], strict: false, volatile: true, type: T.timestamptz, typmod: -1, impl: (_a, c) => c.functions.transactionTimestamp };
        const target = op.startsWith('SVFOP_CURRENT_DATE') ? T.date : op.startsWith('SVFOP_LOCALTIMESTAMP') ? T.timestamp : op.startsWith('SVFOP_CURRENT_TIME') ? T.timetz : T.time;
        return this.coerce(now, target, -1, 'explicit', body);
      }
      case 'SVFOP_CURRENT_USER':
      case 'SVFOP_CURRENT_ROLE':
      case 'SVFOP_USER':
      case 'SVFOP_SESSION_USER':
        return { kind: 'call', name: 'current_user', args: [], strict: false, volatile: false, type: T.name, typmod: -1, impl: (_a, c) => c.functions.session.user };
      case 'SVFOP_CURRENT_CATALOG':
        return { kind: 'call', name: 'current_catalog', args: [], strict: false, volatile: false, type: T.name, typmod: -1, impl: (_a, c) => c.functions.session.database };
      case 'SVFOP_CURRENT_SCHEMA':
        return sessionFunction('current_schema', [], this, undefined)!;
      default:
        throw new SqlError(SqlState.featureNotSupported, `${op} is not supported`);
    }
  }

  private bindIndirection(body: AstBody, scope: Scope): Expr {
    let expr = this.bind(body.arg, scope);
    for (const item of body.indirection as AstBody[]) {
      const kind = nodeKind(item);
      if (kind === 'A_Indices') {
        const indices = nodeBody(item);
        if (indices.is_slice) throw new SqlError(SqlState.featureNotSupported, 'array slices are not supported yet');
        const subscript = this.coerce(this.bind(indices.uidx, scope), T.int4, -1, 'implicit', indices);
        const element = getType(expr.type).element;
        if (!element) throw new SqlError(SqlState.datatypeMismatch, `cannot subscript type ${typeDisplayName(expr.type)} because it does not support subscripting`);
        expr = {
          kind: 'call', name: 'subscript', args: [expr, subscript], strict: true, volatile: false, type: element.oid, typmod: -1,
          impl: ([array, index]) => {
            const a = array as { elements: Value[]; dims: number[]; lowerBounds: number[] };
            if (a.dims.length !== 1) return null;
            const offset = (index as number) - (a.lowerBounds[0] ?? 1);
            return offset >= 0 && offset < a.elements.length ? (a.elements[offset] ?? null) : null;
          },
        };
      } else if (kind === 'String' && expr.kind === 'row') {
        throw new SqlError(SqlState.featureNotSupported, 'field selection is not supported yet');
      } else {
        throw new SqlError(SqlState.featureNotSupported, 'indirection is not supported yet');
      }
    }
    return expr;
  }

  /**
   * Coerces to a target type: unknown literals are parsed now (errors carry their position),
   * untyped parameters take the type, others go through the cast registry.
   */
  coerce(expr: Expr, type: number, typmod: number, context: CastContext, node?: AstBody, position?: number): Expr {
    const pos = position ?? (node ? positionOf(nodeBody(node) ?? node).position : undefined);
    if (type === 0 || type === UNKNOWN) return expr;
    if (expr.type === type && (typmod < 0 || expr.typmod === typmod)) return expr;
    if (expr.kind === 'param' && expr.type === UNKNOWN) {
      this.context.paramTypes[expr.index] = type;
      return { ...expr, type, typmod: -1 };
    }
    const target = getType(type);
    if (expr.kind === 'const' && expr.type === UNKNOWN) {
      if (expr.value === null) return { kind: 'const', value: null, type, typmod };
      if (typeof expr.value !== 'string') {
        return { kind: 'const', value: expr.value, type, typmod };
      }
      try {
        let value = target.parseText(expr.value, -1, this.context.settings);
        if (typmod >= 0) value = target.applyTypmod(value, typmod, context === 'explicit');
        return { kind: 'const', value, type, typmod };
      } catch (error) {
        const literalAt = (expr as { location?: number }).location;
        const at = literalAt !== undefined ? literalAt + 1 : pos;
        if (error instanceof SqlError && error.position === undefined && at !== undefined) error.position = at;
        throw error;
      }
    }
    if (expr.type === type) {
      return { kind: 'cast', arg: expr, type, typmod, convert: (value) => target.applyTypmod(value, typmod, context === 'explicit') };
    }
    if (expr.type === UNKNOWN) {
      // A non-constant unknown (e.g. a CASE of literals): convert through text at run time.
      return { kind: 'cast', arg: expr, type, typmod, convert: (value, c) => target.parseText(String(value), typmod, c.functions.settings) };
    }
    if (!canCoerce(expr.type, type, context)) {
      const message = context === 'explicit'
        ? `cannot cast type ${typeDisplayName(expr.type)} to ${typeDisplayName(type)}`
        : `column is of type ${typeDisplayName(type)} but expression is of type ${typeDisplayName(expr.type)}`;
      throw new SqlError(context === 'explicit' ? SqlState.cannotCoerce : SqlState.datatypeMismatch, message, pos !== undefined ? { position: pos } : {});
    }
    const cast = findCast(expr.type, type)!;
    const explicit = context === 'explicit';
    const convert = (value: Value, c: RuntimeContext) => cast.convert(value, typmod, c.functions.settings, explicit);
    if (expr.kind === 'const' && expr.value !== null) {
      // Fold constant casts now (immutable), keeping run-time errors for run time.
      try {
        const folded = cast.convert(expr.value, typmod, this.context.settings, explicit);
        return { kind: 'const', value: folded, type, typmod };
      } catch {
        // fall through: report at execution
      }
    }
    if (expr.kind === 'const' && expr.value === null) return { kind: 'const', value: null, type, typmod };
    return { kind: 'cast', arg: expr, type, typmod, convert };
  }
}

function locationOf(body: AstBody): { location?: number } {
  return typeof body.location === 'number' ? { location: body.location } : {};
}

function findItem(scope: Scope, name: string): boolean {
  for (let current: Scope | null = scope; current; current = current.parent) if (current.item(name)) return true;
  return false;
}

function maybeRegType(oid: number): boolean {
  try {
    getType(oid);
    return true;
  } catch {
    return false;
  }
}
