import { IceRpcError, IceRpcException, InvalidOperationError } from "@icerpc-ts/core";
import type { StreamInput } from "@icerpc-ts/core/transport";
import { ChunkQueue, abortable } from "@icerpc-ts/core/util";

import type { SendToPeer } from "./send-to-peer.js";
import type { MemoryStreamOutput } from "./stream-output.js";

interface PendingRead {
  resolve(value: Uint8Array | null): void;
  reject(reason: unknown): void;
}

/**
 * The receiving half of one stream direction: buffers the chunks the peer's output sent (never more than one window,
 * which the peer's credit guarantees) and hands them out in order, returning their length as credit once read.
 */
export class MemoryStreamInput implements StreamInput {
  readonly #sendToPeer: SendToPeer;
  readonly #onDone: () => void;
  readonly #received = new ChunkQueue();
  #peer!: MemoryStreamOutput;
  #pendingRead: PendingRead | undefined;
  /** The peer ended its output: once `#received` is empty, reads return null. */
  #finReceived = false;
  /** The peer aborted its output: the buffered bytes were discarded and reads fail with TruncatedData. */
  #resetReceived = false;
  #aborted = false;
  /** A read returned null. */
  #consumed = false;
  /** Set once the connection failed: the error to reject with. */
  #failure: (() => Error) | undefined;
  #done = false;

  constructor(sendToPeer: SendToPeer, onDone: () => void) {
    this.#sendToPeer = sendToPeer;
    this.#onDone = onDone;
  }

  /** Links this input to the output that sends it bytes, on the other connection end. */
  connectTo(peer: MemoryStreamOutput): void {
    this.#peer = peer;
  }

  read(signal?: AbortSignal): Promise<Uint8Array | null> {
    if (this.#pendingRead !== undefined) {
      return Promise.reject(
        new InvalidOperationError("Cannot read the stream input: another read is in progress; wait for it to settle."),
      );
    }
    if (this.#aborted) {
      return Promise.reject(new InvalidOperationError("Cannot read the stream input: it was aborted."));
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    if (this.#consumed) {
      return Promise.resolve(null);
    }
    if (this.#resetReceived) {
      return Promise.reject(this.#truncated());
    }
    if (this.#failure !== undefined) {
      return Promise.reject(this.#failure());
    }
    const next = this.#takeNext();
    if (next !== undefined) {
      return Promise.resolve(next);
    }
    return abortable<Uint8Array | null>(
      signal,
      (resolve, reject) => {
        this.#pendingRead = { resolve, reject };
      },
      () => {
        this.#pendingRead = undefined;
      },
    );
  }

  abort(): void {
    if (this.#consumed || this.#aborted) {
      return;
    }
    this.#aborted = true;
    this.#received.clear();
    this.#takePendingRead()?.reject(
      new InvalidOperationError("The read was interrupted because the stream input was aborted."),
    );
    if (!this.#resetReceived && !this.#finReceived) {
      const peer = this.#peer;
      this.#sendToPeer(() => peer.receiveStopSending());
    }
    this.#finish();
  }

  /** The peer's output sent `chunk` (which this input now owns) and/or its end of stream. */
  receive(chunk: Uint8Array | undefined, fin: boolean): void {
    if (this.#aborted || this.#failure !== undefined) {
      return;
    }
    if (chunk !== undefined) {
      this.#received.push(chunk);
    }
    this.#finReceived ||= fin;
    if (this.#pendingRead !== undefined) {
      const next = this.#takeNext();
      if (next !== undefined) {
        this.#takePendingRead()!.resolve(next);
      }
    }
  }

  /**
   * The peer aborted its output (QUIC RESET_STREAM): the bytes not read yet are lost. The direction is done once
   * the reader saw the abort, now if a read is pending, else at the next read.
   */
  receiveReset(): void {
    if (this.#aborted || this.#failure !== undefined) {
      return;
    }
    this.#resetReceived = true;
    this.#received.clear();
    this.#takePendingRead()?.reject(this.#truncated());
  }

  /**
   * The connection failed: the pending and later reads reject with `currentError()`, unless the end or the peer's
   * abort came first. Ignored once reads are done.
   */
  fail(currentError: () => Error): void {
    if (this.#done || this.#failure !== undefined) {
      return;
    }
    this.#failure = currentError;
    this.#received.clear();
    this.#takePendingRead()?.reject(currentError());
  }

  /** The reader sees the peer's abort: that ends its direction. */
  #truncated(): IceRpcException {
    this.#finish();
    return new IceRpcException(IceRpcError.TruncatedData);
  }

  /** The next chunk, null at the end of stream, undefined when nothing was received yet. */
  #takeNext(): Uint8Array | null | undefined {
    const chunk = this.#received.shift();
    if (chunk !== undefined) {
      if (!this.#finReceived) {
        const peer = this.#peer;
        this.#sendToPeer(() => peer.receiveCredit(chunk.length));
      }
      return chunk;
    }
    if (this.#finReceived) {
      this.#consumed = true;
      this.#finish();
      return null;
    }
    return undefined;
  }

  #takePendingRead(): PendingRead | undefined {
    const pendingRead = this.#pendingRead;
    this.#pendingRead = undefined;
    return pendingRead;
  }

  /** Reads are done: reports the direction done, unless the connection failed (then nothing is counted anymore). */
  #finish(): void {
    if (!this.#done) {
      this.#done = true;
      if (this.#failure === undefined) {
        this.#onDone();
      }
    }
  }
}
