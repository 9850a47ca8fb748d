import { FrameType, headerSize, protocolVersion } from "./frame.js";
import { protocolError } from "./yamux-error.js";

/**
 * Receives the frames a {@link FrameDecoder} finds. A method may throw to stop decoding: the decoder is then
 * unusable, which suits a session that fails on the first bad frame.
 */
export interface FrameHandler {
  /** A header whose version and type are valid. A Data frame's payload follows in `payload` calls, then `dataEnd`. */
  frameHeader(type: FrameType, flags: number, streamId: number, length: number): void;
  /** The next piece of the current Data frame's payload: a view into a received chunk, never a copy. */
  payload(bytes: Uint8Array): void;
  /** The current Data frame is complete (immediately after the header for an empty one). */
  dataEnd(): void;
}

/**
 * Splits a byte stream into yamux frames, whatever the chunk boundaries: a header split across chunks is gathered
 * in a 12-byte scratch buffer, payloads are handed on as views of the chunks they arrived in, in as many pieces as
 * the chunks cut them into. Nothing but those 12 bytes is ever buffered, so memory does not depend on the input.
 */
export class FrameDecoder {
  readonly #handler: FrameHandler;
  readonly #partialHeader = new Uint8Array(headerSize);
  /** How many bytes of a header split across chunks `#partialHeader` holds. */
  #partialLength = 0;
  /** The payload bytes of the current Data frame still to come. */
  #payloadRemaining = 0;

  constructor(handler: FrameHandler) {
    this.#handler = handler;
  }

  /** True between frames: no header or payload is half-received. */
  get atFrameBoundary(): boolean {
    return this.#partialLength === 0 && this.#payloadRemaining === 0;
  }

  /** Decodes the next chunk of the stream. The payload views given to the handler keep `chunk` alive. */
  push(chunk: Uint8Array): void {
    const end = chunk.length;
    let offset = 0;
    while (offset < end) {
      if (this.#payloadRemaining > 0) {
        const size = Math.min(this.#payloadRemaining, end - offset);
        this.#payloadRemaining -= size;
        this.#handler.payload(size === end ? chunk : chunk.subarray(offset, offset + size));
        offset += size;
        if (this.#payloadRemaining === 0) {
          this.#handler.dataEnd();
        }
      } else if (this.#partialLength === 0 && end - offset >= headerSize) {
        this.#decodeHeader(chunk, offset);
        offset += headerSize;
      } else {
        const size = Math.min(headerSize - this.#partialLength, end - offset);
        this.#partialHeader.set(chunk.subarray(offset, offset + size), this.#partialLength);
        this.#partialLength += size;
        offset += size;
        if (this.#partialLength === headerSize) {
          this.#partialLength = 0;
          this.#decodeHeader(this.#partialHeader, 0);
        }
      }
    }
  }

  #decodeHeader(bytes: Uint8Array, offset: number): void {
    const version = bytes[offset]!;
    if (version !== protocolVersion) {
      throw protocolError(`received a frame of version ${version}; only version ${protocolVersion} exists.`);
    }
    const type = bytes[offset + 1]!;
    if (type > FrameType.GoAway) {
      throw protocolError(`received a frame of unknown type ${type}.`);
    }
    const flags = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    const streamId =
      ((bytes[offset + 4]! << 24) | (bytes[offset + 5]! << 16) | (bytes[offset + 6]! << 8) | bytes[offset + 7]!) >>> 0;
    const length =
      ((bytes[offset + 8]! << 24) | (bytes[offset + 9]! << 16) | (bytes[offset + 10]! << 8) | bytes[offset + 11]!) >>>
      0;
    this.#handler.frameHeader(type, flags, streamId, length);
    if (type === FrameType.Data) {
      if (length === 0) {
        this.#handler.dataEnd();
      } else {
        this.#payloadRemaining = length;
      }
    }
  }
}
