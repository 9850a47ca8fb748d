import { describe, expect, test } from "@jest/globals";
import { SliceDecoder, SliceEncoder } from "../../src/codec/index.js";
import { InvalidDataError } from "../../src/errors/index.js";
import { decodeAll, encodeWith, hex, toHex } from "./bytes.js";

describe("fixed-size values", () => {
  test("bool is one byte, 0 or 1", () => {
    expect(toHex(encodeWith((e) => (e.encodeBool(true), e.encodeBool(false))))).toBe("01 00");
    expect(decodeAll(hex("01 00"), (d) => [d.decodeBool(), d.decodeBool()])).toEqual([true, false]);
  });

  test("a bool byte other than 0 or 1 is invalid data, with its offset", () => {
    const decoder = new SliceDecoder(hex("01 02"));
    decoder.decodeBool();
    expect(() => decoder.decodeBool()).toThrow(InvalidDataError);
    expect(() => decoder.decodeBool()).toThrow(/offset 1: 2 is neither 0 nor 1/);
  });

  test.each([
    ["uint8", (e: SliceEncoder) => e.encodeUInt8(0xab), (d: SliceDecoder) => d.decodeUInt8(), 0xab, "AB"],
    ["int8", (e: SliceEncoder) => e.encodeInt8(-2), (d: SliceDecoder) => d.decodeInt8(), -2, "FE"],
    ["int16", (e: SliceEncoder) => e.encodeInt16(-2), (d: SliceDecoder) => d.decodeInt16(), -2, "FE FF"],
    ["uint16", (e: SliceEncoder) => e.encodeUInt16(0x1234), (d: SliceDecoder) => d.decodeUInt16(), 0x1234, "34 12"],
    [
      "int32",
      (e: SliceEncoder) => e.encodeInt32(-0x7fff_fffe),
      (d: SliceDecoder) => d.decodeInt32(),
      -0x7fff_fffe,
      "02 00 00 80",
    ],
    [
      "uint32",
      (e: SliceEncoder) => e.encodeUInt32(0xdead_beef),
      (d: SliceDecoder) => d.decodeUInt32(),
      0xdead_beef,
      "EF BE AD DE",
    ],
    [
      "int64",
      (e: SliceEncoder) => e.encodeInt64(-(2n ** 63n)),
      (d: SliceDecoder) => d.decodeInt64(),
      -(2n ** 63n),
      "00 00 00 00 00 00 00 80",
    ],
    [
      "uint64",
      (e: SliceEncoder) => e.encodeUInt64(2n ** 64n - 2n),
      (d: SliceDecoder) => d.decodeUInt64(),
      2n ** 64n - 2n,
      "FE FF FF FF FF FF FF FF",
    ],
    ["float32", (e: SliceEncoder) => e.encodeFloat32(1.5), (d: SliceDecoder) => d.decodeFloat32(), 1.5, "00 00 C0 3F"],
    [
      "float64",
      (e: SliceEncoder) => e.encodeFloat64(-0.1),
      (d: SliceDecoder) => d.decodeFloat64(),
      -0.1,
      "9A 99 99 99 99 99 B9 BF",
    ],
  ])("%s is little-endian and round-trips", (_, encode, decode, value, bytes) => {
    const encoded = encodeWith(encode);
    expect(toHex(encoded)).toBe(bytes);
    expect(decodeAll<unknown>(encoded, decode)).toBe(value);
  });

  test("Deadline ticks (an int64) match the reference bytes for 2026-01-01T00:00Z", () => {
    const ticks = BigInt(Date.UTC(2026, 0, 1)) * 10_000n + 621_355_968_000_000_000n;
    expect(ticks).toBe(639_028_224_000_000_000n);
    expect(toHex(encodeWith((e) => e.encodeInt64(ticks)))).toBe("00 00 F8 B4 C8 48 DE 08");
  });

  test("float32 rounds to single precision; NaN and infinities survive", () => {
    expect(decodeAll(encodeWith((e) => e.encodeFloat32(0.1)), (d) => d.decodeFloat32())).toBe(Math.fround(0.1));
    expect(decodeAll(encodeWith((e) => e.encodeFloat64(Number.NaN)), (d) => d.decodeFloat64())).toBeNaN();
    expect(decodeAll(encodeWith((e) => e.encodeFloat32(-Infinity)), (d) => d.decodeFloat32())).toBe(-Infinity);
  });

  test.each([
    ["uint8 256", (e: SliceEncoder) => e.encodeUInt8(256)],
    ["uint8 -1", (e: SliceEncoder) => e.encodeUInt8(-1)],
    ["int8 128", (e: SliceEncoder) => e.encodeInt8(128)],
    ["int16 32768", (e: SliceEncoder) => e.encodeInt16(32_768)],
    ["uint16 65536", (e: SliceEncoder) => e.encodeUInt16(65_536)],
    ["int32 2^31", (e: SliceEncoder) => e.encodeInt32(2 ** 31)],
    ["int32 1.5", (e: SliceEncoder) => e.encodeInt32(1.5)],
    ["uint32 -1", (e: SliceEncoder) => e.encodeUInt32(-1)],
    ["int64 2^63", (e: SliceEncoder) => e.encodeInt64(2n ** 63n)],
    ["uint64 -1", (e: SliceEncoder) => e.encodeUInt64(-1n)],
    ["uint64 2^64", (e: SliceEncoder) => e.encodeUInt64(2n ** 64n)],
  ])("encoding %s throws RangeError instead of wrapping", (_, encode) => {
    const encoder = new SliceEncoder();
    expect(() => encode(encoder)).toThrow(RangeError);
    expect(encoder.length).toBe(0);
  });
});
