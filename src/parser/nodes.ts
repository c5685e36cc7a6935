// Typed accessors over libpg-query's JSON (each node is `{ Kind: body }`; fields equal to their
// default — false, 0, empty — are omitted, so readers supply the defaults here).
import type { Node } from 'libpg-query';
export type { Node } from 'libpg-query';
export type * as PgAst from 'libpg-query';

/** A node body read loosely; the binder checks shapes as it goes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstBody = any;

export function nodeKind(node: Node | AstBody): string {
  for (const key in node) return key;
  return '';
}

export function nodeBody(node: Node | AstBody): AstBody {
  for (const key in node) return (node as Record<string, unknown>)[key];
  return undefined;
}

/** `{ String: { sval } }` → the string ('' when omitted). */
export function stringValue(node: AstBody): string {
  if (node === undefined || node === null) return '';
  if ('String' in node) return node.String.sval ?? '';
  if ('sval' in node) return node.sval ?? '';
  if ('A_Star' in node) return '*';
  return '';
}

/** A list of String nodes → their values. */
export function nameList(nodes: AstBody[] | undefined): string[] {
  return (nodes ?? []).map(stringValue);
}

/** An Integer node's value (omitted ival means 0). */
export function integerValue(node: AstBody): number {
  if ('Integer' in node) return node.Integer.ival ?? 0;
  return node.ival ?? 0;
}

export function location(body: AstBody): number | undefined {
  const value = body?.location;
  return typeof value === 'number' && value >= 0 ? value : undefined;
}

/** The 1-based ErrorResponse position for a node's 0-based character location. */
export function positionOf(body: AstBody): { position?: number } {
  const at = location(body);
  return at === undefined ? {} : { position: at + 1 };
}

/** DefElem list → map of lower-case name → argument node. */
export function defElems(list: AstBody[] | undefined): Map<string, AstBody> {
  const map = new Map<string, AstBody>();
  for (const item of list ?? []) {
    const def = item.DefElem ?? item;
    map.set(String(def.defname).toLowerCase(), def.arg);
  }
  return map;
}
