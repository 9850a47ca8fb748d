import type { VarIntWidth } from "@icerpc-ts/core/codec";

// The varuint62 of Slice2 on the hot path of stream frames, without an encoder object: (value << 2) | widthCode,
// little-endian on 1, 2, 4 or 8 bytes. Values here are frame sizes and stream ids, safe integers.

/** The width announced by the first byte of a varuint62. */
export function varUInt62Width(firstByte: number): VarIntWidth {
  return (1 << (firstByte & 0x03)) as VarIntWidth;
}

/** The fewest bytes `value` (a non-negative safe integer) takes. */
export function minimalWidth(value: number): VarIntWidth {
  return value < 0x40 ? 1 : value < 0x4000 ? 2 : value < 0x4000_0000 ? 4 : 8;
}

/** Writes `value` at `offset` on exactly `width` bytes; the caller checked that it fits. */
export function writeVarUInt62(bytes: Uint8Array, offset: number, value: number, width: VarIntWidth): void {
  const code = width === 1 ? 0 : width === 2 ? 1 : width === 4 ? 2 : 3;
  // The low 30 bits go through 32-bit integer arithmetic; the rest (8-byte form only) through division.
  const low = ((value % 0x4000_0000) << 2) | code;
  bytes[offset] = low & 0xff;
  if (width === 1) {
    return;
  }
  bytes[offset + 1] = (low >>> 8) & 0xff;
  if (width === 2) {
    return;
  }
  bytes[offset + 2] = (low >>> 16) & 0xff;
  bytes[offset + 3] = (low >>> 24) & 0xff;
  if (width === 4) {
    return;
  }
  let high = Math.floor(value / 0x4000_0000);
  for (let i = 4; i < 8; ++i) {
    bytes[offset + i] = high & 0xff;
    high = Math.floor(high / 256);
  }
}

/**
 * Reads the varuint62 at `offset`, whose bytes the caller knows are there, over-long encodings included. Returns a
 * number; a value too large to be exact comes back as Infinity, which every bound check then rejects.
 */
export function readVarUInt62(bytes: Uint8Array, offset: number): number {
  const width = varUInt62Width(bytes[offset]!);
  let encoded = 0;
  for (let i = width - 1; i >= 0; --i) {
    encoded = encoded * 256 + bytes[offset + i]!;
  }
  return encoded > Number.MAX_SAFE_INTEGER ? Infinity : Math.floor(encoded / 4);
}
