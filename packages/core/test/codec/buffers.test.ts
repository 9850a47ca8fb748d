import { describe, expect, test } from "@jest/globals";
import { SliceDecoder, SliceEncoder } from "../../src/codec/index.js";
import { InvalidDataError } from "../../src/errors/index.js";
import { hex, toHex } from "./bytes.js";

describe("SliceEncoder buffer", () => {
  test("grows from a tiny initial capacity and finish returns exactly what was written", () => {
    const encoder = new SliceEncoder({ initialCapacity: 1 });
    for (let i = 0; i < 300; ++i) {
      encoder.encodeUInt16(i);
    }
    const bytes = encoder.finish();
    expect(bytes.length).toBe(600);
    expect(encoder.length).toBe(600);
    const decoder = new SliceDecoder(bytes);
    for (let i = 0; i < 300; ++i) {
      expect(decoder.decodeUInt16()).toBe(i);
    }
    decoder.checkEndOfBuffer();
  });

  test("a value wider than twice the capacity still fits", () => {
    const encoder = new SliceEncoder({ initialCapacity: 2 });
    encoder.encodeBytes(new Uint8Array(100).fill(1));
    encoder.encodeInt64(-1n);
    expect(encoder.length).toBe(108);
    expect(toHex(encoder.finish().subarray(98))).toBe("01 01 FF FF FF FF FF FF FF FF");
  });

  test("an empty encoder finishes with no bytes", () => {
    expect(new SliceEncoder().finish().length).toBe(0);
  });

  test("an invalid initial capacity is a RangeError", () => {
    expect(() => new SliceEncoder({ initialCapacity: 0 })).toThrow(RangeError);
    expect(() => new SliceEncoder({ initialCapacity: 1.5 })).toThrow(RangeError);
  });
});

describe("SliceDecoder position", () => {
  test("decodes a view that starts in the middle of a larger buffer", () => {
    const backing = hex("AA BB 34 12 05 00 CC");
    const decoder = new SliceDecoder(backing.subarray(2, 6));
    expect(decoder.remaining).toBe(4);
    expect(decoder.decodeUInt16()).toBe(0x1234);
    expect(decoder.position).toBe(2);
    expect(decoder.decodeVarUInt62()).toBe(1);
    expect(decoder.remaining).toBe(0);
    decoder.checkEndOfBuffer();
    // The byte after the view is not readable through it.
    expect(() => decoder.decodeUInt8()).toThrow(InvalidDataError);
  });

  test("skip moves forward and rejects going past the end", () => {
    const decoder = new SliceDecoder(hex("01 02 03"));
    decoder.skip(2);
    expect(decoder.position).toBe(2);
    expect(() => decoder.skip(2)).toThrow(/offset 2: it needs 2 byte\(s\) but only 1 remain/);
    expect(decoder.position).toBe(2);
    decoder.skip(0);
    expect(decoder.decodeUInt8()).toBe(3);
  });

  test("a failed decode leaves the position where the value started", () => {
    const decoder = new SliceDecoder(hex("01 FD"));
    decoder.skip(1);
    expect(() => decoder.decodeVarUInt62()).toThrow(InvalidDataError);
    expect(decoder.position).toBe(1);
    expect(decoder.remaining).toBe(1);
  });

  test("negative or fractional byte counts are caller errors", () => {
    const decoder = new SliceDecoder(hex("01 02"));
    expect(() => decoder.skip(-1)).toThrow(RangeError);
    expect(() => decoder.decodeBytes(0.5)).toThrow(RangeError);
  });

  test("decodeBytes returns a view, not a copy", () => {
    const backing = hex("01 02 03 04");
    const bytes = new SliceDecoder(backing).decodeBytes(3);
    backing[1] = 0xff;
    expect(toHex(bytes)).toBe("01 FF 03");
  });
});
