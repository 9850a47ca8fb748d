import { InvalidOperationError } from "@icerpc-ts/core";
import type { FlushResult, StreamOutput } from "@icerpc-ts/core/transport";
import { ChunkQueue, Deferred, abortable } from "@icerpc-ts/primitives";

import type { SendToPeer } from "./send-to-peer.js";
import type { MemoryStreamInput } from "./stream-input.js";

/**
 * The sending half of one stream direction. `write` only keeps references; `flush` and `end` copy the bytes into
 * chunks of at most the peer's remaining credit and send them, so a flush of any size holds at most one window of
 * copied bytes. Credit starts at the window size, is spent by sending and comes back as the peer's reader reads.
 */
export class MemoryStreamOutput implements StreamOutput {
  readonly #sendToPeer: SendToPeer;
  readonly #onDone: () => void;
  readonly #unflushed = new ChunkQueue();
  readonly #writesClosed = new Deferred<void>();
  #peer!: MemoryStreamInput;
  /** How many more bytes the peer's window can take now. */
  #credit: number;
  /** A flush or end is in progress. */
  #sending = false;
  /** Resumes the flush or end that waits for credit, so that it re-examines the state. */
  #resumeSender: (() => void) | undefined;
  #ended = false;
  #aborted = false;
  /** The peer's reader aborted: nothing more will be read. */
  #stopped = false;
  /** Set once the connection failed: the error to reject with. */
  #failure: (() => Error) | undefined;
  #done = false;

  constructor(sendToPeer: SendToPeer, windowSize: number, onDone: () => void) {
    this.#sendToPeer = sendToPeer;
    this.#credit = windowSize;
    this.#onDone = onDone;
  }

  /** Resolves once no more bytes can be sent (see `MultiplexedStream.writesClosed`). */
  get writesClosed(): Promise<void> {
    return this.#writesClosed.promise;
  }

  get unflushedBytes(): number {
    return this.#unflushed.byteLength;
  }

  /** Links this output to the input that receives its bytes, on the other connection end. */
  connectTo(peer: MemoryStreamInput): void {
    this.#peer = peer;
  }

  write(data: Uint8Array): void {
    this.#checkOpen("write to");
    // Once the peer stopped reading or the connection failed, bytes can only be discarded: keeping them would grow
    // memory for nothing.
    if (data.length > 0 && !this.#stopped && this.#failure === undefined) {
      this.#unflushed.push(data);
    }
  }

  flush(signal?: AbortSignal): Promise<FlushResult> {
    this.#checkCanSend("flush");
    return this.#send(false, signal);
  }

  end(signal?: AbortSignal): Promise<FlushResult> {
    this.#checkCanSend("end");
    return this.#send(true, signal);
  }

  abort(): void {
    if (this.#ended || this.#aborted || this.#stopped) {
      return;
    }
    this.#aborted = true;
    this.#unflushed.clear();
    const peer = this.#peer;
    this.#sendToPeer(() => peer.receiveReset());
    this.#resumeSender?.();
    this.#finish();
  }

  /** The peer's reader consumed `byteCount` bytes. */
  receiveCredit(byteCount: number): void {
    this.#credit += byteCount;
    this.#resumeSender?.();
  }

  /** The peer's reader aborted (QUIC STOP_SENDING). */
  receiveStopSending(): void {
    if (this.#ended || this.#aborted || this.#stopped || this.#failure !== undefined) {
      return;
    }
    this.#stopped = true;
    this.#unflushed.clear();
    this.#resumeSender?.();
    this.#finish();
  }

  /** The connection failed: the pending and later flushes reject with `currentError()`. Ignored once writes are done. */
  fail(currentError: () => Error): void {
    if (this.#done) {
      return;
    }
    this.#failure = currentError;
    this.#unflushed.clear();
    this.#resumeSender?.();
    this.#finish();
  }

  async #send(end: boolean, signal: AbortSignal | undefined): Promise<FlushResult> {
    this.#sending = true;
    try {
      signal?.throwIfAborted();
      for (;;) {
        if (this.#aborted || this.#stopped) {
          this.#unflushed.clear();
          this.#ended ||= end;
          return "writesClosed";
        }
        if (this.#failure !== undefined) {
          throw this.#failure();
        }
        const remaining = this.#unflushed.byteLength;
        if (remaining > 0 && this.#credit === 0) {
          await this.#waitForChange(signal);
          continue;
        }
        const chunk = remaining > 0 ? this.#unflushed.take(this.#credit) : undefined;
        const fin = end && this.#unflushed.byteLength === 0;
        if (chunk !== undefined || fin) {
          this.#credit -= chunk?.length ?? 0;
          const peer = this.#peer;
          this.#sendToPeer(() => peer.receive(chunk, fin));
        }
        if (this.#unflushed.byteLength === 0) {
          if (fin) {
            this.#ended = true;
            this.#finish();
          }
          return "flushed";
        }
      }
    } catch (error) {
      if (this.#failure === undefined) {
        // Aborted by `signal`: the caller may reuse its buffers once this call settles, so keep a copy of the bytes
        // not sent yet. They stay unflushed: the next flush or end sends them, `abort` discards them.
        this.#unflushed.push(this.#unflushed.take(this.#unflushed.byteLength));
      }
      throw error;
    } finally {
      this.#sending = false;
    }
  }

  #waitForChange(signal: AbortSignal | undefined): Promise<void> {
    return abortable<void>(
      signal,
      (resolve) => {
        this.#resumeSender = () => {
          this.#resumeSender = undefined;
          resolve();
        };
      },
      () => {
        this.#resumeSender = undefined;
      },
    );
  }

  #checkOpen(operation: string): void {
    if (this.#ended || this.#aborted) {
      throw new InvalidOperationError(
        `Cannot ${operation} the stream output: it was ${this.#ended ? "ended" : "aborted"}.`,
      );
    }
  }

  #checkCanSend(operation: string): void {
    this.#checkOpen(operation);
    if (this.#sending) {
      throw new InvalidOperationError(
        `Cannot ${operation} the stream output while another flush or end is in progress: wait for it to settle.`,
      );
    }
  }

  /** Writes are closed: resolves `writesClosed` and, unless the connection failed, reports the direction done. */
  #finish(): void {
    if (this.#done) {
      return;
    }
    this.#done = true;
    this.#writesClosed.resolve();
    if (this.#failure === undefined) {
      this.#onDone();
    }
  }
}
