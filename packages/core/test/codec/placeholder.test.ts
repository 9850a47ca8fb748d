import { describe, expect, test } from "@jest/globals";
import { SliceDecoder, SliceEncoder, type VarIntWidth } from "../../src/codec/index.js";
import { decodeAll, encodeWith, hex, toHex } from "./bytes.js";

const HEADER_SIZE_WIDTH: VarIntWidth = 2; // what icerpc uses with the default MaxHeaderSize of 16,383

describe("placeholders", () => {
  test("a size reserved on 2 bytes and filled with 1 is 05 00", () => {
    const bytes = encodeWith((e) => {
      const placeholder = e.reserveVarUInt62(2);
      e.encodeSize(0);
      e.fillVarUInt62(placeholder, e.length - placeholder.offset - placeholder.width);
    });
    expect(toHex(bytes)).toBe("05 00 00");
  });

  test.each([1, 2, 4, 8] as const)("a placeholder of %d byte(s) holds its width's largest value", (width) => {
    const max = width === 8 ? 2n ** 62n - 1n : BigInt(2 ** (width * 8 - 2) - 1);
    const bytes = encodeWith((e) => e.fillVarUInt62(e.reserveVarUInt62(width), max));
    expect(bytes.length).toBe(width);
    expect(decodeAll(bytes, (d) => d.decodeVarUInt62AsBigInt())).toBe(max);
  });

  test("a value too large for the placeholder throws RangeError and leaves the placeholder unchanged", () => {
    const encoder = new SliceEncoder();
    const placeholder = encoder.reserveVarUInt62(2);
    expect(() => encoder.fillVarUInt62(placeholder, 16_384)).toThrow(RangeError);
    expect(() => encoder.fillVarUInt62(placeholder, -1)).toThrow(RangeError);
    expect(toHex(encoder.finish())).toBe("00 00");
  });

  test("a placeholder outside what was written is rejected", () => {
    const encoder = new SliceEncoder();
    expect(() => encoder.fillVarUInt62({ offset: 0, width: 2 }, 1)).toThrow(RangeError);
  });

  test("a placeholder survives the buffer growing before it is filled", () => {
    const encoder = new SliceEncoder({ initialCapacity: 2 });
    const placeholder = encoder.reserveVarUInt62(4);
    const body = new Uint8Array(1000).fill(0xaa);
    encoder.encodeBytes(body);
    encoder.fillVarUInt62(placeholder, body.length);
    const decoder = new SliceDecoder(encoder.finish());
    expect(toHex(decoder.decodeByteSequence())).toBe(toHex(body));
    decoder.checkEndOfBuffer();
  });

  test("encodeSizePrefixed writes the body's size on the given width", () => {
    expect(toHex(encodeWith((e) => e.encodeSizePrefixed(2, (body) => body.encodeSize(0))))).toBe("05 00 00");
    expect(toHex(encodeWith((e) => e.encodeSizePrefixed(1, () => undefined)))).toBe("00");
    expect(() => new SliceEncoder().encodeSizePrefixed(1, (body) => body.encodeBytes(new Uint8Array(64)))).toThrow(
      RangeError,
    );
  });
});

describe("the primitives reproduce the protocol reference's icerpc bytes", () => {
  test("request header for /hello.Greeter greet, no fields, header size on 2 bytes (§1.5)", () => {
    const encoder = new SliceEncoder();
    const headerSize = encoder.reserveVarUInt62(HEADER_SIZE_WIDTH);
    const headerStart = encoder.length;
    encoder.encodeString("/hello.Greeter");
    encoder.encodeString("greet");
    encoder.encodeSize(0); // fields: an empty dictionary
    encoder.fillVarUInt62(headerSize, encoder.length - headerStart);
    expect(toHex(encoder.finish())).toBe(
      "59 00 38 2F 68 65 6C 6C 6F 2E 47 72 65 65 74 65 72 14 67 72 65 65 74 00",
    );

    const decoder = new SliceDecoder(encoder.finish());
    const size = decoder.decodeSize();
    expect(size).toBe(22);
    const header = new SliceDecoder(decoder.decodeBytes(size));
    decoder.checkEndOfBuffer();
    expect(header.decodeString()).toBe("/hello.Greeter");
    expect(header.decodeString()).toBe("greet");
    expect(header.decodeDictionary(decodeVarUInt62, (d) => d.decodeByteSequence()).size).toBe(0);
    header.checkEndOfBuffer();
  });

  test("the docs' request header for /foo op (§1.5)", () => {
    const bytes = encodeWith((e) =>
      e.encodeSizePrefixed(HEADER_SIZE_WIDTH, (header) => {
        header.encodeString("/foo");
        header.encodeString("op");
        header.encodeDictionary(new Map<number, Uint8Array>(), encodeVarUInt62, encodeByteSequence);
      }),
    );
    expect(toHex(bytes)).toBe("25 00 10 2F 66 6F 6F 08 6F 70 00");
  });

  test("an idempotent request: one field, key 4, empty value (§1.5)", () => {
    const bytes = encodeWith((e) =>
      e.encodeSizePrefixed(HEADER_SIZE_WIDTH, (header) => {
        header.encodeString("/hello.Greeter");
        header.encodeString("greet");
        header.encodeDictionary(new Map([[4, new Uint8Array(0)]]), encodeVarUInt62, encodeByteSequence);
      }),
    );
    expect(toHex(bytes)).toBe("61 00 38 2F 68 65 6C 6C 6F 2E 47 72 65 65 74 65 72 14 67 72 65 65 74 04 10 00");
  });

  test("a Deadline field entry: key 3, value size forced on 2 bytes, int64 ticks (§1.7)", () => {
    const ticks = 639_028_224_000_000_000n;
    const bytes = encodeWith((e) => {
      e.encodeVarUInt62(3);
      e.encodeSizePrefixed(HEADER_SIZE_WIDTH, (value) => value.encodeInt64(ticks));
    });
    expect(toHex(bytes)).toBe("0C 21 00 00 00 F8 B4 C8 48 DE 08");
  });

  test("Settings and GoAway control frames (§1.4)", () => {
    const settings = (entries: Map<number, number>): string =>
      toHex(
        encodeWith((e) => {
          e.encodeUInt8(0); // Settings
          e.encodeSizePrefixed(2, (body) => body.encodeDictionary(entries, encodeVarUInt62, encodeVarUInt62));
        }),
      );
    expect(settings(new Map())).toBe("00 05 00 00");
    expect(settings(new Map([[0, 1000]]))).toBe("00 11 00 04 00 A1 0F");

    const goAway = (bidirectional: number, unidirectional: number): string =>
      toHex(
        encodeWith((e) => {
          e.encodeUInt8(1); // GoAway
          e.encodeSizePrefixed(2, (body) => {
            body.encodeVarUInt62(bidirectional);
            body.encodeVarUInt62(unidirectional);
          });
        }),
      );
    expect(goAway(1, 7)).toBe("01 09 00 04 1C");
    expect(goAway(12, 6)).toBe("01 09 00 30 18");
  });

  test("response headers, including C#'s 2-byte string size for a 46-byte message (§1.6)", () => {
    const response = (statusCode: number, message: string | undefined, encoder: SliceEncoder): string => {
      encoder.encodeSizePrefixed(HEADER_SIZE_WIDTH, (header) => {
        header.encodeVarUInt62(statusCode);
        if (message !== undefined) {
          header.encodeString(message);
        }
        header.encodeSize(0);
      });
      return toHex(encoder.finish());
    };
    expect(response(0, undefined, new SliceEncoder())).toBe("09 00 00 00");
    expect(response(1, "boom", new SliceEncoder())).toBe("1D 00 04 10 62 6F 6F 6D 00");
    const notFound = response(
      2,
      "The dispatch failed with status code NotFound.",
      new SliceEncoder({ stringSizeEncoding: "fromMaxUtf8Length" }),
    );
    expect(notFound.startsWith("C9 00 08 B9 00 54 68 65 ")).toBe(true);
    expect(notFound.endsWith(" 2E 00")).toBe(true);
  });

  test("a C# header whose 22-char path got a 2-byte string size decodes like the minimal one (§1.9)", () => {
    const minimal = hex("58 2F 56 69 73 69 74 6F 72 43 65 6E 74 65 72 2E 47 72 65 65 74 65 72");
    const csharp = hex("59 00 2F 56 69 73 69 74 6F 72 43 65 6E 74 65 72 2E 47 72 65 65 74 65 72");
    expect(decodeAll(minimal, (d) => d.decodeString())).toBe("/VisitorCenter.Greeter");
    expect(decodeAll(csharp, (d) => d.decodeString())).toBe("/VisitorCenter.Greeter");
  });
});

function encodeVarUInt62(encoder: SliceEncoder, value: number): void {
  encoder.encodeVarUInt62(value);
}

function decodeVarUInt62(decoder: SliceDecoder): number {
  return decoder.decodeVarUInt62();
}

function encodeByteSequence(encoder: SliceEncoder, value: Uint8Array): void {
  encoder.encodeByteSequence(value);
}
