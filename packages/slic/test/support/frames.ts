// Decoding and building raw Slic frames in tests, with the package's own decoder and encoder.
import { concatBytes } from "@icerpc-ts/primitives";

import { FrameDecoder } from "../../src/frame-decoder.js";
import { FrameType } from "../../src/frame-type.js";

/** A decoded frame: its type, its stream id (stream frames), and its body or data. */
export interface Frame {
  readonly type: FrameType;
  readonly streamId: number | undefined;
  /** The body (after the stream id), or the data of a Stream or StreamLast frame. */
  readonly body: Uint8Array;
}

/** Decodes whole frames from `chunks` as they would arrive; throws what the decoder throws. */
export function decodeFrames(chunks: readonly Uint8Array[], maxStreamFrameSize = 16_777_215): Frame[] {
  const frames: Frame[] = [];
  let data: Uint8Array[] = [];
  let current: { type: FrameType; streamId: number } | undefined;
  const decoder = new FrameDecoder(
    {
      frame: (type, streamId, body) => frames.push({ type, streamId, body: new Uint8Array(body) }),
      streamDataStart: (type, streamId) => {
        current = { type, streamId };
        data = [];
      },
      streamData: (bytes) => data.push(new Uint8Array(bytes)),
      streamDataEnd: () => frames.push({ ...current!, body: concatBytes(data) }),
    },
    maxStreamFrameSize,
  );
  for (const chunk of chunks) {
    decoder.push(chunk);
  }
  if (!decoder.atFrameBoundary) {
    throw new Error("The bytes end in the middle of a frame.");
  }
  return frames;
}

/** `"01 09 00"` → bytes. */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, "");
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

export function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
