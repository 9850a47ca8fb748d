import type { StreamInput } from "@icerpc-ts/core/transport";
import { StreamInputState } from "@icerpc-ts/core/transport-helpers";
import { ChunkQueue } from "@icerpc-ts/primitives";

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
  /** The application aborted its reads before the end (StreamReadsClosed). */
  readsAborted(): void;
}

/**
 * The receiving half of a Slic stream: buffers the data frames the peer sends, within the window this side
 * advertised (more is a protocol error), and returns credit (StreamWindowUpdate) only for bytes the application read,
 * once they reach half the window, as IceRPC C# does. So a reader that stops reading stops the writer, and a stream
 * never buffers more than one window.
 */
export class SlicStreamInput implements StreamInput {
  readonly #host: InputHost;
  readonly #state: StreamInputState;
  readonly #received = new ChunkQueue();
  /** How many more bytes the peer may send. */
  #credit: number;
  /** Bytes read since the last StreamWindowUpdate. */
  #readSinceUpdate = 0;
  /** StreamLast arrived: once `#received` is empty, reads return null. */
  #endReceived = false;

  /** `onDone`: reads are done for the application (see `StreamInputState`). */
  constructor(host: InputHost, onDone: () => void) {
    this.#host = host;
    this.#credit = host.windowSize;
    this.#state = new StreamInputState(onDone);
  }

  /** No more data can arrive: the end or the peer's abort was received, or this side aborted. */
  get isClosed(): boolean {
    return this.#endReceived || this.#state.isResetReceived || this.#state.isAborted || this.#state.hasFailed;
  }

  read(signal?: AbortSignal): Promise<Uint8Array | null> {
    const decided = this.#state.decideRead(signal);
    if (decided !== undefined) {
      return decided;
    }
    const next = this.#takeNext();
    if (next !== undefined) {
      return Promise.resolve(next);
    }
    return this.#state.waitForData(signal);
  }

  tryRead(): Uint8Array | null | undefined {
    const decided = this.#state.decideTryRead();
    return decided === false ? this.#takeNext() : decided;
  }

  abort(): void {
    if (!this.#state.abort()) {
      return;
    }
    this.#received.clear();
    if (!this.#state.isResetReceived && !this.#state.hasFailed) {
      this.#host.readsAborted();
    }
    this.#state.finish();
  }

  /** A Stream or StreamLast frame announces `dataLength` bytes: they must fit in the credit the peer has. */
  receiveDataHeader(dataLength: number): void {
    if (dataLength === 0) {
      return;
    }
    if (this.#endReceived) {
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
    if (this.#state.isAborted || this.#state.hasFailed || this.#state.isResetReceived) {
      return; // nobody will read it
    }
    // A small view would keep alive the whole chunk it was cut from: copy it, so that the memory a stream holds
    // stays within a few times its unread bytes.
    this.#received.push(bytes.length * 4 < bytes.buffer.byteLength ? new Uint8Array(bytes) : bytes);
    this.#deliverToPendingRead();
  }

  /** StreamLast: the data received so far is all there is. */
  receiveEnd(): void {
    if (this.#endReceived) {
      throw slicProtocolError(`received a second StreamLast on stream ${this.#host.streamId}.`);
    }
    this.#endReceived = true;
    this.#deliverToPendingRead();
  }

  /** StreamWritesClosed: the peer aborted its output; the bytes not read yet are lost. */
  receiveReset(): void {
    if (this.#state.peerReset()) {
      this.#received.clear();
    }
  }

  /** The connection failed: the pending and later reads reject with `currentError()`. */
  fail(currentError: () => Error): void {
    if (this.#state.fail(currentError)) {
      this.#received.clear();
    }
  }

  #deliverToPendingRead(): void {
    if (this.#state.hasPendingRead) {
      const next = this.#takeNext();
      if (next !== undefined) {
        this.#state.takePendingRead()!.resolve(next);
      }
    }
  }

  /** The next chunk, null at the end of stream, undefined when nothing was received yet. */
  #takeNext(): Uint8Array | null | undefined {
    const chunk = this.#received.shift();
    if (chunk !== undefined) {
      this.#returnCredit(chunk.length);
      return chunk;
    }
    if (this.#endReceived) {
      const end = this.#state.endOfStream();
      this.#host.endRead();
      return end;
    }
    return undefined;
  }

  /** Credit goes back once half the window was read; none after the end, since no more data can come. */
  #returnCredit(byteCount: number): void {
    if (this.#endReceived) {
      return;
    }
    this.#readSinceUpdate += byteCount;
    if (this.#readSinceUpdate >= this.#host.windowSize / 2) {
      const increment = this.#readSinceUpdate;
      this.#readSinceUpdate = 0;
      this.#credit += increment;
      this.#host.sendWindowUpdate(increment);
    }
  }
}
