import { describe, expect, test } from "@jest/globals";
import { SliceDecoder, SliceEncoder } from "../../src/codec/index.js";
import { InvalidDataError } from "../../src/errors/index.js";
import { decodeAll, encodeWith, hex, toHex } from "./bytes.js";

function roundTrip(value: string, encoder = new SliceEncoder()): Uint8Array {
  encoder.encodeString(value);
  const bytes = encoder.finish();
  expect(decodeAll(bytes, (d) => d.decodeString())).toBe(value);
  return bytes;
}

describe("strings", () => {
  test("an ASCII string is its UTF-8 size then its bytes", () => {
    expect(toHex(roundTrip("/hello.Greeter"))).toBe("38 2F 68 65 6C 6C 6F 2E 47 72 65 65 74 65 72");
  });

  test("the empty string is a single zero size", () => {
    expect(toHex(roundTrip(""))).toBe("00");
    expect(toHex(roundTrip("", new SliceEncoder({ stringSizeEncoding: "fromMaxUtf8Length" })))).toBe("00");
  });

  test("multi-byte UTF-8 is sized in bytes, not characters", () => {
    expect(toHex(roundTrip("é"))).toBe("08 C3 A9");
    expect(toHex(roundTrip("日本"))).toBe("18 E6 97 A5 E6 9C AC");
    expect(toHex(roundTrip("a😀"))).toBe("14 61 F0 9F 98 80");
    roundTrip("mixed ASCII, accents é à ü, CJK 漢字, emoji 🎉 and more");
  });

  test("a lone surrogate is encoded as U+FFFD, as TextEncoder does", () => {
    expect(toHex(encodeWith((e) => e.encodeString("\ud800")))).toBe("0C EF BF BD");
  });

  test("a leading BOM is kept as part of the string, not stripped", () => {
    const bytes = hex("10 EF BB BF 41");
    expect(decodeAll(bytes, (d) => d.decodeString())).toBe("\ufeffA");
  });

  test("minimal sizes: 63 bytes take a 1-byte size, 64 bytes a 2-byte size", () => {
    expect(toHex(roundTrip("x".repeat(63)).subarray(0, 1))).toBe("FC");
    expect(toHex(roundTrip("x".repeat(64)).subarray(0, 3))).toBe("01 01 78");
  });

  test("a non-ASCII string sized for its worst case still gets a minimal size", () => {
    // 30 × "é" = 60 bytes: the worst case (90 bytes) needs a 2-byte size, the actual length only 1.
    const value = "é".repeat(30);
    const bytes = roundTrip(value);
    expect(bytes.length).toBe(61);
    expect(toHex(bytes.subarray(0, 3))).toBe("F0 C3 A9");
  });

  test("long strings get 4-byte sizes and grow the buffer", () => {
    const value = "ü".repeat(10_000);
    const bytes = roundTrip(value, new SliceEncoder({ initialCapacity: 1 }));
    expect(toHex(bytes.subarray(0, 4))).toBe(toHex(encodeWith((e) => e.encodeVarUInt62(20_000, 4))));
    expect(bytes.length).toBe(4 + 20_000);
  });

  test("C#-compatible sizes are sized from (length + 1) * 3, like IceRPC C#", () => {
    const encoder = () => new SliceEncoder({ stringSizeEncoding: "fromMaxUtf8Length" });
    // 20 UTF-16 code units: (20 + 1) * 3 = 63 fits in 1 byte.
    expect(toHex(roundTrip("a".repeat(20), encoder()).subarray(0, 1))).toBe("50");
    // 22 code units: 69 needs 2 bytes, even though 22 would fit in 1 (protocol reference §1.9 item 3).
    expect(toHex(roundTrip("/VisitorCenter.Greeter", encoder()).subarray(0, 3))).toBe("59 00 2F");
    const notFound = "The dispatch failed with status code NotFound.";
    expect(toHex(roundTrip(notFound, encoder()).subarray(0, 3))).toBe("B9 00 54");
    // Above 16,383 / 3 code units the size takes 4 bytes.
    expect(toHex(roundTrip("a".repeat(5461), encoder()).subarray(0, 4))).toBe("56 55 00 00");
  });

  test.each([
    ["a truncated 2-byte sequence", "04 C3"],
    ["a lone continuation byte", "04 80"],
    ["an invalid lead byte", "04 FF"],
    ["an overlong encoding of '/'", "08 C0 AF"],
    ["an encoded surrogate", "0C ED A0 80"],
    ["a code point above U+10FFFF", "10 F4 90 80 80"],
    ["invalid bytes after valid ones", "0C 41 42 C3"],
  ])("%s is rejected as invalid UTF-8", (_, bytes) => {
    const decoder = new SliceDecoder(hex(bytes));
    expect(() => decoder.decodeString()).toThrow(InvalidDataError);
    expect(() => new SliceDecoder(hex(bytes)).decodeString()).toThrow(/at offset 1 is not valid UTF-8/);
  });

  test("a size pointing past the end is rejected as truncated", () => {
    expect(() => new SliceDecoder(hex("14 67 72 65")).decodeString()).toThrow(InvalidDataError);
    expect(() => new SliceDecoder(hex("14 67 72 65")).decodeString()).toThrow(/needs 5 byte\(s\) but only 3 remain/);
    // A huge size (2^30 on 8 bytes) is rejected the same way, without allocating.
    const hugeSize = encodeWith((e) => e.encodeVarUInt62(2 ** 30));
    expect(() => new SliceDecoder(hugeSize).decodeString()).toThrow(InvalidDataError);
  });

  test("strings round-trip next to other values, whatever the previous content of the buffer", () => {
    const encoder = new SliceEncoder({ initialCapacity: 4 });
    const values = ["", "a", "é".repeat(40), "ascii".repeat(20), "🎉", "x"];
    for (const value of values) {
      encoder.encodeString(value);
      encoder.encodeUInt8(0x7f);
    }
    const decoder = new SliceDecoder(encoder.finish());
    for (const value of values) {
      expect(decoder.decodeString()).toBe(value);
      expect(decoder.decodeUInt8()).toBe(0x7f);
    }
    decoder.checkEndOfBuffer();
  });
});
