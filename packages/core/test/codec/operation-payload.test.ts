import { describe, expect, it } from "@jest/globals";
import { InvalidDataError } from "../../src/errors/index.js";
import { decodeOperationPayload, encodeOperationPayload } from "../../src/codec/index.js";
import { hex, toHex } from "./bytes.js";

describe("operation payload, as IceRPC C#'s Slice-generated code writes it", () => {
  it("encodes greet(\"Bob\") to C#'s bytes: a 4-byte segment size, the string, the tag end marker", () => {
    const payload = encodeOperationPayload((encoder) => encoder.encodeString("Bob"));
    expect(toHex(payload)).toBe("16 00 00 00 0C 42 6F 62 FC");
  });

  it("reserves each string's size from its UTF-16 length, as C# does, so a 21-character string's size takes 2 bytes", () => {
    const name = "a".repeat(21);
    const payload = encodeOperationPayload((encoder) => encoder.encodeString(name));
    // The segment's size (24) on 4 bytes, then the string's size on 2 bytes (21 << 2 | 1 = 0x55), 21 bytes, FC.
    expect(toHex(payload.subarray(0, 7))).toBe("62 00 00 00 55 00 61");
    expect(decodeOperationPayload(payload, (decoder) => decoder.decodeString())).toBe(name);
  });

  it("round-trips several parameters in order", () => {
    const payload = encodeOperationPayload((encoder) => {
      encoder.encodeString("Bob");
      encoder.encodeInt32(-7);
      encoder.encodeBool(true);
    });
    const decoded = decodeOperationPayload(payload, (decoder) => [
      decoder.decodeString(),
      decoder.decodeInt32(),
      decoder.decodeBool(),
    ]);
    expect(decoded).toEqual(["Bob", -7, true]);
  });

  it("accepts a segment size on 1 byte, which any Slice2 peer may write", () => {
    expect(decodeOperationPayload(hex("14 0C 42 6F 62 FC"), (decoder) => decoder.decodeString())).toBe("Bob");
  });

  it("skips tagged parameters it does not know, a newer peer's", () => {
    // "Bob", then tag 5 with a 2-byte value, then the end marker.
    const payload = hex("24 0C 42 6F 62 14 08 AA BB FC");
    expect(decodeOperationPayload(payload, (decoder) => decoder.decodeString())).toBe("Bob");
  });

  it("does not read the bytes after the segment, where a stream parameter goes", () => {
    expect(decodeOperationPayload(hex("14 0C 42 6F 62 FC 01 02 03"), (decoder) => decoder.decodeString())).toBe("Bob");
  });

  it.each([
    ["without the tag end marker", "10 0C 42 6F 62"],
    ["with bytes after the tag end marker", "18 0C 42 6F 62 FC 00"],
    ["cut inside the segment", "20 0C 42 6F 62"],
    ["cut inside a parameter", "0C 0C 42 6F"],
    ["with a tagged parameter whose value runs past the segment", "1C 0C 42 6F 62 14 10 AA"],
  ])("rejects a payload %s with InvalidDataError", (_, bytes) => {
    expect(() => decodeOperationPayload(hex(bytes), (decoder) => decoder.decodeString())).toThrow(InvalidDataError);
  });
});
