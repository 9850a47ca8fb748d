import { FrameType, isStreamFrame, maxControlFrameBodySize } from "./frame-type.js";
import { slicProtocolError } from "./slic-protocol-error.js";
import { readVarUInt62, varUInt62Width } from "./varuint62.js";

/**
 * Receives the frames a {@link FrameDecoder} finds. A method may throw to stop decoding: the decoder is then
 * unusable, which suits a connection that fails on the first bad frame.
 */
export interface FrameHandler {
  /**
   * A whole frame other than Stream and StreamLast. `streamId` is set for the stream frames (StreamReadsClosed,
   * StreamWindowUpdate, StreamWritesClosed). `body` is only valid during the call.
   */
  frame(type: FrameType, streamId: number | undefined, body: Uint8Array): void;
  /** A Stream or StreamLast frame starts; its data follows in `streamData` calls, then `streamDataEnd`. */
  streamDataStart(type: FrameType.Stream | FrameType.StreamLast, streamId: number, dataLength: number): void;
  /** The next piece of the current frame's data: a view into a received chunk, never a copy. */
  streamData(bytes: Uint8Array): void;
  /** The current Stream or StreamLast frame is complete (right after `streamDataStart` when it has no data). */
  streamDataEnd(): void;
}

/** type (1) + size (up to 8) + stream id (up to 8). */
const maxHeaderLength = 17;

/**
 * Splits a byte stream into Slic frames, whatever the chunk boundaries. Every size is checked as soon as the header
 * is complete, before anything is buffered: a body of a frame other than Stream and StreamLast is at most 16,383
 * bytes (gathered whole, since it is small), the data of a Stream or StreamLast frame at most `maxStreamFrameSize`
 * (handed on as views of the received chunks). An unknown frame type is a protocol error on its first byte.
 */
export class FrameDecoder {
  readonly #handler: FrameHandler;
  readonly #header = new Uint8Array(maxHeaderLength);
  #headerLength = 0;
  readonly #maxStreamFrameSize: number;
  /** The body being gathered (frames other than Stream/StreamLast), and how much of it arrived. */
  #body: Uint8Array | undefined;
  #bodyFilled = 0;
  #bodyType: FrameType = FrameType.Close;
  #bodyStreamId: number | undefined;
  /** The data bytes of the current Stream or StreamLast frame still to come. */
  #dataRemaining = 0;
  #inData = false;

  constructor(handler: FrameHandler, maxStreamFrameSize: number) {
    this.#handler = handler;
    this.#maxStreamFrameSize = maxStreamFrameSize;
  }

  /** True between frames: no header, body or data is half-received. */
  get atFrameBoundary(): boolean {
    return this.#headerLength === 0 && this.#body === undefined && !this.#inData;
  }

  /** Decodes the next chunk of the byte stream. The data views given to the handler keep `chunk` alive. */
  push(chunk: Uint8Array): void {
    const end = chunk.length;
    let offset = 0;
    while (offset < end) {
      if (this.#inData) {
        const size = Math.min(this.#dataRemaining, end - offset);
        this.#dataRemaining -= size;
        this.#handler.streamData(size === end ? chunk : chunk.subarray(offset, offset + size));
        offset += size;
        if (this.#dataRemaining === 0) {
          this.#inData = false;
          this.#handler.streamDataEnd();
        }
      } else if (this.#body !== undefined) {
        const size = Math.min(this.#body.length - this.#bodyFilled, end - offset);
        this.#body.set(chunk.subarray(offset, offset + size), this.#bodyFilled);
        this.#bodyFilled += size;
        offset += size;
        if (this.#bodyFilled === this.#body.length) {
          const body = this.#body;
          this.#body = undefined;
          this.#handler.frame(this.#bodyType, this.#bodyStreamId, body);
        }
      } else {
        this.#header[this.#headerLength++] = chunk[offset++]!;
        const needed = this.#neededHeaderLength();
        if (this.#headerLength === needed) {
          this.#headerLength = 0;
          offset = this.#headerComplete(chunk, offset);
        }
      }
    }
  }

  /** How long the header being gathered is, as far as its bytes so far tell (they tell more as they come). */
  #neededHeaderLength(): number {
    const header = this.#header;
    const type = header[0]!;
    if (this.#headerLength === 1) {
      if (type < FrameType.Initialize || type > FrameType.StreamWritesClosed) {
        throw slicProtocolError(`received a frame of unknown type ${type}.`);
      }
      return 2;
    }
    const sizeEnd = 1 + varUInt62Width(header[1]!);
    if (!isStreamFrame(type)) {
      return sizeEnd;
    }
    if (this.#headerLength === sizeEnd && readVarUInt62(header, 1) === 0) {
      throw slicProtocolError(`received a ${FrameType[type]} frame of size 0: it must hold at least a stream id.`);
    }
    // A stream frame: its stream id's first byte tells the id's width.
    return this.#headerLength <= sizeEnd ? sizeEnd + 1 : sizeEnd + varUInt62Width(header[sizeEnd]!);
  }

  /** Checks the completed header and starts its body; returns the offset in `chunk` where the body starts. */
  #headerComplete(chunk: Uint8Array, offset: number): number {
    const header = this.#header;
    const type = header[0]! as FrameType;
    const size = readVarUInt62(header, 1);
    let streamId: number | undefined;
    let bodySize = size;
    if (isStreamFrame(type)) {
      const idOffset = 1 + varUInt62Width(header[1]!);
      streamId = readVarUInt62(header, idOffset);
      bodySize = size - varUInt62Width(header[idOffset]!);
      if (bodySize < 0) {
        throw slicProtocolError(`received a ${FrameType[type]} frame whose size ${size} is smaller than its stream id.`);
      }
      if (!Number.isSafeInteger(streamId)) {
        throw slicProtocolError(`received a ${FrameType[type]} frame with a stream id out of range.`);
      }
    }
    if (type === FrameType.Stream || type === FrameType.StreamLast) {
      if (bodySize > this.#maxStreamFrameSize) {
        throw slicProtocolError(
          `received a ${FrameType[type]} frame of ${bodySize} bytes of data, above the MaxStreamFrameSize of ` +
            `${this.#maxStreamFrameSize} bytes this side advertised.`,
        );
      }
      this.#handler.streamDataStart(type, streamId!, bodySize);
      if (bodySize === 0) {
        this.#handler.streamDataEnd();
      } else {
        this.#dataRemaining = bodySize;
        this.#inData = true;
      }
      return offset;
    }
    if (bodySize > maxControlFrameBodySize) {
      throw slicProtocolError(
        `received a ${FrameType[type]} frame with a ${bodySize}-byte body, above the maximum of ` +
          `${maxControlFrameBodySize} bytes.`,
      );
    }
    if (chunk.length - offset >= bodySize) {
      // The whole body is in this chunk: no copy.
      this.#handler.frame(type, streamId, chunk.subarray(offset, offset + bodySize));
      return offset + bodySize;
    }
    this.#body = new Uint8Array(bodySize);
    this.#bodyFilled = 0;
    this.#bodyType = type;
    this.#bodyStreamId = streamId;
    return offset;
  }
}
