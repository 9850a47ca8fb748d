import { ChunkedStreamInput } from "@icerpc-ts/core/transport-helpers";

import { slicProtocolError } from "./slic-protocol-error.js";

/** What an input needs from its stream. */
export interface InputHost {
  readonly streamId: number;
  /** This side's InitialStreamWindowSize: how many unread bytes the peer may send. */
  readonly windowSize: number;
  /** Returns `increment` bytes of credit to the peer (StreamWindowUpdate). */
  sendWindowUpdate(increment: number): void;
  /** The application read the end of stream. */
  endRead(): void;
  /** The application aborted its reads before the end (StreamReadsClosed, when the stream still needs it). */
  readsAborted(): void;
}

/**
 * The receiving half of a Slic stream: buffers the data frames the peer sends, within the window this side
 * advertised (more is a protocol error), and returns credit (StreamWindowUpdate) only for bytes the application read,
 * once they reach half the window, as IceRPC C# does. So a reader that stops reading stops the writer, and a stream
 * never buffers more than one window.
 */
export class SlicStreamInput extends ChunkedStreamInput {
  readonly #host: InputHost;
  /** How many more bytes the peer may send. */
  #credit: number;
  /** Bytes read since the last StreamWindowUpdate. */
  #readSinceUpdate = 0;

  constructor(host: InputHost) {
    super(() => {});
    this.#host = host;
    this.#credit = host.windowSize;
  }

  /** A Stream or StreamLast frame announces `dataLength` bytes: they must fit in the credit the peer has. */
  receiveDataHeader(dataLength: number): void {
    if (dataLength === 0) {
      return;
    }
    if (this.endReceived) {
      throw slicProtocolError(`received ${dataLength} bytes on stream ${this.#host.streamId} after its StreamLast.`);
    }
    if (dataLength > this.#credit) {
      throw slicProtocolError(
        `received ${dataLength} bytes on stream ${this.#host.streamId}, beyond its window ` +
          `(${this.#credit} bytes of credit left).`,
      );
    }
    this.#credit -= dataLength;
  }

  /** A piece of data of the current frame (a view of a received chunk). */
  receiveData(bytes: Uint8Array): void {
    if (this.isDiscarding) {
      return; // nobody will read it
    }
    // A small view would keep alive the whole chunk it was cut from: copy it, so that the memory a stream holds
    // stays within a few times its unread bytes.
    this.receive(bytes.length * 4 < bytes.buffer.byteLength ? new Uint8Array(bytes) : bytes, false);
  }

  /** StreamLast: the data received so far is all there is. */
  receiveEnd(): void {
    if (this.endReceived) {
      throw slicProtocolError(`received a second StreamLast on stream ${this.#host.streamId}.`);
    }
    this.receive(undefined, true);
  }

  /** Credit goes back once half the window was read. */
  protected override creditConsumed(byteCount: number): void {
    this.#readSinceUpdate += byteCount;
    if (this.#readSinceUpdate >= this.#host.windowSize / 2) {
      const increment = this.#readSinceUpdate;
      this.#readSinceUpdate = 0;
      this.#credit += increment;
      this.#host.sendWindowUpdate(increment);
    }
  }

  protected override readerAborted(): void {
    this.#host.readsAborted();
  }

  protected override endRead(): void {
    this.#host.endRead();
  }
}
