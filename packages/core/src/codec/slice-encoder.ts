import { byteRange } from "@icerpc-ts/primitives";
import {
  MAX_SIZE,
  type VarIntWidth,
  checkSafeInteger,
  checkWidth,
  varInt62EncodedSize,
  varUInt62EncodedSize,
} from "./var-int.js";

/**
 * How the encoder chooses the width of a string's size prefix.
 * - `"minimal"`: the fewest bytes that hold the actual UTF-8 length.
 * - `"fromMaxUtf8Length"`: the width that holds `(utf16Length + 1) * 3`, the UTF-8 length bound IceRPC C# reserves
 *   before encoding (so a string of 21 or more UTF-16 code units always gets at least a 2-byte size). Use it to
 *   reproduce C#'s bytes exactly; decoders accept both.
 */
export type StringSizeEncoding = "minimal" | "fromMaxUtf8Length";

export interface SliceEncoderOptions {
  /** The initial buffer size in bytes; the buffer doubles when full. Defaults to 64. */
  initialCapacity?: number;
  /** Defaults to `"minimal"`. */
  stringSizeEncoding?: StringSizeEncoding;
}

/** Bytes reserved by {@link SliceEncoder.reserveVarUInt62}, filled later by {@link SliceEncoder.fillVarUInt62}. */
export interface VarUInt62Placeholder {
  /** Where the reserved bytes start in the encoded output. */
  readonly offset: number;
  readonly width: VarIntWidth;
}

/** Encodes a value of type `T` with `encoder`; used for the elements of sequences and dictionaries. */
export type EncodeElement<T> = (encoder: SliceEncoder, value: T) => void;

const DEFAULT_INITIAL_CAPACITY = 64;
const TWO_TO_THE_30 = 0x4000_0000;
// A UTF-16 code unit never takes more than 3 UTF-8 bytes (a surrogate pair, 2 units, takes 4).
const MAX_UTF8_BYTES_PER_UTF16_UNIT = 3;

// Below this many UTF-16 code units, an ASCII string is copied by hand rather than with TextEncoder.
const SHORT_STRING_LENGTH = 48;

const utf8Encoder = new TextEncoder();

/**
 * Writes Slice2-encoded values into a growable byte buffer. Call {@link finish} to get the bytes.
 *
 * Values out of range for their type throw a RangeError (the encoder never wraps silently).
 */
export class SliceEncoder {
  #bytes: Uint8Array;
  /** Created on first use, for the fixed-size numeric types only (a DataView moves a small array off V8's heap). */
  #view: DataView | undefined;
  #length = 0;
  readonly #stringSizeEncoding: StringSizeEncoding;

  constructor(options: SliceEncoderOptions = {}) {
    const capacity = options.initialCapacity ?? DEFAULT_INITIAL_CAPACITY;
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`The initial capacity must be a positive integer, not ${capacity}.`);
    }
    this.#bytes = new Uint8Array(capacity);
    this.#stringSizeEncoding = options.stringSizeEncoding ?? "minimal";
  }

  /** The number of bytes encoded so far. */
  get length(): number {
    return this.#length;
  }

  /**
   * The bytes encoded so far: up to 64 bytes, a copy; beyond, a view of the encoder's buffer (no copy), in which
   * later writes may be visible or, if the buffer grows, not. Fill every placeholder before calling it.
   */
  finish(): Uint8Array {
    return byteRange(this.#bytes, 0, this.#length);
  }

  encodeBool(value: boolean): void {
    this.#ensure(1);
    this.#bytes[this.#length++] = value ? 1 : 0;
  }

  encodeUInt8(value: number): void {
    checkIntegerRange(value, 0, 0xff, "uint8");
    this.#ensure(1);
    this.#bytes[this.#length++] = value;
  }

  encodeInt8(value: number): void {
    checkIntegerRange(value, -0x80, 0x7f, "int8");
    this.#ensure(1);
    this.#dataView().setInt8(this.#length++, value);
  }

  encodeInt16(value: number): void {
    checkIntegerRange(value, -0x8000, 0x7fff, "int16");
    this.#ensure(2);
    this.#dataView().setInt16(this.#length, value, true);
    this.#length += 2;
  }

  encodeUInt16(value: number): void {
    checkIntegerRange(value, 0, 0xffff, "uint16");
    this.#ensure(2);
    this.#dataView().setUint16(this.#length, value, true);
    this.#length += 2;
  }

  encodeInt32(value: number): void {
    checkIntegerRange(value, -0x8000_0000, 0x7fff_ffff, "int32");
    this.#ensure(4);
    this.#dataView().setInt32(this.#length, value, true);
    this.#length += 4;
  }

  encodeUInt32(value: number): void {
    checkIntegerRange(value, 0, 0xffff_ffff, "uint32");
    this.#ensure(4);
    this.#dataView().setUint32(this.#length, value, true);
    this.#length += 4;
  }

  encodeInt64(value: bigint): void {
    if (BigInt.asIntN(64, value) !== value) {
      throw new RangeError(`Cannot encode ${value} as an int64: the value must be in -2^63..2^63-1.`);
    }
    this.#ensure(8);
    this.#dataView().setBigInt64(this.#length, value, true);
    this.#length += 8;
  }

  encodeUInt64(value: bigint): void {
    if (BigInt.asUintN(64, value) !== value) {
      throw new RangeError(`Cannot encode ${value} as a uint64: the value must be in 0..2^64-1.`);
    }
    this.#ensure(8);
    this.#dataView().setBigUint64(this.#length, value, true);
    this.#length += 8;
  }

  encodeFloat32(value: number): void {
    this.#ensure(4);
    this.#dataView().setFloat32(this.#length, value, true);
    this.#length += 4;
  }

  encodeFloat64(value: number): void {
    this.#ensure(8);
    this.#dataView().setFloat64(this.#length, value, true);
    this.#length += 8;
  }

  /**
   * Encodes a varuint62 (0..2^62−1) on the fewest bytes, or on exactly `width` bytes (a RangeError when the value
   * does not fit). A `number` must be a safe integer; pass a `bigint` for larger values.
   */
  encodeVarUInt62(value: number | bigint, width?: VarIntWidth): void {
    const actualWidth = resolveWidth(width, varUInt62EncodedSize(value), value, "varuint62");
    this.#ensure(actualWidth);
    this.#writeVarInt(this.#length, value, actualWidth);
    this.#length += actualWidth;
  }

  /**
   * Encodes a varint62 (−2^61..2^61−1) on the fewest bytes, or on exactly `width` bytes (a RangeError when the value
   * does not fit). A `number` must be a safe integer; pass a `bigint` for larger values.
   */
  encodeVarInt62(value: number | bigint, width?: VarIntWidth): void {
    const actualWidth = resolveWidth(width, varInt62EncodedSize(value), value, "varint62");
    this.#ensure(actualWidth);
    this.#writeVarInt(this.#length, value, actualWidth);
    this.#length += actualWidth;
  }

  /** Encodes a varuint32: a varuint62 restricted to 0..2^32−1. */
  encodeVarUInt32(value: number, width?: VarIntWidth): void {
    checkIntegerRange(value, 0, 0xffff_ffff, "varuint32");
    this.encodeVarUInt62(value, width);
  }

  /** Encodes a varint32: a varint62 restricted to −2^31..2^31−1. */
  encodeVarInt32(value: number, width?: VarIntWidth): void {
    checkIntegerRange(value, -0x8000_0000, 0x7fff_ffff, "varint32");
    this.encodeVarInt62(value, width);
  }

  /** Encodes the size of a string, sequence, dictionary or segment (0..2^31−1) as a varuint62. */
  encodeSize(size: number, width?: VarIntWidth): void {
    checkIntegerRange(size, 0, MAX_SIZE, "size");
    this.encodeVarUInt62(size, width);
  }

  /** Encodes a string: its UTF-8 length as a size, then its UTF-8 bytes. Lone surrogates become U+FFFD. */
  encodeString(value: string): void {
    if (value.length === 0) {
      this.encodeSize(0);
      return;
    }
    const maxUtf8Length = value.length * MAX_UTF8_BYTES_PER_UTF16_UNIT;
    const reservedWidth = varUInt62EncodedSize(
      this.#stringSizeEncoding === "fromMaxUtf8Length" ? maxUtf8Length + MAX_UTF8_BYTES_PER_UTF16_UNIT : maxUtf8Length,
    );
    this.#ensure(reservedWidth + maxUtf8Length);
    const textStart = this.#length + reservedWidth;
    const utf8Length = this.#writeUtf8(value, textStart);
    if (utf8Length > MAX_SIZE) {
      throw new RangeError(`Cannot encode a string of ${utf8Length} UTF-8 bytes: a size is at most ${MAX_SIZE}.`);
    }
    let width = reservedWidth;
    if (this.#stringSizeEncoding === "minimal") {
      // The width was chosen for the worst case; shift the text left when the actual length needs fewer bytes.
      width = varUInt62EncodedSize(utf8Length);
      if (width < reservedWidth) {
        this.#bytes.copyWithin(this.#length + width, textStart, textStart + utf8Length);
      }
    }
    this.#writeVarInt(this.#length, utf8Length, width);
    this.#length += width + utf8Length;
  }

  /** Appends `bytes` as they are, with no size prefix. */
  encodeBytes(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  /** Encodes a `Sequence<uint8>`: the size then the bytes. */
  encodeByteSequence(bytes: Uint8Array): void {
    this.encodeSize(bytes.length);
    this.encodeBytes(bytes);
  }

  /** Encodes a bit sequence: bit i of byte j holds `bits[8 * j + i]`; the unused high bits of the last byte are 0. */
  encodeBitSequence(bits: readonly boolean[]): void {
    const byteCount = Math.ceil(bits.length / 8);
    this.#ensure(byteCount);
    const start = this.#length;
    this.#bytes.fill(0, start, start + byteCount);
    for (let i = 0; i < bits.length; ++i) {
      if (bits[i]) {
        this.#bytes[start + (i >> 3)]! |= 1 << (i & 7);
      }
    }
    this.#length += byteCount;
  }

  /** Encodes a `Sequence<T>`: the count, then each element with `encodeElement`. */
  encodeSequence<T>(elements: readonly T[], encodeElement: EncodeElement<T>): void {
    this.encodeSize(elements.length);
    for (const element of elements) {
      encodeElement(this, element);
    }
  }

  /** Encodes a `Dictionary<K, V>`: the count, then each key and value, in iteration order. */
  encodeDictionary<K, V>(
    entries: ReadonlyMap<K, V> | readonly (readonly [K, V])[],
    encodeKey: EncodeElement<K>,
    encodeValue: EncodeElement<V>,
  ): void {
    this.encodeSize("size" in entries ? entries.size : entries.length);
    for (const [key, value] of entries) {
      encodeKey(this, key);
      encodeValue(this, value);
    }
  }

  /**
   * Reserves `width` bytes for a varuint62 whose value is known only later (typically the size of what follows);
   * fill them with {@link fillVarUInt62}.
   */
  reserveVarUInt62(width: VarIntWidth): VarUInt62Placeholder {
    checkWidth(width);
    this.#ensure(width);
    const offset = this.#length;
    this.#bytes.fill(0, offset, offset + width);
    this.#length += width;
    return { offset, width };
  }

  /** Writes `value` into a placeholder on exactly its width; a RangeError when it does not fit. */
  fillVarUInt62(placeholder: VarUInt62Placeholder, value: number | bigint): void {
    const { offset, width } = placeholder;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + width > this.#length) {
      throw new RangeError(`The placeholder at offset ${offset} was not reserved by this encoder.`);
    }
    this.#writeVarInt(offset, value, resolveWidth(width, varUInt62EncodedSize(value), value, "varuint62"));
  }

  /**
   * Encodes the size of what `encodeBody` writes, on exactly `sizeWidth` bytes, followed by it. This is how icerpc
   * writes header and control-frame sizes (on the width of the peer's maximum header size, 2 bytes by default).
   */
  encodeSizePrefixed(sizeWidth: VarIntWidth, encodeBody: (encoder: SliceEncoder) => void): void {
    const placeholder = this.reserveVarUInt62(sizeWidth);
    const bodyStart = this.#length;
    encodeBody(this);
    this.fillVarUInt62(placeholder, this.#length - bodyStart);
  }

  #ensure(byteCount: number): void {
    const required = this.#length + byteCount;
    if (required > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(this.#bytes.length * 2, required));
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
      this.#view = undefined;
    }
  }

  #dataView(): DataView {
    return (this.#view ??= new DataView(this.#bytes.buffer));
  }

  /**
   * Writes a variable-length integer, signed or not, already validated to fit `width` bytes: the value shifted left
   * by 2 with the width code in the low 2 bits, little-endian.
   */
  #writeVarInt(offset: number, value: number | bigint, width: VarIntWidth): void {
    if (typeof value === "bigint") {
      if (width === 8) {
        this.#dataView().setBigUint64(offset, BigInt.asUintN(64, (value << 2n) | 3n), true);
        return;
      }
      value = Number(value); // fits in 4 bytes, so well within the safe-integer range
    }
    // Byte by byte rather than through a DataView, which would move a small array off V8's heap (util/byte-range.ts).
    const bytes = this.#bytes;
    switch (width) {
      case 1:
        bytes[offset] = value << 2;
        break;
      case 2:
        bytes[offset] = (value << 2) | 1;
        bytes[offset + 1] = value >> 6;
        break;
      case 4:
        // `value << 2` keeps the low 32 bits (in two's complement), which is exactly what the 4 bytes hold.
        writeUInt32(bytes, offset, ((value << 2) | 2) >>> 0);
        break;
      case 8: {
        // value * 4 split into two 32-bit halves without BigInt: the high half is floor(value / 2^30).
        const high = Math.floor(value / TWO_TO_THE_30);
        const low = value - high * TWO_TO_THE_30;
        writeUInt32(bytes, offset, (low * 4 + 3) >>> 0);
        writeUInt32(bytes, offset + 4, high >>> 0);
        break;
      }
    }
  }

  /** Writes `value` as UTF-8 at `offset` (capacity already ensured) and returns the number of bytes written. */
  #writeUtf8(value: string, offset: number): number {
    const bytes = this.#bytes;
    // Most strings icerpc encodes (paths, operations) are short ASCII: copying them is several times faster than a
    // call to TextEncoder, which only wins for longer strings.
    if (value.length <= SHORT_STRING_LENGTH) {
      for (let i = 0; i < value.length; ++i) {
        const codeUnit = value.charCodeAt(i);
        if (codeUnit >= 0x80) {
          return utf8Encoder.encodeInto(value, bytes.subarray(offset)).written;
        }
        bytes[offset + i] = codeUnit;
      }
      return value.length;
    }
    return utf8Encoder.encodeInto(value, bytes.subarray(offset)).written;
  }
}

/** The width to encode on: `requested` when given and wide enough (else a RangeError), otherwise `minimal`. */
function resolveWidth(
  requested: VarIntWidth | undefined,
  minimal: VarIntWidth,
  value: number | bigint,
  typeName: string,
): VarIntWidth {
  if (requested === undefined) {
    return minimal;
  }
  checkWidth(requested);
  if (requested < minimal) {
    throw new RangeError(`Cannot encode ${value} as a ${typeName} on ${requested} byte(s): it needs ${minimal}.`);
  }
  return requested;
}

function checkIntegerRange(value: number, min: number, max: number, typeName: string): void {
  checkSafeInteger(value, typeName);
  if (value < min || value > max) {
    throw new RangeError(`Cannot encode ${value} as a ${typeName}: the value must be in ${min}..${max}.`);
  }
}

/** Writes the 32 bits of `value` (0..2^32-1) little-endian at `offset`. */
function writeUInt32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value;
  bytes[offset + 1] = value >>> 8;
  bytes[offset + 2] = value >>> 16;
  bytes[offset + 3] = value >>> 24;
}
