import { describe, expect, test } from "@jest/globals";
import { type DecodeElement, SliceDecoder, type SliceEncoder, VAR_UINT62_MAX } from "../../src/codec/index.js";
import { InvalidDataError } from "../../src/errors/index.js";
import { decodeAll, encodeWith, hex, toHex } from "./bytes.js";

const encodeString = (e: SliceEncoder, value: string): void => e.encodeString(value);
const decodeString = (d: SliceDecoder): string => d.decodeString();
const encodeVarUInt62 = (e: SliceEncoder, value: number): void => e.encodeVarUInt62(value);
const decodeVarUInt62 = (d: SliceDecoder): number => d.decodeVarUInt62();

/** A decode callback that records how often it runs, to prove a hostile count is rejected before any element. */
function countingDecoder<T>(decode: DecodeElement<T>): { decode: DecodeElement<T>; calls: () => number } {
  let calls = 0;
  return {
    decode: (d) => {
      ++calls;
      return decode(d);
    },
    calls: () => calls,
  };
}

describe("sequences", () => {
  test("an empty sequence is a zero count", () => {
    const bytes = encodeWith((e) => e.encodeSequence([], encodeString));
    expect(toHex(bytes)).toBe("00");
    expect(decodeAll(bytes, (d) => d.decodeSequence(decodeString))).toEqual([]);
  });

  test("a sequence is its count then its elements in order", () => {
    const bytes = encodeWith((e) => e.encodeSequence(["a", "bc"], encodeString));
    expect(toHex(bytes)).toBe("08 04 61 08 62 63");
    expect(decodeAll(bytes, (d) => d.decodeSequence(decodeString))).toEqual(["a", "bc"]);
  });

  test("a sequence of 1000 elements round-trips", () => {
    const values = Array.from({ length: 1000 }, (_, i) => i * 997);
    const bytes = encodeWith((e) => e.encodeSequence(values, encodeVarUInt62));
    expect(decodeAll(bytes, (d) => d.decodeSequence(decodeVarUInt62))).toEqual(values);
  });

  test("a count that cannot fit in the remaining bytes is rejected before decoding any element", () => {
    const element = countingDecoder((d) => d.decodeInt32());
    // 3 elements of at least 4 bytes in 8 bytes.
    const decoder = new SliceDecoder(hex("0C 01 00 00 00 02 00 00 00"));
    expect(() => decoder.decodeSequence(element.decode, 4)).toThrow(InvalidDataError);
    expect(element.calls()).toBe(0);
    // The same bytes are fine with 2 elements.
    expect(decodeAll(hex("08 01 00 00 00 02 00 00 00"), (d) => d.decodeSequence((e) => e.decodeInt32(), 4))).toEqual([
      1, 2,
    ]);
  });

  test("a count of 2^31-1 with a few bytes left is rejected without allocating", () => {
    const element = countingDecoder(decodeVarUInt62);
    const bytes = encodeWith((e) => (e.encodeSize(2 ** 31 - 1), e.encodeBytes(hex("04 04 04"))));
    expect(() => new SliceDecoder(bytes).decodeSequence(element.decode)).toThrow(
      /announces 2147483647 element\(s\) of at least 1 byte\(s\) each, but only 3 byte\(s\) remain/,
    );
    expect(element.calls()).toBe(0);
  });

  test("a minimum element size below 1 is a caller error", () => {
    expect(() => new SliceDecoder(hex("00")).decodeSequence(decodeString, 0)).toThrow(RangeError);
  });

  test("byte sequences are a size then raw bytes, decoded as a view without copying", () => {
    const bytes = encodeWith((e) => e.encodeByteSequence(hex("DE AD BE EF")));
    expect(toHex(bytes)).toBe("10 DE AD BE EF");
    const decoded = decodeAll(bytes, (d) => d.decodeByteSequence());
    expect(toHex(decoded)).toBe("DE AD BE EF");
    expect(decoded.buffer).toBe(bytes.buffer);
    expect(toHex(encodeWith((e) => e.encodeByteSequence(new Uint8Array(0))))).toBe("00");
  });
});

describe("dictionaries", () => {
  test("an empty dictionary is a zero count", () => {
    const bytes = encodeWith((e) => e.encodeDictionary(new Map<number, string>(), encodeVarUInt62, encodeString));
    expect(toHex(bytes)).toBe("00");
    expect(decodeAll(bytes, (d) => d.decodeDictionary(decodeVarUInt62, decodeString)).size).toBe(0);
  });

  test("entries are encoded key then value, in insertion order, from a Map or an array of pairs", () => {
    const entries: [string, string][] = [
      ["z", "last letter"],
      ["a", ""],
      ["clé", "välue"],
    ];
    const fromMap = encodeWith((e) => e.encodeDictionary(new Map(entries), encodeString, encodeString));
    const fromArray = encodeWith((e) => e.encodeDictionary(entries, encodeString, encodeString));
    expect(toHex(fromArray)).toBe(toHex(fromMap));
    expect(toHex(fromMap.subarray(0, 3))).toBe("0C 04 7A");
    const decoded = decodeAll(fromMap, (d) => d.decodeDictionary(decodeString, decodeString));
    expect([...decoded]).toEqual(entries);
  });

  test("the Settings body with MaxHeaderSize = 1000 is count 1, key 0, value 1000 (protocol reference §1.4)", () => {
    const bytes = encodeWith((e) => e.encodeDictionary(new Map([[0, 1000]]), encodeVarUInt62, encodeVarUInt62));
    expect(toHex(bytes)).toBe("04 00 A1 0F");
    expect(decodeAll(bytes, (d) => d.decodeDictionary(decodeVarUInt62, decodeVarUInt62))).toEqual(new Map([[0, 1000]]));
  });

  test("a duplicate key is invalid data", () => {
    const bytes = hex("08 04 08 04 0C");
    expect(() => new SliceDecoder(bytes).decodeDictionary(decodeVarUInt62, decodeVarUInt62)).toThrow(
      /Duplicate dictionary key 1 at offset 3/,
    );
  });

  test("a hostile count of 2^62-1 is rejected at once, before any entry is decoded", () => {
    const key = countingDecoder(decodeVarUInt62);
    const bytes = encodeWith((e) => (e.encodeVarUInt62(VAR_UINT62_MAX), e.encodeBytes(hex("00 00"))));
    expect(() => new SliceDecoder(bytes).decodeDictionary(key.decode, decodeVarUInt62)).toThrow(
      /size at offset 0 is 4611686018427387903, outside the accepted range 0..2147483647/,
    );
    expect(key.calls()).toBe(0);
  });

  test("a count whose minimal entries (2 bytes by default) cannot fit is rejected", () => {
    const key = countingDecoder(decodeVarUInt62);
    // 3 entries need at least 6 bytes; only 5 remain.
    expect(() => new SliceDecoder(hex("0C 00 04 04 08 08")).decodeDictionary(key.decode, decodeVarUInt62)).toThrow(
      InvalidDataError,
    );
    expect(key.calls()).toBe(0);
  });

  test("decodeCount lets a caller decode entries one by one with the same bound", () => {
    const decoder = new SliceDecoder(hex("08 00 04 04 08"));
    expect(decoder.decodeCount(2)).toBe(2);
    expect(() => new SliceDecoder(hex("0C 00 04 04 08")).decodeCount(2)).toThrow(InvalidDataError);
  });
});

describe("bit sequences", () => {
  test("bit i of byte j is element 8j + i; unused bits are zero", () => {
    expect(toHex(encodeWith((e) => e.encodeBitSequence([true, false, true])))).toBe("05");
    const nine = [true, false, false, false, false, false, false, true, true];
    expect(toHex(encodeWith((e) => e.encodeBitSequence(nine)))).toBe("81 01");
    expect(toHex(encodeWith((e) => e.encodeBitSequence([])))).toBe("");
  });

  test("every length from 0 to 17 bits round-trips, with ceil(n / 8) bytes", () => {
    for (let length = 0; length <= 17; ++length) {
      const bits = Array.from({ length }, (_, i) => (i * 7) % 3 === 0);
      const bytes = encodeWith((e) => e.encodeBitSequence(bits));
      expect(bytes.length).toBe(Math.ceil(length / 8));
      expect(decodeAll(bytes, (d) => d.decodeBitSequence(length))).toEqual(bits);
    }
  });

  test("unused high bits of the last byte are ignored on decode, as IceRPC C# does", () => {
    expect(decodeAll(hex("FF"), (d) => d.decodeBitSequence(3))).toEqual([true, true, true]);
    expect(decodeAll(hex("F8"), (d) => d.decodeBitSequence(3))).toEqual([false, false, false]);
  });

  test("a bit sequence longer than the remaining bytes is truncated data; a negative length is a caller error", () => {
    expect(() => new SliceDecoder(hex("FF")).decodeBitSequence(9)).toThrow(InvalidDataError);
    expect(() => new SliceDecoder(hex("FF")).decodeBitSequence(-1)).toThrow(RangeError);
  });
});
