import { InvalidDataError } from "../errors/usage-errors.js";
import { MAX_SIZE, widthFromFirstByte } from "./var-int.js";

/** Decodes a value of type `T` from `decoder`; used for the elements of sequences and dictionaries. */
export type DecodeElement<T> = (decoder: SliceDecoder) => T;

// An 8-byte variable-length integer is (value << 2) | 3: its high 32-bit half is floor(value / 2^30). The value is a
// safe integer exactly when that half is in −2^23..2^23−1 (and is not −2^53, which the high half −2^23 with a zero
// low half would give).
const TWO_TO_THE_30 = 0x4000_0000;
const SAFE_HIGH_HALF_BOUND = 0x80_0000;
const MAX_UINT32 = 0xffff_ffff;
const MIN_INT32 = -0x8000_0000;
const MAX_INT32 = 0x7fff_ffff;

// fatal: invalid UTF-8 is an error, not U+FFFD. ignoreBOM: a leading U+FEFF is part of the string (Slice strings have
// no BOM, and C# keeps it too).
const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// Up to this many bytes, an all-ASCII string is decoded by hand: several times faster than a TextDecoder call.
const SHORT_STRING_SIZE = 32;

/**
 * Reads Slice2-encoded values from a byte array, front to back.
 *
 * Every failure caused by the bytes (truncated input, value out of range, invalid UTF-8...) throws an
 * {@link InvalidDataError} saying what was wrong and at which offset; misuse by the caller (a negative byte count)
 * throws a RangeError. Counts read from the bytes are checked against the bytes that remain before anything is
 * allocated. Byte arrays returned by {@link decodeBytes} and {@link decodeByteSequence} are views of the input, not
 * copies.
 */
export class SliceDecoder {
  readonly #bytes: Uint8Array;
  /** Created on first use: most decoders read only varints, strings and bytes, which need none. */
  #view: DataView | undefined;
  #position = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** The offset of the next byte to decode, from the start of the input. */
  get position(): number {
    return this.#position;
  }

  /** The number of bytes not decoded yet. */
  get remaining(): number {
    return this.#bytes.length - this.#position;
  }

  /** Throws unless every byte was decoded: icerpc rejects trailing bytes after a frame body or header. */
  checkEndOfBuffer(): void {
    if (this.remaining > 0) {
      throw new InvalidDataError(
        `Found ${this.remaining} unexpected byte(s) at offset ${this.#position}, after the end of the encoded data.`,
      );
    }
  }

  /** Skips `byteCount` bytes. */
  skip(byteCount: number): void {
    checkByteCount(byteCount);
    this.#need(byteCount, "skipped bytes");
    this.#position += byteCount;
  }

  decodeBool(): boolean {
    this.#need(1, "bool");
    const value = this.#bytes[this.#position]!;
    if (value > 1) {
      throw new InvalidDataError(`Invalid bool at offset ${this.#position}: ${value} is neither 0 nor 1.`);
    }
    ++this.#position;
    return value === 1;
  }

  decodeUInt8(): number {
    this.#need(1, "uint8");
    return this.#bytes[this.#position++]!;
  }

  decodeInt8(): number {
    this.#need(1, "int8");
    return this.#dataView().getInt8(this.#position++);
  }

  decodeInt16(): number {
    this.#need(2, "int16");
    const value = this.#dataView().getInt16(this.#position, true);
    this.#position += 2;
    return value;
  }

  decodeUInt16(): number {
    this.#need(2, "uint16");
    const value = this.#dataView().getUint16(this.#position, true);
    this.#position += 2;
    return value;
  }

  decodeInt32(): number {
    this.#need(4, "int32");
    const value = this.#dataView().getInt32(this.#position, true);
    this.#position += 4;
    return value;
  }

  decodeUInt32(): number {
    this.#need(4, "uint32");
    const value = this.#dataView().getUint32(this.#position, true);
    this.#position += 4;
    return value;
  }

  decodeInt64(): bigint {
    this.#need(8, "int64");
    const value = this.#dataView().getBigInt64(this.#position, true);
    this.#position += 8;
    return value;
  }

  decodeUInt64(): bigint {
    this.#need(8, "uint64");
    const value = this.#dataView().getBigUint64(this.#position, true);
    this.#position += 8;
    return value;
  }

  decodeFloat32(): number {
    this.#need(4, "float32");
    const value = this.#dataView().getFloat32(this.#position, true);
    this.#position += 4;
    return value;
  }

  decodeFloat64(): number {
    this.#need(8, "float64");
    const value = this.#dataView().getFloat64(this.#position, true);
    this.#position += 8;
    return value;
  }

  /**
   * Decodes a varuint62 as a number; throws when it exceeds `Number.MAX_SAFE_INTEGER` (use
   * {@link decodeVarUInt62AsBigInt} for the full range). Over-long encodings are accepted.
   */
  decodeVarUInt62(): number {
    return this.#decodeUnsigned(Number.MAX_SAFE_INTEGER, "varuint62 (as a number)");
  }

  /** Decodes a varuint62 (0..2^62−1) without precision loss. Over-long encodings are accepted. */
  decodeVarUInt62AsBigInt(): bigint {
    if (this.#peekWidth("varuint62") < 8) {
      return BigInt(this.#decodeUnsigned(Number.MAX_SAFE_INTEGER, "varuint62"));
    }
    const value = this.#dataView().getBigUint64(this.#position, true) >> 2n;
    this.#position += 8;
    return value;
  }

  /**
   * Decodes a varint62 as a number; throws when it is outside the safe-integer range (use
   * {@link decodeVarInt62AsBigInt} for the full range). Over-long encodings are accepted.
   */
  decodeVarInt62(): number {
    return this.#decodeSigned(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, "varint62 (as a number)");
  }

  /** Decodes a varint62 (−2^61..2^61−1) without precision loss. Over-long encodings are accepted. */
  decodeVarInt62AsBigInt(): bigint {
    if (this.#peekWidth("varint62") < 8) {
      return BigInt(this.#decodeSigned(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, "varint62"));
    }
    const value = this.#dataView().getBigInt64(this.#position, true) >> 2n;
    this.#position += 8;
    return value;
  }

  /** Decodes a varuint32: a varuint62 that must be in 0..2^32−1. */
  decodeVarUInt32(): number {
    return this.#decodeUnsigned(MAX_UINT32, "varuint32");
  }

  /** Decodes a varint32: a varint62 that must be in −2^31..2^31−1. */
  decodeVarInt32(): number {
    return this.#decodeSigned(MIN_INT32, MAX_INT32, "varint32");
  }

  /** Decodes the size of a string, sequence, dictionary or segment: a varuint62 that must be in 0..2^31−1. */
  decodeSize(): number {
    return this.#decodeUnsigned(MAX_SIZE, "size");
  }

  /** Decodes a string: a size then that many bytes of valid UTF-8. */
  decodeString(): string {
    const size = this.decodeSize();
    if (size === 0) {
      return "";
    }
    this.#need(size, "string");
    const start = this.#position;
    let value = size <= SHORT_STRING_SIZE ? decodeAscii(this.#bytes, start, size) : undefined;
    if (value === undefined) {
      try {
        value = utf8Decoder.decode(this.#bytes.subarray(start, start + size));
      } catch (error) {
        throw new InvalidDataError(`The ${size}-byte string at offset ${start} is not valid UTF-8.`, { cause: error });
      }
    }
    this.#position += size;
    return value;
  }

  /** Returns the next `byteCount` bytes (a view of the input, not a copy). */
  decodeBytes(byteCount: number): Uint8Array {
    checkByteCount(byteCount);
    this.#need(byteCount, "byte array");
    const start = this.#position;
    this.#position += byteCount;
    return this.#bytes.subarray(start, this.#position);
  }

  /** Decodes a `Sequence<uint8>`: a size then that many bytes (a view of the input, not a copy). */
  decodeByteSequence(): Uint8Array {
    return this.decodeBytes(this.decodeSize());
  }

  /**
   * Decodes a bit sequence of `bitCount` bits (from the next ceil(bitCount / 8) bytes). The unused high bits of the
   * last byte are ignored, as IceRPC C# does.
   */
  decodeBitSequence(bitCount: number): boolean[] {
    checkByteCount(bitCount);
    const start = this.#position;
    this.#need(Math.ceil(bitCount / 8), "bit sequence");
    const bits = new Array<boolean>(bitCount);
    for (let i = 0; i < bitCount; ++i) {
      bits[i] = (this.#bytes[start + (i >> 3)]! & (1 << (i & 7))) !== 0;
    }
    this.#position += Math.ceil(bitCount / 8);
    return bits;
  }

  /**
   * Decodes the element count of a sequence or dictionary (a size) and rejects a count whose elements, at
   * `minElementSize` bytes or more each, cannot fit in the remaining bytes. Use it to decode elements one by one
   * with a bounded loop.
   */
  decodeCount(minElementSize = 1): number {
    if (!Number.isSafeInteger(minElementSize) || minElementSize < 1) {
      throw new RangeError(`The minimum element size must be a positive integer, not ${minElementSize}.`);
    }
    const start = this.#position;
    const count = this.decodeSize();
    if (count * minElementSize > this.remaining) {
      throw new InvalidDataError(
        `The count at offset ${start} announces ${count} element(s) of at least ${minElementSize} byte(s) each, ` +
          `but only ${this.remaining} byte(s) remain.`,
      );
    }
    return count;
  }

  /**
   * Decodes a `Sequence<T>`: a count then that many elements. `minElementSize` is the fewest bytes an element can
   * take; a count that cannot fit in the remaining bytes is rejected before anything is allocated.
   */
  decodeSequence<T>(decodeElement: DecodeElement<T>, minElementSize = 1): T[] {
    const count = this.decodeCount(minElementSize);
    const elements: T[] = [];
    for (let i = 0; i < count; ++i) {
      elements.push(decodeElement(this));
    }
    return elements;
  }

  /**
   * Decodes a `Dictionary<K, V>`: a count then that many key/value pairs. `minEntrySize` is the fewest bytes an
   * entry can take (2 by default: a key and a value of at least one byte each); a count that cannot fit in the
   * remaining bytes is rejected before anything is allocated. A duplicate key (by `Map` equality) is invalid.
   */
  decodeDictionary<K, V>(decodeKey: DecodeElement<K>, decodeValue: DecodeElement<V>, minEntrySize = 2): Map<K, V> {
    const count = this.decodeCount(minEntrySize);
    const entries = new Map<K, V>();
    for (let i = 0; i < count; ++i) {
      const keyOffset = this.#position;
      const key = decodeKey(this);
      if (entries.has(key)) {
        throw new InvalidDataError(`Duplicate dictionary key ${String(key)} at offset ${keyOffset}.`);
      }
      entries.set(key, decodeValue(this));
    }
    return entries;
  }

  /** Throws unless `byteCount` more bytes remain for the `what` starting at the current position. */
  #need(byteCount: number, what: string): void {
    if (byteCount > this.#bytes.length - this.#position) {
      throw new InvalidDataError(
        `Cannot decode the ${what} at offset ${this.#position}: it needs ${byteCount} byte(s) but only ` +
          `${this.remaining} remain; the data is truncated.`,
      );
    }
  }

  #dataView(): DataView {
    const bytes = this.#bytes;
    return (this.#view ??= new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /** The width of the variable-length integer at the current position, after checking all its bytes are there. */
  #peekWidth(what: string): number {
    this.#need(1, what);
    const width = widthFromFirstByte(this.#bytes[this.#position]!);
    this.#need(width, what);
    return width;
  }

  #decodeUnsigned(max: number, what: string): number {
    const start = this.#position;
    const width = this.#peekWidth(what);
    const bytes = this.#bytes;
    let value: number;
    switch (width) {
      case 1:
        value = bytes[start]! >>> 2;
        break;
      case 2:
        value = (bytes[start]! | (bytes[start + 1]! << 8)) >>> 2;
        break;
      case 4:
        value = readUInt32(bytes, start) >>> 2;
        break;
      default: {
        const view = this.#dataView();
        const high = view.getUint32(start + 4, true);
        if (high >= SAFE_HIGH_HALF_BOUND) {
          throw outOfRange(view.getBigUint64(start, true) >> 2n, 0, max, what, start);
        }
        value = high * TWO_TO_THE_30 + (view.getUint32(start, true) >>> 2);
      }
    }
    if (value > max) {
      throw outOfRange(value, 0, max, what, start);
    }
    this.#position = start + width;
    return value;
  }

  #decodeSigned(min: number, max: number, what: string): number {
    const start = this.#position;
    const width = this.#peekWidth(what);
    const view = this.#dataView();
    let value: number;
    switch (width) {
      case 1:
        value = view.getInt8(start) >> 2;
        break;
      case 2:
        value = view.getInt16(start, true) >> 2;
        break;
      case 4:
        value = view.getInt32(start, true) >> 2;
        break;
      default: {
        const high = view.getInt32(start + 4, true);
        if (high < -SAFE_HIGH_HALF_BOUND || high >= SAFE_HIGH_HALF_BOUND) {
          throw outOfRange(view.getBigInt64(start, true) >> 2n, min, max, what, start);
        }
        value = high * TWO_TO_THE_30 + (view.getUint32(start, true) >>> 2);
      }
    }
    if (value < min || value > max) {
      throw outOfRange(value, min, max, what, start);
    }
    this.#position = start + width;
    return value;
  }
}

/** The string at `start`, if its `size` bytes are all ASCII (which is valid UTF-8); undefined otherwise. */
function decodeAscii(bytes: Uint8Array, start: number, size: number): string | undefined {
  let value = "";
  for (let i = start; i < start + size; ++i) {
    const byte = bytes[i]!;
    if (byte >= 0x80) {
      return undefined;
    }
    value += String.fromCharCode(byte);
  }
  return value;
}

function readUInt32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}

function outOfRange(value: number | bigint, min: number, max: number, what: string, offset: number): InvalidDataError {
  return new InvalidDataError(
    `The ${what} at offset ${offset} is ${value}, outside the accepted range ${min}..${max}.`,
  );
}

/** Byte and bit counts given by the caller (not decoded) must be non-negative integers. */
function checkByteCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`A byte or bit count must be a non-negative integer, not ${count}.`);
  }
}
