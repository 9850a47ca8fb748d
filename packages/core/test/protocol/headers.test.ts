import { describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException, InvalidDataError } from "../../src/errors/index.js";
import { decodeRequestHeader, encodeRequestHeader } from "../../src/protocol/request-header.js";
import { decodeResponseHeader, encodeResponseHeader } from "../../src/protocol/response-header.js";
import { RequestFieldKey } from "../../src/protocol/field-keys.js";
import type { OutgoingFieldValue } from "../../src/protocol/fields.js";
import { hex, toHex } from "./hex.js";

function request(path: string, operation: string, fields: Array<[number, OutgoingFieldValue]> = []) {
  return { serviceAddress: { path }, operation, fields: new Map(fields) };
}

describe("request header", () => {
  test("/hello.Greeter greet, no fields: the bytes of reference §1.5", () => {
    expect(toHex(encodeRequestHeader(request("/hello.Greeter", "greet"), 16_383, 2))).toBe(
      "59 00 38 2F 68 65 6C 6C 6F 2E 47 72 65 65 74 65 72 14 67 72 65 65 74 00",
    );
  });

  test("the docs' example for /foo op: 25 00 10 2F 66 6F 6F 08 6F 70 00", () => {
    expect(toHex(encodeRequestHeader(request("/foo", "op"), 16_383, 2))).toBe("25 00 10 2F 66 6F 6F 08 6F 70 00");
  });

  test("marked idempotent: one field, key 4 with an empty value", () => {
    const bytes = encodeRequestHeader(request("/hello.Greeter", "greet", [[RequestFieldKey.Idempotent, new Uint8Array(0)]]), 16_383, 2);
    expect(toHex(bytes)).toBe("61 00 38 2F 68 65 6C 6C 6F 2E 47 72 65 65 74 65 72 14 67 72 65 65 74 04 10 00");
  });

  test("a field written by an encode function gets its size on the header-size width, as C# does", () => {
    const ticks = 639028224000000000n;
    const bytes = encodeRequestHeader(
      request("/a", "b", [[RequestFieldKey.Deadline, (encoder) => encoder.encodeInt64(ticks)]]),
      16_383,
      2,
    );
    // The Deadline entry for 2026-01-01T00:00Z of reference §1.7.
    expect(toHex(bytes).endsWith("04 0C 21 00 00 00 F8 B4 C8 48 DE 08")).toBe(true);
  });

  test("round-trips path, operation and fields", () => {
    const bytes = encodeRequestHeader(request("/a/b", "op", [[7, hex("01 02")], [0, hex("")]]), 16_383, 2);
    const decoded = decodeRequestHeader(bytes.subarray(2));
    expect(decoded.path).toBe("/a/b");
    expect(decoded.operation).toBe("op");
    expect([...decoded.fields]).toEqual([[7, hex("01 02")], [0, hex("")]]);
  });

  test("decodes the minimal string sizes other encoders write", () => {
    expect(decodeRequestHeader(hex("10 2F 66 6F 6F 08 6F 70 00")).path).toBe("/foo");
    expect(decodeRequestHeader(hex("11 00 2F 66 6F 6F 09 00 6F 70 01 00")).operation).toBe("op");
  });

  test("larger than the peer's MaxHeaderSize fails with LimitExceeded", () => {
    const encode = () => encodeRequestHeader(request("/" + "x".repeat(100), "op"), 63, 1);
    expect(encode).toThrow(IceRpcException);
    try {
      encode();
    } catch (error) {
      expect((error as IceRpcException).error).toBe(IceRpcError.LimitExceeded);
    }
  });

  test.each([
    ["a path with CR LF", "/a\r\nb"],
    ["a path with NUL", "/a\u0000"],
    ["a path without leading slash", "a"],
    ["a path with a space", "/a b"],
  ])("rejects %s", (_, path) => {
    const utf8 = new TextEncoder().encode(path);
    const hostile = new Uint8Array([utf8.length << 2, ...utf8, 0x08, 0x6f, 0x70, 0x00]);
    expect(() => decodeRequestHeader(hostile)).toThrow(InvalidDataError);
  });

  test.each([
    ["a duplicate field key", "10 2F 66 6F 6F 08 6F 70 08 04 00 04 00"],
    ["an overflowing field count", "10 2F 66 6F 6F 08 6F 70 FF FF FF FF FF FF FF FF"],
    ["a field value past the end", "10 2F 66 6F 6F 08 6F 70 04 04 10 01"],
    ["trailing bytes", "10 2F 66 6F 6F 08 6F 70 00 00"],
    ["invalid UTF-8 in the operation", "10 2F 66 6F 6F 08 C3 28 00"],
    ["a truncated header", "10 2F 66"],
  ])("rejects %s with InvalidDataError", (_, bytes) => {
    expect(() => decodeRequestHeader(hex(bytes))).toThrow(InvalidDataError);
  });
});

describe("response header", () => {
  test("Ok, no fields: 09 00 00 00", () => {
    expect(toHex(encodeResponseHeader({ statusCode: 0, errorMessage: undefined, fields: new Map() }, 16_383, 2))).toBe("09 00 00 00");
  });

  test("ApplicationError 'boom': 1D 00 04 10 62 6F 6F 6D 00", () => {
    expect(toHex(encodeResponseHeader({ statusCode: 1, errorMessage: "boom", fields: new Map() }, 16_383, 2))).toBe(
      "1D 00 04 10 62 6F 6F 6D 00",
    );
  });

  test("decodes what a C# router sends for an unknown path, with its 2-byte string size", () => {
    const message = "The dispatch failed with status code NotFound.";
    const body = new Uint8Array([0x08, 0xb9, 0x00, ...new TextEncoder().encode(message), 0x00]);
    expect(decodeResponseHeader(body)).toEqual({ statusCode: 2, errorMessage: message, fields: new Map() });
  });

  test("round-trips a compression field", () => {
    const bytes = encodeResponseHeader({ statusCode: 0, errorMessage: undefined, fields: new Map([[2, hex("02")]]) }, 16_383, 2);
    // The CompressionFormat = Brotli entry of reference §1.7 is 08 04 02.
    expect(toHex(bytes)).toBe("15 00 00 04 08 04 02");
    expect(decodeResponseHeader(bytes.subarray(2)).fields.get(2)).toEqual(hex("02"));
  });

  test.each([
    ["an overflowing field count", "00 FF FF FF FF FF FF FF FF"],
    ["a missing error message", "04"],
    ["trailing bytes", "00 00 00"],
  ])("rejects %s with InvalidDataError", (_, bytes) => {
    expect(() => decodeResponseHeader(hex(bytes))).toThrow(InvalidDataError);
  });
});
