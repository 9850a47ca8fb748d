import { describe, expect, test } from "@jest/globals";
import { InvalidDataError } from "../../src/errors/index.js";
import {
  decodeGoAwayBody,
  decodeSettingsBody,
  encodeGoAwayFrame,
  encodeSettingsFrame,
} from "../../src/protocol/control-frames.js";
import { hex, toHex } from "./hex.js";

describe("Settings frame", () => {
  test("with the default MaxHeaderSize is the empty Settings every C# peer sends: 00 05 00 00", () => {
    expect(toHex(encodeSettingsFrame({ maxHeaderSize: 16_383 }))).toBe("00 05 00 00");
  });

  test("with MaxHeaderSize 1000 is 00 11 00 04 00 A1 0F", () => {
    expect(toHex(encodeSettingsFrame({ maxHeaderSize: 1000 }))).toBe("00 11 00 04 00 A1 0F");
  });

  test("decodes an empty dictionary and a MaxHeaderSize entry", () => {
    expect(decodeSettingsBody(hex("00"))).toEqual({});
    expect(decodeSettingsBody(hex("04 00 A1 0F"))).toEqual({ maxHeaderSize: 1000 });
  });

  test("accepts over-long encodings of count, key and value, as C# may write them", () => {
    expect(decodeSettingsBody(hex("05 00 01 00 A2 0F 00 00"))).toEqual({ maxHeaderSize: 1000 });
  });

  test("ignores unknown settings", () => {
    expect(decodeSettingsBody(hex("08 04 08 00 A1 0F"))).toEqual({ maxHeaderSize: 1000 });
  });

  test.each([
    ["a huge dictionary count", "FF FF FF FF FF FF FF FF"],
    ["a truncated dictionary", "08 00 A1 0F"],
    ["trailing bytes", "04 00 A1 0F 00"],
    ["MaxHeaderSize below 63", "04 00 F8"],
    ["MaxHeaderSize above 1,048,575", "04 00 02 00 40 00"],
    ["a duplicate key", "08 00 A1 0F 00 A1 0F"],
    ["an empty body", ""],
  ])("rejects %s with InvalidDataError", (_, body) => {
    expect(() => decodeSettingsBody(hex(body))).toThrow(InvalidDataError);
  });
});

describe("GoAway frame", () => {
  test("of a client that accepted nothing: 01 09 00 04 1C", () => {
    expect(toHex(encodeGoAwayFrame({ bidirectionalStreamId: 1, unidirectionalStreamId: 7 }, 2))).toBe("01 09 00 04 1C");
  });

  test("of a server that accepted bidirectional streams 0, 4, 8: 01 09 00 30 18", () => {
    expect(toHex(encodeGoAwayFrame({ bidirectionalStreamId: 12, unidirectionalStreamId: 6 }, 2))).toBe("01 09 00 30 18");
  });

  test("uses the size width of the peer's MaxHeaderSize", () => {
    expect(toHex(encodeGoAwayFrame({ bidirectionalStreamId: 1, unidirectionalStreamId: 7 }, 1))).toBe("01 08 04 1C");
    expect(toHex(encodeGoAwayFrame({ bidirectionalStreamId: 1, unidirectionalStreamId: 7 }, 4))).toBe("01 0A 00 00 00 04 1C");
  });

  test("decodes its body, over-long forms included", () => {
    expect(decodeGoAwayBody(hex("30 18"))).toEqual({ bidirectionalStreamId: 12, unidirectionalStreamId: 6 });
    expect(decodeGoAwayBody(hex("31 00 1A 00 00 00"))).toEqual({ bidirectionalStreamId: 12, unidirectionalStreamId: 6 });
  });

  test.each([
    ["a truncated body", "30"],
    ["trailing bytes", "30 18 00"],
    ["an empty body", ""],
  ])("rejects %s with InvalidDataError", (_, body) => {
    expect(() => decodeGoAwayBody(hex(body))).toThrow(InvalidDataError);
  });
});
