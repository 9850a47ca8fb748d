import { describe, expect, test } from "@jest/globals";
import { SliceDecoder, type SliceEncoder, VAR_UINT62_MAX } from "../../src/codec/index.js";
import { InvalidDataError } from "../../src/errors/index.js";
import { encodeWith } from "./bytes.js";

interface Case {
  name: string;
  encode: (encoder: SliceEncoder) => void;
  decode: (decoder: SliceDecoder) => unknown;
}

// One valid encoding per decode method (several for the variable-width ones); every proper prefix of it must be
// rejected as truncated data.
const cases: readonly Case[] = [
  { name: "bool", encode: (e) => e.encodeBool(true), decode: (d) => d.decodeBool() },
  { name: "uint8", encode: (e) => e.encodeUInt8(7), decode: (d) => d.decodeUInt8() },
  { name: "int8", encode: (e) => e.encodeInt8(-7), decode: (d) => d.decodeInt8() },
  { name: "int16", encode: (e) => e.encodeInt16(-7), decode: (d) => d.decodeInt16() },
  { name: "uint16", encode: (e) => e.encodeUInt16(7), decode: (d) => d.decodeUInt16() },
  { name: "int32", encode: (e) => e.encodeInt32(-7), decode: (d) => d.decodeInt32() },
  { name: "uint32", encode: (e) => e.encodeUInt32(7), decode: (d) => d.decodeUInt32() },
  { name: "int64", encode: (e) => e.encodeInt64(-7n), decode: (d) => d.decodeInt64() },
  { name: "uint64", encode: (e) => e.encodeUInt64(7n), decode: (d) => d.decodeUInt64() },
  { name: "float32", encode: (e) => e.encodeFloat32(1.5), decode: (d) => d.decodeFloat32() },
  { name: "float64", encode: (e) => e.encodeFloat64(1.5), decode: (d) => d.decodeFloat64() },
  ...([1, 2, 4, 8] as const).flatMap((width): Case[] => [
    {
      name: `varuint62 on ${width} byte(s)`,
      encode: (e) => e.encodeVarUInt62(5, width),
      decode: (d) => d.decodeVarUInt62(),
    },
    {
      name: `varuint62 as bigint on ${width} byte(s)`,
      encode: (e) => e.encodeVarUInt62(5, width),
      decode: (d) => d.decodeVarUInt62AsBigInt(),
    },
    {
      name: `varint62 on ${width} byte(s)`,
      encode: (e) => e.encodeVarInt62(-5, width),
      decode: (d) => d.decodeVarInt62(),
    },
    {
      name: `varint62 as bigint on ${width} byte(s)`,
      encode: (e) => e.encodeVarInt62(-5, width),
      decode: (d) => d.decodeVarInt62AsBigInt(),
    },
    {
      name: `varuint32 on ${width} byte(s)`,
      encode: (e) => e.encodeVarUInt32(5, width),
      decode: (d) => d.decodeVarUInt32(),
    },
    {
      name: `varint32 on ${width} byte(s)`,
      encode: (e) => e.encodeVarInt32(-5, width),
      decode: (d) => d.decodeVarInt32(),
    },
    { name: `size on ${width} byte(s)`, encode: (e) => e.encodeSize(5, width), decode: (d) => d.decodeSize() },
  ]),
  {
    name: "varuint62 2^62-1 as bigint",
    encode: (e) => e.encodeVarUInt62(VAR_UINT62_MAX),
    decode: (d) => d.decodeVarUInt62AsBigInt(),
  },
  { name: "ASCII string", encode: (e) => e.encodeString("hello"), decode: (d) => d.decodeString() },
  { name: "multi-byte string", encode: (e) => e.encodeString("日本🎉"), decode: (d) => d.decodeString() },
  {
    name: "string with a 2-byte size",
    encode: (e) => e.encodeString("x".repeat(70)),
    decode: (d) => d.decodeString(),
  },
  { name: "raw bytes", encode: (e) => e.encodeBytes(new Uint8Array([1, 2, 3])), decode: (d) => d.decodeBytes(3) },
  { name: "skip", encode: (e) => e.encodeBytes(new Uint8Array([1, 2, 3])), decode: (d) => d.skip(3) },
  {
    name: "byte sequence",
    encode: (e) => e.encodeByteSequence(new Uint8Array([1, 2, 3])),
    decode: (d) => d.decodeByteSequence(),
  },
  {
    name: "bit sequence",
    encode: (e) => e.encodeBitSequence(Array.from({ length: 20 }, (_, i) => i % 3 === 0)),
    decode: (d) => d.decodeBitSequence(20),
  },
  {
    name: "sequence of strings",
    encode: (e) => e.encodeSequence(["a", "bcd", ""], (s, v) => s.encodeString(v)),
    decode: (d) => d.decodeSequence((s) => s.decodeString()),
  },
  {
    name: "sequence of int32 with a minimum element size",
    encode: (e) => e.encodeSequence([1, 2], (s, v) => s.encodeInt32(v)),
    decode: (d) => d.decodeSequence((s) => s.decodeInt32(), 4),
  },
  {
    name: "dictionary",
    encode: (e) =>
      e.encodeDictionary(
        new Map([
          [1, new Uint8Array([9, 9])],
          [400, new Uint8Array(0)],
        ]),
        (s, k) => s.encodeVarUInt62(k),
        (s, v) => s.encodeByteSequence(v),
      ),
    decode: (d) =>
      d.decodeDictionary(
        (s) => s.decodeVarUInt62(),
        (s) => s.decodeByteSequence(),
      ),
  },
  {
    name: "a header: size on 2 bytes, two strings, an empty dictionary",
    encode: (e) =>
      e.encodeSizePrefixed(2, (h) => {
        h.encodeString("/hello.Greeter");
        h.encodeString("greet");
        h.encodeSize(0);
      }),
    decode: (d) => {
      const header = new SliceDecoder(d.decodeBytes(d.decodeSize()));
      header.decodeString();
      header.decodeString();
      header.decodeDictionary(
        (s) => s.decodeVarUInt62(),
        (s) => s.decodeByteSequence(),
      );
      header.checkEndOfBuffer();
    },
  },
];

describe("truncated input", () => {
  test.each(cases.map((c) => [c.name, c] as const))("%s: decodes whole, every prefix is InvalidDataError", (_, c) => {
    const { encode, decode } = c;
    const bytes = encodeWith(encode);
    const full = new SliceDecoder(bytes);
    decode(full);
    full.checkEndOfBuffer();
    for (let length = 0; length < bytes.length; ++length) {
      const decoder = new SliceDecoder(bytes.subarray(0, length));
      let thrown: unknown;
      try {
        decode(decoder);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidDataError);
      expect((thrown as Error).message).toMatch(/offset \d+/);
    }
  });

  test("trailing bytes are rejected by checkEndOfBuffer, with their count and offset", () => {
    const decoder = new SliceDecoder(new Uint8Array([4, 0, 0]));
    expect(decoder.decodeVarUInt62()).toBe(1);
    expect(() => decoder.checkEndOfBuffer()).toThrow(/Found 2 unexpected byte\(s\) at offset 1/);
  });
});

describe("arbitrary bytes", () => {
  test("never produce anything but a value or InvalidDataError", () => {
    // A deterministic generator (xorshift32) so that a failure reproduces.
    let state = 0x2545f491;
    const nextByte = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state & 0xff;
    };
    for (let round = 0; round < 300; ++round) {
      const bytes = Uint8Array.from({ length: round % 24 }, nextByte);
      for (const { decode } of cases) {
        try {
          decode(new SliceDecoder(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidDataError);
        }
      }
    }
  });
});
