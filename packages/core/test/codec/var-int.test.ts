import { describe, expect, test } from "@jest/globals";
import {
  MAX_SIZE,
  SliceDecoder,
  SliceEncoder,
  VAR_INT62_MAX,
  VAR_INT62_MIN,
  VAR_UINT62_MAX,
  type VarIntWidth,
  varInt62EncodedSize,
  varUInt62EncodedSize,
} from "../../src/codec/index.js";
import { InvalidDataError } from "../../src/errors/index.js";
import { decodeAll, encodeWith, hex, toHex } from "./bytes.js";

const widths: readonly VarIntWidth[] = [1, 2, 4, 8];

/** The encoding computed independently with BigInt: (value << 2 | width code) truncated to `width` bytes, LE. */
function referenceEncoding(value: bigint, width: VarIntWidth): string {
  let encoded = BigInt.asUintN(width * 8, (value << 2n) | BigInt(widths.indexOf(width)));
  const bytes = new Uint8Array(width);
  for (let i = 0; i < width; ++i) {
    bytes[i] = Number(encoded & 0xffn);
    encoded >>= 8n;
  }
  return toHex(bytes);
}

/** `count` values of 1 to `bits` bits from a deterministic generator (xorshift64*), so failures reproduce. */
function* randomBigInts(count: number, bits: bigint): Generator<bigint> {
  let state = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < count; ++i) {
    state ^= state >> 12n;
    state ^= BigInt.asUintN(64, state << 25n);
    state ^= state >> 27n;
    const random = BigInt.asUintN(64, state * 0x2545f4914f6cdd1dn);
    // Spread the values over every magnitude, not just the top of the range.
    yield random >> (64n - 1n - (random % bits));
  }
}

describe("varuint62", () => {
  test.each([
    [0, "00"],
    [1, "04"],
    [63, "FC"],
    [64, "01 01"],
    [16_383, "FD FF"],
    [16_384, "02 00 01 00"],
    [2 ** 30 - 1, "FE FF FF FF"],
    [2 ** 30, "03 00 00 00 01 00 00 00"],
  ])("%d is encoded minimally as %s (protocol reference §1.2) and decodes back", (value, bytes) => {
    expect(toHex(encodeWith((e) => e.encodeVarUInt62(value)))).toBe(bytes);
    expect(toHex(encodeWith((e) => e.encodeVarUInt62(BigInt(value))))).toBe(bytes);
    expect(decodeAll(hex(bytes), (d) => d.decodeVarUInt62())).toBe(value);
    expect(decodeAll(hex(bytes), (d) => d.decodeVarUInt62AsBigInt())).toBe(BigInt(value));
  });

  test("2^62-1, the largest value, round-trips through bigint without precision loss", () => {
    const bytes = encodeWith((e) => e.encodeVarUInt62(VAR_UINT62_MAX));
    expect(toHex(bytes)).toBe("FF FF FF FF FF FF FF FF");
    expect(decodeAll(bytes, (d) => d.decodeVarUInt62AsBigInt())).toBe(VAR_UINT62_MAX);
  });

  test("values just above Number.MAX_SAFE_INTEGER keep every bit through bigint", () => {
    for (const value of [2n ** 53n, 2n ** 53n + 1n, 2n ** 61n + 12_345n, VAR_UINT62_MAX - 1n]) {
      const bytes = encodeWith((e) => e.encodeVarUInt62(value));
      expect(decodeAll(bytes, (d) => d.decodeVarUInt62AsBigInt())).toBe(value);
    }
  });

  test("decoding as a number accepts MAX_SAFE_INTEGER and rejects anything larger", () => {
    const max = encodeWith((e) => e.encodeVarUInt62(Number.MAX_SAFE_INTEGER));
    expect(decodeAll(max, (d) => d.decodeVarUInt62())).toBe(Number.MAX_SAFE_INTEGER);
    const tooLarge = encodeWith((e) => e.encodeVarUInt62(2n ** 53n));
    expect(() => new SliceDecoder(tooLarge).decodeVarUInt62()).toThrow(InvalidDataError);
    expect(() => new SliceDecoder(tooLarge).decodeVarUInt62()).toThrow(/offset 0 is 9007199254740992/);
  });

  test.each([
    [1, 2, "05 00"],
    [1, 4, "06 00 00 00"],
    [1, 8, "07 00 00 00 00 00 00 00"],
    [0, 2, "01 00"],
    [63, 2, "FD 00"],
  ] as const)("%d forced on %d bytes is %s", (value, width, bytes) => {
    expect(toHex(encodeWith((e) => e.encodeVarUInt62(value, width)))).toBe(bytes);
    expect(decodeAll(hex(bytes), (d) => d.decodeVarUInt62())).toBe(value);
  });

  test("the smallest and largest value of each width, on that width and every wider one, decode to that value", () => {
    const boundaries: readonly [bigint, VarIntWidth][] = [
      [0n, 1],
      [63n, 1],
      [64n, 2],
      [16_383n, 2],
      [16_384n, 4],
      [2n ** 30n - 1n, 4],
      [2n ** 30n, 8],
      [VAR_UINT62_MAX, 8],
    ];
    for (const [value, minimalWidth] of boundaries) {
      expect(varUInt62EncodedSize(value)).toBe(minimalWidth);
      for (const width of widths.filter((w) => w >= minimalWidth)) {
        const bytes = encodeWith((e) => e.encodeVarUInt62(value, width));
        expect(toHex(bytes)).toBe(referenceEncoding(value, width));
        expect(decodeAll(bytes, (d) => d.decodeVarUInt62AsBigInt())).toBe(value);
        if (value <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(toHex(encodeWith((e) => e.encodeVarUInt62(Number(value), width)))).toBe(toHex(bytes));
          expect(decodeAll(bytes, (d) => d.decodeVarUInt62())).toBe(Number(value));
        }
      }
    }
  });

  test("the number fast path agrees with a BigInt reference encoding on many values and widths", () => {
    for (const value of randomBigInts(500, 62n)) {
      const minimalWidth = varUInt62EncodedSize(value);
      for (const width of widths.filter((w) => w >= minimalWidth)) {
        const expected = referenceEncoding(value, width);
        expect(toHex(encodeWith((e) => e.encodeVarUInt62(value, width)))).toBe(expected);
        if (value <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(toHex(encodeWith((e) => e.encodeVarUInt62(Number(value), width)))).toBe(expected);
          expect(decodeAll(hex(expected), (d) => d.decodeVarUInt62())).toBe(Number(value));
        }
        expect(decodeAll(hex(expected), (d) => d.decodeVarUInt62AsBigInt())).toBe(value);
      }
    }
  });

  test.each([
    [64, 1],
    [16_384, 2],
    [2 ** 30, 4],
  ] as const)("%d does not fit on %d byte(s): RangeError", (value, width) => {
    expect(() => new SliceEncoder().encodeVarUInt62(value, width)).toThrow(RangeError);
    expect(() => new SliceEncoder().encodeVarUInt62(BigInt(value), width)).toThrow(RangeError);
  });

  test.each([
    ["a negative number", -1],
    ["a negative bigint", -1n],
    ["2^62", 2n ** 62n],
    ["a fraction", 1.5],
    ["NaN", Number.NaN],
    ["an unsafe number", Number.MAX_SAFE_INTEGER + 1],
  ])("encoding %s throws RangeError", (_, value) => {
    expect(() => new SliceEncoder().encodeVarUInt62(value)).toThrow(RangeError);
  });

  test("a width other than 1, 2, 4 or 8 throws RangeError", () => {
    expect(() => new SliceEncoder().encodeVarUInt62(1, 3 as VarIntWidth)).toThrow(RangeError);
  });
});

describe("varint62", () => {
  test.each([
    [-1, "FC"],
    [0, "00"],
    [31, "7C"],
    [32, "81 00"],
    [-32, "80"],
    [-33, "7D FF"],
    [100, "91 01"],
  ])("%d is encoded minimally as %s (protocol reference §1.2) and decodes back", (value, bytes) => {
    expect(toHex(encodeWith((e) => e.encodeVarInt62(value)))).toBe(bytes);
    expect(toHex(encodeWith((e) => e.encodeVarInt62(BigInt(value))))).toBe(bytes);
    expect(decodeAll(hex(bytes), (d) => d.decodeVarInt62())).toBe(value);
    expect(decodeAll(hex(bytes), (d) => d.decodeVarInt62AsBigInt())).toBe(BigInt(value));
  });

  test("the smallest and largest value of each width, on that width and every wider one, decode to that value", () => {
    const boundaries: readonly [bigint, VarIntWidth][] = [
      [-32n, 1],
      [31n, 1],
      [-(2n ** 13n), 2],
      [2n ** 13n - 1n, 2],
      [-(2n ** 29n), 4],
      [2n ** 29n - 1n, 4],
      [VAR_INT62_MIN, 8],
      [VAR_INT62_MAX, 8],
    ];
    for (const [value, minimalWidth] of boundaries) {
      expect(varInt62EncodedSize(value)).toBe(minimalWidth);
      if (minimalWidth < 8) {
        // One step past the boundary needs the next width.
        const outside = value < 0n ? value - 1n : value + 1n;
        expect(varInt62EncodedSize(outside)).toBe(minimalWidth * 2);
      }
      for (const width of widths.filter((w) => w >= minimalWidth)) {
        const bytes = encodeWith((e) => e.encodeVarInt62(value, width));
        expect(toHex(bytes)).toBe(referenceEncoding(value, width));
        expect(decodeAll(bytes, (d) => d.decodeVarInt62AsBigInt())).toBe(value);
        if (minimalWidth < 8) {
          expect(toHex(encodeWith((e) => e.encodeVarInt62(Number(value), width)))).toBe(toHex(bytes));
          expect(decodeAll(bytes, (d) => d.decodeVarInt62())).toBe(Number(value));
        }
      }
    }
  });

  test("the number fast path agrees with a BigInt reference encoding on many signed values and widths", () => {
    let index = 0;
    for (const magnitude of randomBigInts(500, 61n)) {
      const value = index++ % 2 === 0 ? magnitude : -magnitude - 1n;
      const minimalWidth = varInt62EncodedSize(value);
      const safe = value >= BigInt(-Number.MAX_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
      for (const width of widths.filter((w) => w >= minimalWidth)) {
        const expected = referenceEncoding(value, width);
        expect(toHex(encodeWith((e) => e.encodeVarInt62(value, width)))).toBe(expected);
        if (safe) {
          expect(toHex(encodeWith((e) => e.encodeVarInt62(Number(value), width)))).toBe(expected);
          expect(decodeAll(hex(expected), (d) => d.decodeVarInt62())).toBe(Number(value));
        }
        expect(decodeAll(hex(expected), (d) => d.decodeVarInt62AsBigInt())).toBe(value);
      }
    }
  });

  test("decoding as a number accepts ±MAX_SAFE_INTEGER and rejects -2^53 and 2^53", () => {
    for (const value of [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
      expect(decodeAll(encodeWith((e) => e.encodeVarInt62(value)), (d) => d.decodeVarInt62())).toBe(value);
    }
    for (const value of [-(2n ** 53n), 2n ** 53n]) {
      const bytes = encodeWith((e) => e.encodeVarInt62(value));
      expect(() => new SliceDecoder(bytes).decodeVarInt62()).toThrow(InvalidDataError);
      expect(decodeAll(bytes, (d) => d.decodeVarInt62AsBigInt())).toBe(value);
    }
  });

  test.each([
    [32, 1],
    [-33, 1],
    [8192, 2],
    [-8193, 2],
    [2 ** 29, 4],
    [-(2 ** 29) - 1, 4],
  ] as const)("%d does not fit on %d byte(s): RangeError", (value, width) => {
    expect(() => new SliceEncoder().encodeVarInt62(value, width)).toThrow(RangeError);
  });

  test("values outside -2^61..2^61-1 throw RangeError", () => {
    expect(() => new SliceEncoder().encodeVarInt62(VAR_INT62_MAX + 1n)).toThrow(RangeError);
    expect(() => new SliceEncoder().encodeVarInt62(VAR_INT62_MIN - 1n)).toThrow(RangeError);
    expect(() => new SliceEncoder().encodeVarInt62(0.5)).toThrow(RangeError);
  });
});

describe("varuint32, varint32 and size", () => {
  test("varuint32 accepts 0..2^32-1 on any width and rejects 2^32", () => {
    expect(decodeAll(encodeWith((e) => e.encodeVarUInt32(2 ** 32 - 1)), (d) => d.decodeVarUInt32())).toBe(2 ** 32 - 1);
    expect(decodeAll(hex("06 00 00 00"), (d) => d.decodeVarUInt32())).toBe(1);
    const tooLarge = encodeWith((e) => e.encodeVarUInt62(2 ** 32));
    expect(() => new SliceDecoder(tooLarge).decodeVarUInt32()).toThrow(InvalidDataError);
    expect(() => new SliceEncoder().encodeVarUInt32(2 ** 32)).toThrow(RangeError);
    expect(() => new SliceEncoder().encodeVarUInt32(-1)).toThrow(RangeError);
  });

  test("varint32 accepts -2^31..2^31-1 and rejects values one past either end", () => {
    for (const value of [-(2 ** 31), 2 ** 31 - 1, -1, 0]) {
      expect(decodeAll(encodeWith((e) => e.encodeVarInt32(value)), (d) => d.decodeVarInt32())).toBe(value);
    }
    for (const value of [-(2 ** 31) - 1, 2 ** 31]) {
      const bytes = encodeWith((e) => e.encodeVarInt62(value));
      expect(() => new SliceDecoder(bytes).decodeVarInt32()).toThrow(InvalidDataError);
      expect(() => new SliceEncoder().encodeVarInt32(value)).toThrow(RangeError);
    }
  });

  test("a size is at most 2^31-1 on decode, whatever its width", () => {
    expect(decodeAll(encodeWith((e) => e.encodeVarUInt62(MAX_SIZE, 8)), (d) => d.decodeSize())).toBe(MAX_SIZE);
    for (const value of [MAX_SIZE + 1, 2 ** 40]) {
      const bytes = encodeWith((e) => e.encodeVarUInt62(value));
      expect(() => new SliceDecoder(bytes).decodeSize()).toThrow(InvalidDataError);
      expect(() => new SliceDecoder(bytes).decodeSize()).toThrow(/size at offset 0/);
    }
    expect(() => new SliceDecoder(hex("FF FF FF FF FF FF FF FF")).decodeSize()).toThrow(InvalidDataError);
  });

  test("encoding a negative or too large size throws RangeError", () => {
    expect(() => new SliceEncoder().encodeSize(-1)).toThrow(RangeError);
    expect(() => new SliceEncoder().encodeSize(MAX_SIZE + 1)).toThrow(RangeError);
    expect(toHex(encodeWith((e) => e.encodeSize(1, 2)))).toBe("05 00");
  });

  test("the encoded-size helpers return the minimal width", () => {
    expect([0, 63, 64, 16_383, 16_384, 2 ** 30 - 1, 2 ** 30].map((v) => varUInt62EncodedSize(v))).toEqual([
      1, 1, 2, 2, 4, 4, 8,
    ]);
    expect([-32, 31, -33, 32, -(2 ** 29), 2 ** 29].map((v) => varInt62EncodedSize(v))).toEqual([1, 1, 2, 2, 4, 8]);
    expect(() => varUInt62EncodedSize(-1)).toThrow(RangeError);
  });
});
