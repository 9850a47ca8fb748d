// Building raw yamux frames, and decoding captured bytes back into frames, for assertions on the wire format.
import { FrameDecoder } from "../../src/frame-decoder.js";
import { FrameType, encodeHeader, headerSize } from "../../src/frame.js";
import { concatBytes } from "@icerpc-ts/primitives";

export { Flag, FrameType, GoAwayCode } from "../../src/frame.js";

/** A decoded frame; `payload` holds a Data frame's bytes joined. */
export interface Frame {
  type: FrameType;
  flags: number;
  streamId: number;
  length: number;
  payload?: Uint8Array;
}

/** Encodes one frame; `payload` is for Data frames, whose length it sets unless `length` overrides it. */
export function frame(
  type: FrameType,
  flags: number,
  streamId: number,
  lengthOrPayload: number | Uint8Array = 0,
  options: { version?: number; type?: number } = {},
): Uint8Array {
  const payload = typeof lengthOrPayload === "number" ? new Uint8Array(0) : lengthOrPayload;
  const length = typeof lengthOrPayload === "number" ? lengthOrPayload : payload.length;
  const bytes = new Uint8Array(headerSize + payload.length);
  encodeHeader(bytes, 0, type, flags, streamId, length);
  if (options.version !== undefined) {
    bytes[0] = options.version;
  }
  if (options.type !== undefined) {
    bytes[1] = options.type;
  }
  bytes.set(payload, headerSize);
  return bytes;
}

/** Decodes `bytes` fed as `chunks` (default: one chunk) into frames. Throws what the decoder throws. */
export function decodeFrames(chunks: readonly Uint8Array[]): Frame[] {
  const frames: Frame[] = [];
  let pieces: Uint8Array[] = [];
  const decoder = new FrameDecoder({
    frameHeader: (type, flags, streamId, length) => {
      frames.push({ type, flags, streamId, length });
      pieces = [];
    },
    payload: (bytes) => pieces.push(bytes),
    dataEnd: () => {
      frames[frames.length - 1]!.payload = concatBytes(pieces);
    },
  });
  for (const chunk of chunks) {
    decoder.push(chunk);
  }
  return frames;
}

/** Cuts `bytes` at the given offsets (ascending). */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const offset of offsets) {
    chunks.push(bytes.subarray(start, offset));
    start = offset;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

/** Cuts `bytes` into chunks of `size` bytes (the last one may be shorter). */
export function splitEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    chunks.push(bytes.subarray(start, start + size));
  }
  return chunks;
}

/** A seeded pseudo-random generator (xorshift32), so that a failing random split can be reproduced. */
export function random(seed: number): () => number {
  // Spread small seeds over the state space; xorshift's first outputs for them would all be tiny.
  let state = (seed * 2654435761) | 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** Cuts `bytes` at random boundaries into chunks of 1 to `maxSize` bytes. */
export function splitRandomly(bytes: Uint8Array, seed: number, maxSize = 64): Uint8Array[] {
  const next = random(seed);
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; ) {
    const size = 1 + Math.floor(next() * maxSize);
    chunks.push(bytes.subarray(start, start + size));
    start += size;
  }
  return chunks;
}

/**
 * A cheap digest of `bytes` for comparing payloads in assertions. (No `Math.imul`: under jest's VM context it runs
 * some fifty times slower than plain integer arithmetic.)
 */
export function digest(bytes: Uint8Array): string {
  let hash = 0;
  let weighted = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    hash = ((hash << 5) - hash + byte) | 0;
    weighted = (weighted + byte * ((i % 65521) + 1)) % 2147483647;
  }
  return `${bytes.length}:${(hash >>> 0).toString(16)}:${weighted.toString(16)}`;
}

/** One line per frame, payloads as digests: compact to compare and readable in a failure message. */
export function describeFrames(frames: readonly Frame[]): string[] {
  return frames.map(
    (f) =>
      `${FrameType[f.type]} flags=${f.flags} stream=${f.streamId} length=${f.length}` +
      (f.payload !== undefined ? ` payload=${digest(f.payload)}` : ""),
  );
}

/** Cuts `bytes` between frames: one chunk per frame. */
export function splitFrames(bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let start = 0; start < bytes.length; ) {
    const type = bytes[start + 1]!;
    const size = headerSize + (type === FrameType.Data ? view.getUint32(start + 8) : 0);
    chunks.push(bytes.subarray(start, start + size));
    start += size;
  }
  return chunks;
}
