// 32-bit hashes consistent with compare() === 0: equal numbers hash equal whatever their type
// (int4 1, int8 1n, numeric 1.00), so hash joins across integer widths work.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function hashBytes(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let hash = seed;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
  return hash >>> 0;
}

export function hashString(text: string, seed = FNV_OFFSET): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

function mix32(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const scratch = new DataView(new ArrayBuffer(8));

/** Hash of any numeric value; integral values hash by their integer value. */
export function hashNumber(value: number): number {
  if (Number.isNaN(value)) return 0x7ff80000;
  if (value === 0) return mix32(0);
  if (Number.isSafeInteger(value)) return mix32((value % 0x100000000) ^ mix32(Math.floor(value / 0x100000000)));
  scratch.setFloat64(0, value);
  return mix32(scratch.getInt32(0) ^ mix32(scratch.getInt32(4)));
}

export function hashBigInt(value: bigint): number {
  if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return hashNumber(Number(value));
  return hashString(value.toString());
}

export function combineHashes(a: number, b: number): number {
  return mix32(Math.imul(a, 31) + b);
}
