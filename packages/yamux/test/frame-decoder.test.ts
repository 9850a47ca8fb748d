// The frame parser on its own: header fields, payload views, any chunking, and bad headers.
import { describe, expect, test } from "@jest/globals";
import { concatBytes } from "@icerpc-ts/primitives";

import { FrameDecoder } from "../src/frame-decoder.js";
import { YamuxError, YamuxErrorCode } from "../src/index.js";
import {
  Flag,
  type Frame,
  FrameType,
  decodeFrames,
  describeFrames,
  frame,
  splitAt,
  splitEvery,
  splitRandomly,
} from "./support/frames.js";
import { pattern } from "./support/sessions.js";

/** A stream of frames of every type, flag combination and payload size 0 to 40, and optionally a 100 KiB one. */
function sampleStream(withLargeFrame: boolean): { bytes: Uint8Array; frames: Frame[] } {
  const frames: Frame[] = [];
  const encoded: Uint8Array[] = [];
  const add = (type: FrameType, flags: number, streamId: number, lengthOrPayload: number | Uint8Array) => {
    encoded.push(frame(type, flags, streamId, lengthOrPayload));
    const payload = typeof lengthOrPayload === "number" ? new Uint8Array(0) : lengthOrPayload;
    const length = typeof lengthOrPayload === "number" ? lengthOrPayload : payload.length;
    frames.push({ type, flags, streamId, length, ...(type === FrameType.Data ? { payload } : {}) });
  };
  for (let flags = 0; flags < 16; flags++) {
    add(FrameType.Data, flags, 2 * flags + 1, pattern(flags * 2 + 1, flags));
    add(FrameType.WindowUpdate, flags, 2 * flags + 2, 0x10000 * flags + 7);
  }
  for (let size = 0; size <= 40; size++) {
    add(FrameType.Data, 0, 0xfffffffe, pattern(size, 100 + size));
  }
  if (withLargeFrame) {
    add(FrameType.Data, Flag.Syn | Flag.Fin, 0xffffffff, pattern(100 * 1024, 7));
  }
  add(FrameType.Ping, Flag.Syn, 0, 0xdeadbeef);
  add(FrameType.Ping, Flag.Ack, 0, 0xdeadbeef);
  add(FrameType.GoAway, 0, 0, 2);
  return { bytes: concatBytes(encoded), frames };
}

describe("FrameDecoder", () => {
  const { bytes, frames: sample } = sampleStream(true);
  const frames = describeFrames(sample);
  const decode = (chunks: Uint8Array[]) => describeFrames(decodeFrames(chunks));

  test("decodes many frames from one chunk", () => {
    expect(decode([bytes])).toEqual(frames);
    const small = sampleStream(false);
    expect(decodeFrames([small.bytes])).toEqual(small.frames);
  });

  test("decodes frames split at every single byte boundary, into two and into three chunks", () => {
    const small = sampleStream(false);
    const expected = describeFrames(small.frames).join("\n");
    const failures: number[][] = [];
    for (let first = 0; first <= small.bytes.length; first++) {
      // One cut, then a second cut anywhere in the next header's worth of bytes.
      for (let second = first; second <= Math.min(first + 13, small.bytes.length); second++) {
        const offsets = second === first ? [first] : [first, second];
        if (decode(splitAt(small.bytes, offsets)).join("\n") !== expected) {
          failures.push(offsets);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  test("decodes frames fed one byte at a time and in chunks of every size from 2 to 13", () => {
    for (let size = 1; size <= 13; size++) {
      expect(decode(splitEvery(bytes, size))).toEqual(frames);
    }
  });

  test("decodes frames cut at random boundaries", () => {
    const failures: number[] = [];
    for (let seed = 1; seed <= 50; seed++) {
      const chunks = splitRandomly(bytes, seed, 1 + ((seed * 37) % 300));
      if (decode(chunks).join("\n") !== frames.join("\n")) {
        failures.push(seed);
      }
    }
    expect(failures).toEqual([]);
  });

  test("hands payloads on as views of the received chunks, never copies", () => {
    const chunk = concatBytes([frame(FrameType.Data, 0, 1, pattern(100)), frame(FrameType.Data, 0, 1, pattern(50))]);
    const views: Uint8Array[] = [];
    new FrameDecoder({ frameHeader: () => {}, payload: (view) => views.push(view), dataEnd: () => {} }).push(chunk);
    expect(views.map((view) => [view.buffer, view.byteOffset, view.length])).toEqual([
      [chunk.buffer, 12, 100],
      [chunk.buffer, 124, 50],
    ]);
  });

  test("reports empty Data frames with their end and no payload", () => {
    const events: string[] = [];
    new FrameDecoder({
      frameHeader: (type, flags) => events.push(`header ${type} ${flags}`),
      payload: () => events.push("payload"),
      dataEnd: () => events.push("end"),
    }).push(frame(FrameType.Data, Flag.Fin, 1, 0));
    expect(events).toEqual([`header 0 ${Flag.Fin}`, "end"]);
  });

  test("rejects a frame of another version", () => {
    const decodeBad = () => decodeFrames([frame(FrameType.Ping, Flag.Syn, 0, 1, { version: 1 })]);
    expect(decodeBad).toThrow(YamuxError);
    expect(decodeBad).toThrow(/version 1/);
  });

  test("rejects a frame of an unknown type, even when its header arrives in pieces", () => {
    const bad = frame(FrameType.Ping, 0, 0, 0, { type: 4 });
    let error: unknown;
    try {
      decodeFrames(splitEvery(bad, 1));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(YamuxError);
    expect((error as YamuxError).code).toBe(YamuxErrorCode.ProtocolError);
    expect((error as YamuxError).message).toMatch(/unknown type 4/);
  });

  test("a Data frame announcing 4 GiB buffers nothing: its payload streams through as it comes", () => {
    let delivered = 0;
    const decoder = new FrameDecoder({
      frameHeader: () => {},
      payload: (view) => (delivered += view.length),
      dataEnd: () => {},
    });
    decoder.push(frame(FrameType.Data, 0, 1, 0xffffffff));
    decoder.push(new Uint8Array(1024 * 1024));
    expect(delivered).toBe(1024 * 1024);
    expect(decoder.atFrameBoundary).toBe(false);
  });
});
