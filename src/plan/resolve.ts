// PostgreSQL's overload resolution for operators and functions ("Type Conversion" chapter):
// exact match; then candidates reachable by implicit casts ranked by exact matches, preferred
// types and unknown-literal categories; polymorphic pseudo-types unify to one element type.
import { PseudoType, functionCandidates, operatorCandidates, type BuiltinFunction, type BuiltinOperator } from '../types/functions/api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { canCoerce, getType, isPreferred, maybeType, typeCategory, T, UNKNOWN } from './type-access.js';

const polymorphic = new Set<number>([
  PseudoType.anyelement, PseudoType.anyarray, PseudoType.anynonarray,
  PseudoType.anycompatible, PseudoType.anycompatiblearray,
]);

function isArrayType(oid: number): boolean {
  return maybeType(oid)?.element !== undefined;
}

/** Can an argument of type `actual` be passed where `declared` is expected (implicitly)? */
function accepts(declared: number, actual: number): boolean {
  if (declared === actual) return true;
  if (declared === PseudoType.any) return true;
  if (actual === UNKNOWN) return true;
  if (declared === PseudoType.anyarray || declared === PseudoType.anycompatiblearray) return isArrayType(actual);
  if (declared === PseudoType.anynonarray) return !isArrayType(actual);
  if (declared === PseudoType.anyelement || declared === PseudoType.anycompatible) return true;
  if (declared === PseudoType.record) return true;
  return canCoerce(actual, declared, 'implicit');
}

/** Resolves the concrete types for polymorphic positions; unknown-only → text. */
export function resolvePolymorphic(declared: readonly number[], actual: readonly number[]): number[] {
  let element: number | undefined;
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i]!;
    const a = actual[i]!;
    if (a === UNKNOWN) continue;
    if (d === PseudoType.anyelement || d === PseudoType.anynonarray || d === PseudoType.anycompatible) element ??= a;
    else if (d === PseudoType.anyarray || d === PseudoType.anycompatiblearray) element ??= maybeType(a)?.element?.oid;
  }
  element ??= T.text;
  const arrayOid = maybeType(element)?.arrayOid ?? 0;
  return declared.map((d, i) => {
    if (d === PseudoType.anyelement || d === PseudoType.anynonarray || d === PseudoType.anycompatible) return element!;
    if (d === PseudoType.anyarray || d === PseudoType.anycompatiblearray) return arrayOid;
    if (d === PseudoType.any) return actual[i] === UNKNOWN ? T.text : actual[i]!;
    return d;
  });
}

interface Candidate<C> {
  item: C;
  declared: number[];
}

function choose<C>(candidates: Candidate<C>[], actual: number[]): Candidate<C> | 'ambiguous' | undefined {
  // 1. exact match (unknowns count as matching nothing yet)
  const exact = candidates.filter((candidate) => candidate.declared.every((d, i) => d === actual[i]));
  if (exact.length >= 1) return exact[0];
  // Unknown against a known type: PostgreSQL first tries both sides as the known type.
  const known = actual.filter((oid) => oid !== UNKNOWN);
  if (known.length > 0 && known.every((oid) => oid === known[0])) {
    const assumed = actual.map((oid) => (oid === UNKNOWN ? known[0]! : oid));
    const match = candidates.find((candidate) => candidate.declared.every((d, i) => d === assumed[i]));
    if (match) return match;
  }
  let viable = candidates.filter((candidate) => candidate.declared.every((d, i) => accepts(d, actual[i]!)));
  if (viable.length <= 1) return viable[0];
  // 2. most exact matches
  const score = (candidate: Candidate<C>) => candidate.declared.filter((d, i) => d === actual[i]).length;
  const best = Math.max(...viable.map(score));
  viable = viable.filter((candidate) => score(candidate) === best);
  if (viable.length === 1) return viable[0];
  // 3. most preferred types at positions needing coercion
  const preferredScore = (candidate: Candidate<C>) =>
    candidate.declared.filter((d, i) => d !== actual[i] && isPreferred(d)).length;
  const bestPreferred = Math.max(...viable.map(preferredScore));
  viable = viable.filter((candidate) => preferredScore(candidate) === bestPreferred);
  if (viable.length === 1) return viable[0];
  // 4. unknown positions: prefer string category if any candidate takes it, else a single category
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== UNKNOWN) continue;
    const categories = new Set(viable.map((candidate) => typeCategory(candidate.declared[i]!)));
    let category: string | undefined;
    if (categories.has('S')) category = 'S';
    else if (categories.size === 1) category = [...categories][0];
    if (category === undefined) continue;
    const inCategory = viable.filter((candidate) => typeCategory(candidate.declared[i]!) === category);
    const preferred = inCategory.filter((candidate) => isPreferred(candidate.declared[i]!));
    viable = preferred.length > 0 ? preferred : inCategory;
  }
  if (viable.length === 1) return viable[0];
  // 5. all known args of one type: take candidates accepting it at the unknown positions
  if (known.length > 0 && known.every((oid) => oid === known[0])) {
    const narrowed = viable.filter((candidate) => candidate.declared.every((d, i) => actual[i] !== UNKNOWN || accepts(d, known[0]!)));
    if (narrowed.length === 1) return narrowed[0];
  }
  // Polymorphic candidates last: prefer non-polymorphic ones.
  const concrete = viable.filter((candidate) => !candidate.declared.some((d) => polymorphic.has(d)));
  if (concrete.length === 1) return concrete[0];
  // Among polymorphic ones, prefer those whose array pseudo-types meet arrays (array_cat over
  // array_append for text[] || text[]).
  const sameKnown = known.length > 0 && known.every((oid) => oid === known[0]);
  const assumed = actual.map((oid) => (oid === UNKNOWN && sameKnown ? known[0]! : oid));
  const arrayFit = (candidate: Candidate<C>) => candidate.declared.filter((d, i) =>
    (d === PseudoType.anyarray || d === PseudoType.anycompatiblearray) && assumed[i] !== UNKNOWN && isArrayType(assumed[i]!)).length;
  const bestFit = Math.max(...viable.map(arrayFit));
  const fitted = viable.filter((candidate) => arrayFit(candidate) === bestFit);
  if (fitted.length === 1) return fitted[0];
  return viable.length === 0 ? undefined : 'ambiguous';
}

export function typeDisplayName(oid: number): string {
  if (oid === UNKNOWN) return 'unknown';
  const names: Record<number, string> = {
    16: 'boolean', 20: 'bigint', 21: 'smallint', 23: 'integer', 25: 'text', 700: 'real', 701: 'double precision',
    1042: 'character', 1043: 'character varying', 1082: 'date', 1083: 'time without time zone',
    1114: 'timestamp without time zone', 1184: 'timestamp with time zone', 1186: 'interval', 1700: 'numeric',
    1266: 'time with time zone',
  };
  if (names[oid]) return names[oid]!;
  const type = maybeType(oid);
  if (!type) return String(oid);
  if (type.element) return `${typeDisplayName(type.element.oid)}[]`;
  return type.name;
}

export interface ResolvedOperator {
  operator: BuiltinOperator;
  left: number;
  right: number;
  result: number;
}

export function resolveOperator(name: string, left: number | null, right: number, position?: number): ResolvedOperator {
  const candidates: Candidate<BuiltinOperator>[] = [];
  for (const operator of operatorCandidates(name)) {
    const prefix = operator.left === 0;
    if (prefix !== (left === null)) continue;
    candidates.push({ item: operator, declared: prefix ? [operator.right] : [operator.left, operator.right] });
  }
  const actual = left === null ? [right] : [left, right];
  const chosen = choose(candidates, actual);
  if (chosen === undefined || chosen === 'ambiguous') {
    const shown = left === null ? `${name} ${typeDisplayName(right)}` : `${typeDisplayName(left)} ${name} ${typeDisplayName(right)}`;
    const ambiguous = chosen === 'ambiguous';
    throw new SqlError(ambiguous ? SqlState.ambiguousFunction : SqlState.undefinedFunction,
      `operator ${ambiguous ? 'is not unique' : 'does not exist'}: ${shown}`, {
        ...(position !== undefined ? { position } : {}),
        hint: ambiguous
          ? 'Could not choose a best candidate operator. You might need to add explicit type casts.'
          : 'No operator matches the given name and argument types. You might need to add explicit type casts.',
      });
  }
  const operator = chosen.item;
  const declared = resolvePolymorphic(chosen.declared, actual);
  const l = left === null ? 0 : declared[0]!;
  const r = declared[declared.length - 1]!;
  const result = typeof operator.result === 'function' ? operator.result(l, r) : operator.result;
  return { operator, left: l, right: r, result };
}

export interface ResolvedFunction {
  fn: BuiltinFunction;
  /** Argument types after resolution (what each argument must be coerced to). */
  argTypes: number[];
  result: number;
}

export function resolveFunction(name: string, actual: number[], position?: number): ResolvedFunction {
  const candidates: Candidate<BuiltinFunction>[] = [];
  for (const fn of functionCandidates(name)) {
    if (fn.variadic !== undefined) {
      const fixed = fn.argTypes.length - 1;
      if (actual.length < fixed) continue;
      const declared = [...fn.argTypes.slice(0, fixed)];
      while (declared.length < actual.length) declared.push(fn.variadic);
      candidates.push({ item: fn, declared });
    } else if (fn.argTypes.length === actual.length) {
      candidates.push({ item: fn, declared: [...fn.argTypes] });
    }
  }
  const chosen = choose(candidates, actual);
  if (chosen === undefined || chosen === 'ambiguous') {
    const shown = `${name}(${actual.map(typeDisplayName).join(', ')})`;
    const ambiguous = chosen === 'ambiguous';
    throw new SqlError(ambiguous ? SqlState.ambiguousFunction : SqlState.undefinedFunction,
      `function ${shown} ${ambiguous ? 'is not unique' : 'does not exist'}`, {
        ...(position !== undefined ? { position } : {}),
        hint: ambiguous
          ? 'Could not choose a best candidate function. You might need to add explicit type casts.'
          : 'No function matches the given name and argument types. You might need to add explicit type casts.',
      });
  }
  const argTypes = resolvePolymorphic(chosen.declared, actual);
  const fn = chosen.item;
  const result = typeof fn.returnType === 'function' ? fn.returnType(argTypes) : fn.returnType;
  return { fn, argTypes, result: result === PseudoType.anyelement ? argTypes[0] ?? T.text : result };
}

/** The common type of CASE/COALESCE/UNION/VALUES branches (PostgreSQL's select_common_type). */
export function commonType(typesIn: number[], context: string, position?: number): number {
  const known = typesIn.filter((oid) => oid !== UNKNOWN);
  if (known.length === 0) return T.text;
  let chosen = known[0]!;
  for (const next of known.slice(1)) {
    if (next === chosen) continue;
    if (typeCategory(next) !== typeCategory(chosen)) {
      throw new SqlError(SqlState.datatypeMismatch, `${context} types ${typeDisplayName(chosen)} and ${typeDisplayName(next)} cannot be matched`,
        position !== undefined ? { position } : {});
    }
    if (!isPreferred(chosen) && canCoerce(chosen, next, 'implicit') && !canCoerce(next, chosen, 'implicit')) chosen = next;
  }
  for (const oid of known) {
    if (!canCoerce(oid, chosen, 'implicit')) {
      throw new SqlError(SqlState.datatypeMismatch, `${context} types ${typeDisplayName(chosen)} and ${typeDisplayName(oid)} cannot be matched`,
        position !== undefined ? { position } : {});
    }
  }
  void getType;
  return chosen;
}
