// PostgreSQL's check_generic_type_consistency for the polymorphic pseudo-types, so the binder
// can drop candidates whose any* arguments do not agree (e.g. text[] || text[] is array_cat,
// not array_append with anycompatible = text[]). Also the resolved concrete types.
import { TypeOid } from './oids.js';
import { PseudoType } from './functions/api.js';
import { findCast } from './casts.js';
import { typeByOid } from './registry.js';

const { anyelement, anyarray, anynonarray, anycompatible, anycompatiblearray } = PseudoType;

function elementOf(oid: number): number | undefined {
  return typeByOid(oid)?.element?.oid;
}

/** select_common_type, simplified: a type every other one casts to implicitly (same category). */
export function commonType(types: readonly number[]): number | undefined {
  const distinct = [...new Set(types)];
  if (distinct.length <= 1) return distinct[0];
  const category = (oid: number) => typeByOid(oid)?.category;
  if (distinct.some((oid) => category(oid) !== category(distinct[0]!))) return undefined;
  const target =
    distinct.find((candidate) => typeByOid(candidate)?.preferred && distinct.every((oid) => oid === candidate || findCast(oid, candidate)?.context === 'implicit')) ??
    distinct.find((candidate) => distinct.every((oid) => oid === candidate || findCast(oid, candidate)?.context === 'implicit'));
  return target;
}

/**
 * Whether actual argument types fit a signature's polymorphic positions consistently
 * (unknown literals, OID 705, fit anything). Non-polymorphic positions are not checked.
 */
export function polymorphicArgumentsConsistent(declared: readonly number[], actual: readonly number[]): boolean {
  let element: number | undefined;
  const compatible: number[] = [];
  let nonArrayRequired = false;
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i]!;
    const a = actual[i]!;
    if (a === TypeOid.unknown) {
      if (d === anynonarray) nonArrayRequired = true;
      continue;
    }
    if (d === anyelement || d === anynonarray) {
      if (d === anynonarray) nonArrayRequired = true;
      if (element !== undefined && element !== a) return false;
      element = a;
    } else if (d === anyarray) {
      const e = elementOf(a);
      if (e === undefined) return false;
      if (element !== undefined && element !== e) return false;
      element = e;
    } else if (d === anycompatible) {
      compatible.push(a);
    } else if (d === anycompatiblearray) {
      const e = elementOf(a);
      if (e === undefined) return false;
      compatible.push(e);
    }
  }
  if (nonArrayRequired && element !== undefined && elementOf(element) !== undefined) return false;
  if (compatible.length > 0 && commonType(compatible) === undefined) return false;
  return true;
}
