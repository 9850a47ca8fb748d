import { type FrameType, encodeHeader, headerSize } from "./frame.js";

/** Payloads up to this size are copied next to their header; larger ones are handed to the channel by reference. */
const copyLimit = 1024;

/** The size of the blocks headers and small payloads are packed into. */
const blockSize = 64 * 1024;

/**
 * Gathers the frames of one channel write. Headers and small payloads are packed into a shared block, so that a
 * burst of small frames leaves as one contiguous chunk; large payloads are kept by reference, so bulk data is never
 * copied. The block is only ever appended to: a region handed out in a write is never overwritten, which lets the
 * channel keep references to it after `take` returns.
 */
export class OutputBuilder {
  #block = new Uint8Array(blockSize);
  #position = 0;
  /** Where the part of `#block` not yet cut into `#chunks` starts. */
  #segmentStart = 0;
  #chunks: Uint8Array[] = [];
  #byteLength = 0;

  /** The bytes gathered since the last `take`. */
  get byteLength(): number {
    return this.#byteLength;
  }

  header(type: FrameType, flags: number, streamId: number, length: number): void {
    this.#reserve(headerSize);
    encodeHeader(this.#block, this.#position, type, flags, streamId, length);
    this.#position += headerSize;
    this.#byteLength += headerSize;
  }

  /** Appends payload bytes; the builder keeps a reference to `bytes` when they are not copied. */
  payload(bytes: Uint8Array): void {
    const size = bytes.length;
    if (size <= copyLimit) {
      this.#reserve(size);
      this.#block.set(bytes, this.#position);
      this.#position += size;
    } else {
      this.#cut();
      this.#chunks.push(bytes);
    }
    this.#byteLength += size;
  }

  /** Returns the chunks gathered since the last call, in order, and starts afresh. */
  take(): Uint8Array[] {
    this.#cut();
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#byteLength = 0;
    return chunks;
  }

  #reserve(size: number): void {
    if (this.#position + size > this.#block.length) {
      this.#cut();
      this.#block = new Uint8Array(blockSize);
      this.#position = 0;
      this.#segmentStart = 0;
    }
  }

  #cut(): void {
    if (this.#position > this.#segmentStart) {
      this.#chunks.push(this.#block.subarray(this.#segmentStart, this.#position));
      this.#segmentStart = this.#position;
    }
  }
}
