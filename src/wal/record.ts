// WAL record framing: u32 payload length | u32 crc32c(lsn + payload) | u64 lsn | payload.
// The LSN is the record's byte position in the endless log, so a stale or misplaced record
// (left from a truncated tail) never checks out.
import { crc32c } from '@node-rs/crc32';

export const recordHeaderBytes = 16;
const twoTo32 = 0x1_0000_0000;

export function writeRecordHeader(target: Buffer, at: number, lsn: number, payloadLength: number): void {
  target.writeUInt32LE(payloadLength, at);
  target.writeUInt32LE(lsn % twoTo32, at + 8);
  target.writeUInt32LE(Math.floor(lsn / twoTo32), at + 12);
  target.writeUInt32LE(crc32c(target.subarray(at + 8, at + recordHeaderBytes + payloadLength)), at + 4);
}

export type RecordCheck = { ok: true; payloadLength: number } | { ok: false; why: string };

/** Validates the record at `at` (expected at `lsn`). */
export function checkRecord(source: Buffer, at: number, lsn: number, payloadBytesMax: number): RecordCheck {
  if (at + recordHeaderBytes > source.length) return { ok: false, why: 'truncated header' };
  const payloadLength = source.readUInt32LE(at);
  if (payloadLength === 0 || payloadLength > payloadBytesMax) return { ok: false, why: `implausible length ${payloadLength}` };
  if (at + recordHeaderBytes + payloadLength > source.length) return { ok: false, why: 'truncated payload' };
  const storedLsn = source.readUInt32LE(at + 8) + source.readUInt32LE(at + 12) * twoTo32;
  if (storedLsn !== lsn) return { ok: false, why: `record names LSN ${storedLsn}` };
  if (source.readUInt32LE(at + 4) !== crc32c(source.subarray(at + 8, at + recordHeaderBytes + payloadLength))) return { ok: false, why: 'checksum mismatch' };
  return { ok: true, payloadLength };
}
