import { ChunkQueue, Deferred, abortable } from "@icerpc-ts/primitives";

import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { InvalidOperationError } from "../errors/usage-errors.js";
import type { FlushResult, StreamOutput } from "../transport/multiplexed-stream.js";

/**
 * A `StreamOutput` whose sending is bounded by credit the peer grants (a flow-control window), as the contract has
 * it. `write` only keeps references; `flush` and `end` copy the bytes into chunks of at most the remaining credit
 * (and `maxChunkSize`) and hand them to {@link sendChunk}, so that a flush of any size holds at most one window of
 * copied bytes; they wait while the credit is spent and, when the transport says so, while it pushes back
 * ({@link whenWritable}). A transport's output extends this with how it sends, and tells it of the credit the peer
 * grants ({@link addCredit}), of the peer's stop-sending ({@link peerStoppedReading}) and of the connection's failure.
 */
export abstract class CreditStreamOutput implements StreamOutput {
  readonly #onDone: () => void;
  readonly #unflushed = new ChunkQueue();
  readonly #writesClosed = new Deferred<void>();
  /** How many more bytes the peer's window takes now. */
  #credit: number;
  /** A flush or end is in progress. */
  #sending = false;
  /** Resumes the flush or end that waits for credit, so that it re-examines the state. */
  #resumeSender: (() => void) | undefined;
  #ended = false;
  #aborted = false;
  /** The peer's reader stopped: nothing more will be read. */
  #stopped = false;
  /** Set once the connection failed: the error to reject with. */
  #failure: (() => Error) | undefined;
  #done = false;

  /** `initialCredit` is the peer's window; `onDone`: writes are done (ended, aborted or stopped by the peer). */
  constructor(initialCredit: number, onDone: () => void) {
    this.#credit = initialCredit;
    this.#onDone = onDone;
  }

  /** Resolves once no more bytes can be sent (see `MultiplexedStream.writesClosed`). */
  get writesClosed(): Promise<void> {
    return this.#writesClosed.promise;
  }

  get unflushedBytes(): number {
    return this.#unflushed.byteLength;
  }

  /** The credit left: how many more bytes the peer's window takes now. */
  get credit(): number {
    return this.#credit;
  }

  /** The application ended or aborted the output. */
  get isClosedLocally(): boolean {
    return this.#ended || this.#aborted;
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
    if (this.#failure === undefined) {
      this.sendAbort();
    }
    this.#resumeSender?.();
    this.#finish();
  }

  /** The peer's reader read `byteCount` more bytes: they may be sent. */
  addCredit(byteCount: number): void {
    this.#credit += byteCount;
    this.#resumeSender?.();
  }

  /** The peer's reader stopped reading (QUIC STOP_SENDING). Does nothing once writes are done. */
  peerStoppedReading(): void {
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

  /**
   * Sends `chunk`, a copy the transport owns from now on (undefined when only the end goes), followed by the end of
   * stream when `end`.
   */
  protected abstract sendChunk(chunk: Uint8Array | undefined, end: boolean): void;

  /** Tells the peer that the output was aborted (QUIC RESET_STREAM). */
  protected abstract sendAbort(): void;

  /** The most bytes one chunk carries (a frame's limit); no bound by default. */
  protected get maxChunkSize(): number {
    return Infinity;
  }

  /**
   * Undefined when the transport takes a chunk now; else a promise that settles once it may (it pushes back),
   * rejecting with `signal.reason` if `signal` aborts first. Never waits by default.
   */
  protected whenWritable(_signal: AbortSignal | undefined): Promise<void> | undefined {
    return undefined;
  }

  async #send(end: boolean, signal: AbortSignal | undefined): Promise<FlushResult> {
    this.#sending = true;
    try {
      signal?.throwIfAborted();
      for (;;) {
        if (this.#aborted) {
          throw new IceRpcException(
            IceRpcError.OperationAborted,
            `The stream output was aborted while a ${end ? "end" : "flush"} was in progress.`,
          );
        }
        if (this.#stopped) {
          this.#unflushed.clear();
          this.#ended ||= end;
          return "writesClosed";
        }
        if (this.#failure !== undefined) {
          throw this.#failure();
        }
        const remaining = this.#unflushed.byteLength;
        if (remaining === 0 && !end) {
          return "flushed";
        }
        if (remaining > 0 && this.#credit === 0) {
          await this.#waitForCredit(signal);
          continue;
        }
        const backpressure = this.whenWritable(signal);
        if (backpressure !== undefined) {
          await backpressure;
          continue;
        }
        const size = Math.min(remaining, this.#credit, this.maxChunkSize);
        const chunk = size > 0 ? this.#unflushed.take(size) : undefined;
        const last = end && this.#unflushed.byteLength === 0;
        this.#credit -= size;
        this.sendChunk(chunk, last);
        if (last) {
          this.#ended = true;
          this.#finish();
          return "flushed";
        }
      }
    } catch (error) {
      if (this.#failure === undefined && !this.#aborted) {
        // Aborted by `signal`: the caller may reuse its buffers once this call settles, so keep a copy of the bytes
        // not sent yet. They stay unflushed: the next flush or end sends them, `abort` discards them.
        this.#unflushed.push(this.#unflushed.take(this.#unflushed.byteLength));
      }
      throw error;
    } finally {
      this.#sending = false;
    }
  }

  #waitForCredit(signal: AbortSignal | undefined): Promise<void> {
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
