/** The raw socket's framing: a 4-byte big-endian length, then that many bytes. */
const headerSize = 4;

/** Frames larger than this are refused: the benchmark never sends them, so one means a corrupt stream. */
const maxFrameSize = 1 << 20;

export function encodeFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(headerSize + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.set(payload, headerSize);
  return frame;
}

/** Splits the bytes of a stream into frames, whatever the chunk boundaries. */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  /** Adds `chunk` and returns the payloads of the frames it completed. Throws on a frame over the size limit. */
  push(chunk: Buffer): Buffer[] {
    let buffer = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const payloads: Buffer[] = [];
    while (buffer.length >= headerSize) {
      const size = buffer.readUInt32BE(0);
      if (size > maxFrameSize) {
        throw new RangeError(`Received a ${size}-byte frame; frames are at most ${maxFrameSize} bytes: the stream is corrupt.`);
      }
      if (buffer.length < headerSize + size) {
        break;
      }
      payloads.push(buffer.subarray(headerSize, headerSize + size));
      buffer = buffer.subarray(headerSize + size);
    }
    this.#pending = buffer;
    return payloads;
  }
}
