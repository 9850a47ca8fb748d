import { ChunkQueue } from "@icerpc-ts/primitives";

import type { StreamInput } from "../transport/multiplexed-stream.js";
import { StreamInputState } from "./stream-input-state.js";

/**
 * A `StreamInput` that buffers the chunks the peer sent and hands them out in order, with the contract's rules
 * (`StreamInputState`). A transport's input extends this with what it tells the peer: the credit of the bytes read
 * ({@link creditConsumed}) and the reader's abort ({@link readerAborted}); it hands in what arrives with
 * {@link receive}, {@link receiveReset} and {@link fail}.
 */
export abstract class ChunkedStreamInput implements StreamInput {
  readonly #state: StreamInputState;
  readonly #received = new ChunkQueue();
  /** The peer ended its output: once `#received` is empty, reads return null. */
  #endReceived = false;

  /** `onDone`: reads are done for the application (see `StreamInputState`). */
  constructor(onDone: () => void) {
    this.#state = new StreamInputState(onDone);
  }

  /** The peer's end of stream arrived (its bytes may not all be read yet). */
  get endReceived(): boolean {
    return this.#endReceived;
  }

  /** Reads are done (see `StreamInputState.isDone`). */
  get isDone(): boolean {
    return this.#state.isDone;
  }

  /** Nothing received is for the reader anymore: it aborted, the peer aborted, or the connection failed. */
  get isDiscarding(): boolean {
    return this.#state.isAborted || this.#state.isResetReceived || this.#state.hasFailed;
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
      this.readerAborted();
    }
    this.#state.finish();
  }

  /** The peer sent `chunk` (which this input now owns) and/or its end of stream. Ignored while discarding. */
  receive(chunk: Uint8Array | undefined, end: boolean): void {
    if (this.isDiscarding) {
      return;
    }
    if (chunk !== undefined) {
      this.#received.push(chunk);
    }
    this.#endReceived ||= end;
    if (this.#state.hasPendingRead) {
      const next = this.#takeNext();
      if (next !== undefined) {
        this.#state.takePendingRead()!.resolve(next);
      }
    }
  }

  /**
   * The peer aborted its output (QUIC RESET_STREAM): the bytes not read yet are lost. The direction is done once
   * the reader saw the abort, now if a read is pending, else at the next read.
   */
  receiveReset(): void {
    if (this.#state.peerReset()) {
      this.#received.clear();
    }
  }

  /**
   * The connection failed: the pending and later reads reject with `currentError()`, unless the end or the peer's
   * abort came first. Ignored once reads are done.
   */
  fail(currentError: () => Error): void {
    if (this.#state.fail(currentError)) {
      this.#received.clear();
    }
  }

  /** The reader took `byteCount` bytes before the end arrived: the peer may send as many more. */
  protected abstract creditConsumed(byteCount: number): void;

  /**
   * The reader aborted before reading the end, and the peer neither aborted nor is gone: tell it to stop sending
   * (QUIC STOP_SENDING), unless {@link endReceived} makes that pointless for the transport.
   */
  protected abstract readerAborted(): void;

  /** The reader read the end of stream. Nothing by default. */
  protected endRead(): void {}

  /** The next chunk, null at the end of stream, undefined when nothing was received yet. */
  #takeNext(): Uint8Array | null | undefined {
    const chunk = this.#received.shift();
    if (chunk !== undefined) {
      if (!this.#endReceived) {
        this.creditConsumed(chunk.length);
      }
      return chunk;
    }
    if (!this.#endReceived) {
      return undefined;
    }
    const end = this.#state.endOfStream();
    this.endRead();
    return end;
  }
}
