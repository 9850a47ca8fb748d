import { describe, expect, test } from "@jest/globals";
import { InvalidDataError } from "@icerpc-ts/core";
import { SliceEncoder } from "@icerpc-ts/core/codec";
import { createTraceState, TraceFlags } from "@opentelemetry/api";
import { decodeTraceContext, encodeTraceContext, maxBaggageEntries, type TraceContext } from "../src/index.js";

const hex = (text: string) => Uint8Array.from(text.replace(/ /g, "").match(/../g)!, (pair) => Number.parseInt(pair, 16));

function encode(traceContext: TraceContext): Uint8Array {
  const encoder = new SliceEncoder();
  encodeTraceContext(encoder, traceContext);
  return encoder.finish();
}

const traceContext: TraceContext = {
  spanContext: {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: createTraceState("congo=t61rcWkgMzE"),
  },
  baggage: [["user", "alice"]],
};

// Reference section 1.7: uint8 version 0, the 16-byte trace id, the 8-byte span id, the flags byte, the tracestate
// as a Slice2 string (varuint62 size, 1 byte when below 64, then UTF-8) and the baggage as a Sequence of key/value
// string pairs (the count as a varuint62).
const expectedBytes = hex(
  "00 0af7651916cd43dd8448eb211c80319c b7ad6b7169203331 01" +
    " 44 636f6e676f3d7436317263576b674d7a45" + // size 17 (17 << 2 = 0x44) "congo=t61rcWkgMzE"
    " 04 10 75736572 14 616c696365", // count 1, "user", "alice"
);

describe("trace context field (request field 1)", () => {
  test("encodes the W3C binary traceparent, tracestate and baggage as IceRPC does", () => {
    expect(encode(traceContext)).toEqual(expectedBytes);
  });

  test("decodes what it encodes", () => {
    const decoded = decodeTraceContext(expectedBytes);
    expect(decoded.baggage).toEqual([["user", "alice"]]);
    expect(decoded.spanContext).toMatchObject({
      traceId: traceContext.spanContext.traceId,
      spanId: traceContext.spanContext.spanId,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(decoded.spanContext.traceState?.serialize()).toBe("congo=t61rcWkgMzE");
  });

  test("sends and keeps at most 64 baggage entries", () => {
    const baggage = Array.from({ length: 70 }, (_, i) => [`k${i}`, `v${i}`] as const);
    const encoded = encode({ ...traceContext, baggage });
    expect(decodeTraceContext(encoded).baggage).toHaveLength(maxBaggageEntries);

    // A peer that sends more: the first 64 are kept, as IceRPC C# does.
    const encoder = new SliceEncoder();
    encoder.encodeBytes(expectedBytes.subarray(0, 44));
    encoder.encodeSequence(baggage, (entryEncoder, [key, value]) => {
      entryEncoder.encodeString(key);
      entryEncoder.encodeString(value);
    });
    const kept = decodeTraceContext(encoder.finish()).baggage;
    expect(kept).toHaveLength(maxBaggageEntries);
    expect(kept.at(-1)).toEqual(["k63", "v63"]);
  });

  test("rejects truncated or malformed bytes with InvalidDataError", () => {
    for (let length = 0; length < expectedBytes.length; ++length) {
      expect(() => decodeTraceContext(expectedBytes.subarray(0, length))).toThrow(InvalidDataError);
    }
    // A baggage count far beyond the bytes that follow.
    const hugeCount = Uint8Array.of(...expectedBytes.subarray(0, 44), 0xfe, 0xff, 0xff, 0x7f);
    expect(() => decodeTraceContext(hugeCount)).toThrow(InvalidDataError);
  });
});
