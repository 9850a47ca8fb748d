// The frame codec against the bytes IceRPC C# sent: every golden Slic frame decodes to the values its description
// gives, and encoding those values gives the golden bytes. No width difference was needed: the encoder writes
// sizes and values on C#'s widths (see frame-encoder.ts).
import { describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import { concatBytes } from "@icerpc-ts/primitives";

import {
  decodeInitializeAckBody,
  decodeInitializeBody,
  decodePingBody,
  decodeVarUInt62Body,
  decodeVersionBody,
  encodeInitializeAckBody,
  encodeInitializeBody,
  encodePingBody,
  encodeVarUInt62Body,
  encodeVersionBody,
} from "../src/frame-bodies.js";
import { encodeConnectionFrame, encodeStreamControlFrame, encodeStreamDataHeader } from "../src/frame-encoder.js";
import { FrameType } from "../src/frame-type.js";
import { decodeFrames, type Frame, hex, toHex } from "./support/frames.js";
import { goldenEntries, goldenEntry } from "./support/golden.js";

function only(bytes: Uint8Array): Frame {
  const frames = decodeFrames([bytes]);
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

function golden(id: string): Uint8Array {
  return hex(goldenEntry(id).hex!);
}

const defaultClientParameters = {
  maxStreamFrameSize: 32_768,
  initialStreamWindowSize: 65_536,
  idleTimeout: 30_000,
  maxUnidirectionalStreams: 1,
};

describe("golden Slic frames decode to their described values and encode back to the same bytes", () => {
  test("Initialize of a default C# client", () => {
    const bytes = golden("slic.initialize.client-default");
    const frame = only(bytes);
    expect(frame.type).toBe(FrameType.Initialize);
    expect(decodeInitializeBody(frame.body)).toEqual({ version: 1, parameters: defaultClientParameters });
    expect(toHex(encodeConnectionFrame(FrameType.Initialize, encodeInitializeBody(1, defaultClientParameters)))).toBe(
      toHex(bytes),
    );
  });

  test("Initialize of a C# client with a 1,000 ms idle timeout", () => {
    const bytes = golden("slic.initialize.client-idle-timeout-1000ms");
    const parameters = { ...defaultClientParameters, idleTimeout: 1000 };
    expect(decodeInitializeBody(only(bytes).body)).toEqual({ version: 1, parameters });
    expect(toHex(encodeConnectionFrame(FrameType.Initialize, encodeInitializeBody(1, parameters)))).toBe(toHex(bytes));
  });

  test("InitializeAck of a default C# server: 100 bidirectional, 101 unidirectional streams", () => {
    const bytes = golden("slic.initializeAck.server-default");
    const frame = only(bytes);
    expect(frame.type).toBe(FrameType.InitializeAck);
    const parameters = {
      maxStreamFrameSize: 32_768,
      initialStreamWindowSize: 65_536,
      idleTimeout: 30_000,
      maxBidirectionalStreams: 100,
      maxUnidirectionalStreams: 101,
    };
    expect(decodeInitializeAckBody(frame.body)).toEqual(parameters);
    expect(toHex(encodeConnectionFrame(FrameType.InitializeAck, encodeInitializeAckBody(parameters)))).toBe(
      toHex(bytes),
    );
  });

  test("Version [1], as the reference gives it (no golden capture: C# never needed to negotiate)", () => {
    const bytes = hex("03 09 00 04 04");
    expect(decodeVersionBody(only(bytes).body)).toEqual([1]);
    expect(toHex(encodeConnectionFrame(FrameType.Version, encodeVersionBody([1])))).toBe(toHex(bytes));
  });

  for (const id of ["slic.close.client-no-error", "slic.close.server-no-error-reply", "slic.close.server-initiated"]) {
    test(`Close(NoError): ${id}`, () => {
      const bytes = golden(id);
      const frame = only(bytes);
      expect(frame.type).toBe(FrameType.Close);
      expect(decodeVarUInt62Body("Close", frame.body)).toBe(0);
      expect(toHex(encodeConnectionFrame(FrameType.Close, encodeVarUInt62Body(0)))).toBe(toHex(bytes));
    });
  }

  test("Ping and Pong carry an 8-byte little-endian int64: the read ping's 1", () => {
    for (const [id, type] of [
      ["slic.ping.read-ping", FrameType.Ping],
      ["slic.pong", FrameType.Pong],
    ] as const) {
      const bytes = golden(id);
      const frame = only(bytes);
      expect(frame.type).toBe(type);
      expect(decodePingBody(FrameType[type], frame.body)).toBe(1n);
      expect(toHex(encodeConnectionFrame(type, encodePingBody(1n)))).toBe(toHex(bytes));
    }
  });

  test("Stream frames of the icerpc control streams: size on 4 bytes, Settings 00 05 00 00", () => {
    for (const [id, streamId] of [
      ["slic.stream.client-control-settings", 2],
      ["slic.stream.server-control-settings", 3],
    ] as const) {
      const bytes = golden(id);
      expect(only(bytes)).toEqual({ type: FrameType.Stream, streamId, body: hex("00 05 00 00") });
      expect(toHex(concatBytes([encodeStreamDataHeader(false, streamId, 4), hex("00050000")]))).toBe(toHex(bytes));
    }
  });

  test("a whole request and its response, each in one StreamLast on stream 0", () => {
    for (const [id, payloadId] of [
      ["slic.streamLast.request-echo-with-context", "icerpc.request.twoway.echo-with-context"],
      ["slic.streamLast.response-ok", "icerpc.response.ok.echo"],
    ] as const) {
      const bytes = golden(id);
      const data = golden(payloadId);
      expect(only(bytes)).toEqual({ type: FrameType.StreamLast, streamId: 0, body: data });
      expect(toHex(concatBytes([encodeStreamDataHeader(true, 0, data.length), data]))).toBe(toHex(bytes));
    }
  });

  test("an empty StreamLast has its size on 2 bytes", () => {
    const bytes = golden("slic.streamLast.empty-control-stream-end");
    expect(only(bytes)).toEqual({ type: FrameType.StreamLast, streamId: 3, body: new Uint8Array(0) });
    expect(toHex(encodeStreamControlFrame(FrameType.StreamLast, 3))).toBe(toHex(bytes));
  });

  test("StreamReadsClosed after a response and after a one-way request", () => {
    for (const [id, streamId] of [
      ["slic.streamReadsClosed.after-response", 0],
      ["slic.streamReadsClosed.oneway", 6],
    ] as const) {
      const bytes = golden(id);
      expect(only(bytes)).toEqual({ type: FrameType.StreamReadsClosed, streamId, body: new Uint8Array(0) });
      expect(toHex(encodeStreamControlFrame(FrameType.StreamReadsClosed, streamId))).toBe(toHex(bytes));
    }
  });

  test("StreamWindowUpdate increments, one above half the window (65,536)", () => {
    const updates = goldenEntries.filter((entry) => entry.id.startsWith("slic.streamWindowUpdate."));
    expect(updates).toHaveLength(5);
    for (const entry of updates) {
      const bytes = hex(entry.hex!);
      const frame = only(bytes);
      expect(frame.type).toBe(FrameType.StreamWindowUpdate);
      expect(frame.streamId).toBe(12);
      expect(decodeVarUInt62Body("StreamWindowUpdate", frame.body)).toBe(entry.windowSizeIncrement);
      const encoded = encodeStreamControlFrame(
        FrameType.StreamWindowUpdate,
        12,
        encodeVarUInt62Body(entry.windowSizeIncrement!),
      );
      expect(toHex(encoded)).toBe(toHex(bytes));
    }
  });

  test("the data frames of the 100,000-byte echo: 32,768 bytes each (the MaxStreamFrameSize), size on 4 bytes", () => {
    const { frames } = goldenEntry("slic.stream.big-echo-frame-headers");
    for (const frame of frames!) {
      const last = frame.frameName === "StreamLast";
      expect(frame.hexHeader).toBe(toHex(encodeStreamDataHeader(last, 12, frame.dataLength!)));
      expect(frame.bodySize).toBe(frame.dataLength! + 1);
    }
    const sent = (dir: string): number =>
      frames!.filter((frame) => frame.dir === dir).reduce((total, frame) => total + frame.dataLength!, 0);
    // The request's header (14 bytes) and the response's (4) precede the 100,000-byte payload.
    expect(sent("c2s")).toBe(100_014);
    expect(sent("s2c")).toBe(100_004);
  });

  test("every golden frame kept whole decodes, also when split at any byte boundary", () => {
    const whole = goldenEntries.flatMap((entry) =>
      entry.layer === "slic-frame"
        ? [hex(entry.hex!)]
        : entry.layer === "slic-frame-sequence"
          ? (entry.frames ?? []).filter((frame) => frame.hex !== undefined).map((frame) => hex(frame.hex!))
          : [],
    );
    const stream = concatBytes(whole);
    const expected = decodeFrames(whole.map((bytes) => bytes));
    expect(expected).toHaveLength(whole.length);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(decodeFrames([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(expected);
    }
    expect(decodeFrames(Array.from(stream, (byte) => Uint8Array.of(byte)))).toEqual(expected);
  });
});

describe("the decoder bounds every size and rejects what C# rejects, as a Slic protocol error", () => {
  function expectProtocolError(bytes: Uint8Array, maxStreamFrameSize?: number): void {
    let error: unknown;
    try {
      decodeFrames([bytes], maxStreamFrameSize);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IceRpcException);
    expect((error as IceRpcException).error).toBe(IceRpcError.IceRpcError);
  }

  test("unknown frame types, on their first byte", () => {
    expectProtocolError(hex("00"));
    expectProtocolError(hex("0c"));
    expectProtocolError(hex("ff"));
  });

  test("a control frame body above 16,383 bytes, from its header alone", () => {
    expectProtocolError(hex("05 02 00 01 00")); // Ping with a 16,384-byte body (size on 4 bytes)
    expectProtocolError(hex("0a 06 00 01 00 00")); // StreamWindowUpdate: 16,385 bytes, 16,384 after its stream id
  });

  test("a size beyond the safe integers", () => {
    expectProtocolError(hex("07 ff ff ff ff ff ff ff ff 00"));
  });

  test("stream data above this side's MaxStreamFrameSize, from the header alone", () => {
    expectProtocolError(encodeStreamDataHeader(false, 0, 1025), 1024);
    const atTheLimit = concatBytes([encodeStreamDataHeader(false, 0, 1024), new Uint8Array(1024)]);
    expect(decodeFrames([atTheLimit], 1024)).toHaveLength(1);
  });

  test("a stream frame of size 0, or smaller than its stream id", () => {
    expectProtocolError(hex("07 00"));
    expectProtocolError(hex("09 00"));
    expectProtocolError(hex("09 04 01 00")); // size 1, stream id on 2 bytes
  });
});
