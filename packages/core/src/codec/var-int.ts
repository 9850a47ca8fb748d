/**
 * Facts about Slice2's variable-length integers (varuint62, varint62 and their 32-bit range-checked forms), shared by
 * the encoder and the decoder.
 *
 * A variable-length integer occupies 1, 2, 4 or 8 bytes, little-endian; the 2 low bits of the first byte give the
 * width (00 → 1, 01 → 2, 10 → 4, 11 → 8) and the value is stored shifted left by 2.
 */

/** The number of bytes a variable-length integer occupies on the wire. */
export type VarIntWidth = 1 | 2 | 4 | 8;

/** The largest varuint62: 2^62 − 1. */
export const VAR_UINT62_MAX = (1n << 62n) - 1n;

/** The smallest varint62: −2^61. */
export const VAR_INT62_MIN = -(1n << 61n);

/** The largest varint62: 2^61 − 1. */
export const VAR_INT62_MAX = (1n << 61n) - 1n;

/** The largest value a Slice size may have (C#'s `int.MaxValue`). */
export const MAX_SIZE = 0x7fff_ffff;

/** The largest varuint62 that fits in 1, 2 and 4 bytes; anything larger (up to 2^62 − 1) takes 8 bytes. */
const ONE_BYTE_UNSIGNED_MAX = 0x3f;
const TWO_BYTE_UNSIGNED_MAX = 0x3fff;
const FOUR_BYTE_UNSIGNED_MAX = 0x3fff_ffff;

/** Half-ranges of varint62 for 1, 2 and 4 bytes: the value fits when −bound ≤ value < bound. */
const ONE_BYTE_SIGNED_BOUND = 0x20;
const TWO_BYTE_SIGNED_BOUND = 0x2000;
const FOUR_BYTE_SIGNED_BOUND = 0x2000_0000;

/** The minimal number of bytes needed to encode `value` as a varuint62 (C#'s `GetVarUInt62EncodedSize`). */
export function varUInt62EncodedSize(value: number | bigint): VarIntWidth {
  if (typeof value === "bigint") {
    checkVarUInt62BigInt(value);
    return value <= BigInt(FOUR_BYTE_UNSIGNED_MAX) ? varUInt62EncodedSize(Number(value)) : 8;
  }
  checkVarUInt62Number(value);
  return value <= ONE_BYTE_UNSIGNED_MAX
    ? 1
    : value <= TWO_BYTE_UNSIGNED_MAX
      ? 2
      : value <= FOUR_BYTE_UNSIGNED_MAX
        ? 4
        : 8;
}

/** The minimal number of bytes needed to encode `value` as a varint62 (C#'s `GetVarInt62EncodedSize`). */
export function varInt62EncodedSize(value: number | bigint): VarIntWidth {
  if (typeof value === "bigint") {
    checkVarInt62BigInt(value);
    const fitsInFourBytes = value >= -BigInt(FOUR_BYTE_SIGNED_BOUND) && value < BigInt(FOUR_BYTE_SIGNED_BOUND);
    return fitsInFourBytes ? varInt62EncodedSize(Number(value)) : 8;
  }
  checkSafeInteger(value, "varint62");
  return value >= -ONE_BYTE_SIGNED_BOUND && value < ONE_BYTE_SIGNED_BOUND
    ? 1
    : value >= -TWO_BYTE_SIGNED_BOUND && value < TWO_BYTE_SIGNED_BOUND
      ? 2
      : value >= -FOUR_BYTE_SIGNED_BOUND && value < FOUR_BYTE_SIGNED_BOUND
        ? 4
        : 8;
}

/** The width announced by the low 2 bits of a variable-length integer's first byte. */
export function widthFromFirstByte(firstByte: number): VarIntWidth {
  return (1 << (firstByte & 0x03)) as VarIntWidth;
}

/** Throws a RangeError unless `width` is 1, 2, 4 or 8 (callers may be plain JavaScript). */
export function checkWidth(width: number): asserts width is VarIntWidth {
  if (width !== 1 && width !== 2 && width !== 4 && width !== 8) {
    throw new RangeError(`A variable-length integer is 1, 2, 4 or 8 bytes wide, not ${width}.`);
  }
}

export function checkSafeInteger(value: number, typeName: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `Cannot encode ${value} as a ${typeName}: a number must be a safe integer (pass a bigint for larger values).`,
    );
  }
}

function checkVarUInt62Number(value: number): void {
  checkSafeInteger(value, "varuint62");
  if (value < 0) {
    throw new RangeError(`Cannot encode ${value} as a varuint62: the value must not be negative.`);
  }
}

function checkVarUInt62BigInt(value: bigint): void {
  if (value < 0n || value > VAR_UINT62_MAX) {
    throw new RangeError(`Cannot encode ${value} as a varuint62: the value must be in 0..2^62-1.`);
  }
}

function checkVarInt62BigInt(value: bigint): void {
  if (value < VAR_INT62_MIN || value > VAR_INT62_MAX) {
    throw new RangeError(`Cannot encode ${value} as a varint62: the value must be in -2^61..2^61-1.`);
  }
}
