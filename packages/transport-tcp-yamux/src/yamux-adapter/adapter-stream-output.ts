import { IceRpcError, IceRpcException, InvalidOperationError } from "@icerpc-ts/core";
import type { FlushResult, StreamOutput } from "@icerpc-ts/core/transport";
import { ChunkQueue, Deferred, waitAbortable } from "@icerpc-ts/primitives";
import type { YamuxStream } from "@icerpc-ts/yamux";

import type { AdapterStream } from "./adapter-stream.js";
import { isRemoteReset } from "./yamux-error-mapping.js";

/**
 * The most bytes copied into one yamux write. A flush hands yamux one piece while the previous one is being sent,
 * so it holds at most two pieces of copies whatever its size.
 */
const pieceSize = 1024 * 1024;

const interrupted = (): Error => new Error("The stream output was interrupted.");

/**
 * The sending half of a stream. `write` keeps references; `flush` and `end` copy the bytes into yamux writes (the
 * caller may reuse its arrays once the call settles, while the byte channel may still hold what yamux gave it) and
 * wait until yamux handed them to the channel, which waits for the peer's credit.
 *
 * Once the output is interrupted (aborted, stopped by the peer, or failed with the connection), a pending flush
 * settles at once. The bytes it had handed to yamux still leave (at most two pieces): the peer discards them, and
 * an abort's RST cuts them short.
 */
export class AdapterStreamOutput implements StreamOutput {
  readonly #stream: AdapterStream;
  readonly #unflushed = new ChunkQueue();
  readonly #writesClosed = new Deferred<void>();
  #sending = false;
  /** Rejects the wait of the flush or end in progress, if any, when the output is interrupted. */
  #wakeSender: ((reason: unknown) => void) | undefined;
  #ended = false;
  /** The yamux stream's FIN was requested. */
  #yamuxEnded = false;
  #aborted = false;
  /** The peer's reader stopped: nothing more will be read. */
  #stopped = false;
  /** Set once the connection failed: the error to reject with. */
  #failure: (() => Error) | undefined;
  #done = false;

  constructor(stream: AdapterStream) {
    this.#stream = stream;
  }

  /** Resolves once no more data can be written (see `MultiplexedStream.writesClosed`). */
  get writesClosed(): Promise<void> {
    return this.#writesClosed.promise;
  }

  get unflushedBytes(): number {
    return this.#unflushed.byteLength;
  }

  write(data: Uint8Array): void {
    this.#checkOpen("write to");
    // Once the peer stopped reading or the connection failed, bytes can only be discarded.
    if (data.length > 0 && !this.#stopped && this.#failure === undefined) {
      this.#unflushed.push(data);
    }
  }

  flush(signal?: AbortSignal): Promise<FlushResult> {
    return this.#send(false, signal);
  }

  end(signal?: AbortSignal): Promise<FlushResult> {
    const yamux = this.#quickEndStream(signal);
    return yamux === undefined ? this.#send(true, signal) : this.#quickEnd(yamux);
  }

  abort(): void {
    if (this.#ended || this.#aborted || this.#stopped) {
      return;
    }
    this.#aborted = true;
    this.#interrupt();
    if (this.#failure === undefined) {
      this.#stream.outputAborted();
    }
    this.#finish();
  }

  /**
   * The peer stopped reading (StopSending, or a yamux RST). Unless `sendFin` is false (the yamux stream is gone),
   * the output ends its yamux stream with FIN, as the peer expects. Ignored once writes are done.
   */
  stop(sendFin: boolean): void {
    if (this.#done || this.#stopped) {
      return;
    }
    this.#stopped = true;
    this.#interrupt();
    if (sendFin && !this.#yamuxEnded) {
      this.#yamuxEnded = true;
      void this.#stream.yamux?.end();
    }
    this.#finish();
  }

  /** The connection failed: the pending and later flushes reject with `currentError()`. Ignored once writes are done. */
  fail(currentError: () => Error): void {
    if (!this.#done) {
      this.#failure = currentError;
      this.#interrupt();
      this.#finish();
    }
  }

  async #send(end: boolean, signal: AbortSignal | undefined): Promise<FlushResult> {
    this.#checkOpen(end ? "end" : "flush");
    if (this.#sending) {
      throw new InvalidOperationError(
        `Cannot ${end ? "end" : "flush"} the stream output while another flush or end is in progress: wait for it to settle.`,
      );
    }
    this.#sending = true;
    try {
      signal?.throwIfAborted();
      if (this.#stopped) {
        this.#ended ||= end;
        return "writesClosed";
      }
      if (this.#failure !== undefined) {
        throw this.#failure();
      }
      if (this.#unflushed.byteLength === 0 && !end) {
        return "flushed"; // nothing to send: a local stream stays off the wire
      }
      const yamux = this.#stream.open();
      let previous: Promise<void> | undefined;
      // When ending, the last piece goes with the FIN, in one yamux call.
      while (this.#unflushed.byteLength > (end ? pieceSize : 0)) {
        const written = yamux.write(this.#unflushed.take(pieceSize));
        if (previous !== undefined) {
          await this.#wait(previous, signal);
        }
        previous = written;
      }
      if (!end) {
        if (previous !== undefined) {
          await this.#wait(previous, signal);
        }
        return "flushed";
      }
      // From here the FIN is committed, even if `signal` aborts the wait for it; yamux fails the end with any write
      // that fails, so waiting for the end is waiting for everything. Writes are closed once the FIN leaves.
      const ending = this.#endYamux(yamux);
      ending.then(() => this.#finish(), () => {});
      await this.#wait(ending, signal);
      return "flushed";
    } catch (error) {
      return await this.#sendFailed(error, signal);
    } finally {
      this.#sendSettled();
    }
  }

  /**
   * The yamux stream when `end` can take its quick path, as it does for nearly every request and response: no
   * signal, nothing in the way (another flush, an abort, a stop, a failure), at most one piece left to send, and the
   * stream on the wire or put there at once. Undefined otherwise: `#send` then handles every case.
   */
  #quickEndStream(signal: AbortSignal | undefined): YamuxStream | undefined {
    if (
      signal !== undefined ||
      this.#sending ||
      this.#ended ||
      this.#aborted ||
      this.#stopped ||
      this.#failure !== undefined ||
      this.#unflushed.byteLength > pieceSize
    ) {
      return undefined;
    }
    try {
      return this.#stream.open();
    } catch {
      return undefined; // `#send` reports it
    }
  }

  /**
   * `end` without the async frame of `#send`: the FIN and the last piece in one yamux call, then one promise
   * settled by whichever comes first, the FIN leaving or an interruption (`#wakeSender`).
   */
  #quickEnd(yamux: YamuxStream): Promise<FlushResult> {
    this.#sending = true;
    const ending = this.#endYamux(yamux);
    return new Promise<FlushResult>((resolve, reject) => {
      let settled = false;
      const failed = (error: unknown): void => {
        if (!settled) {
          settled = true;
          // A microtask later, as through #wait: an interruption (abort, stop, failure) finishes changing the
          // output's state before the outcome is decided from it.
          queueMicrotask(() => {
            this.#sendSettled();
            this.#sendFailed(error, undefined).then(resolve, reject);
          });
        }
      };
      this.#wakeSender = failed;
      ending.then(() => {
        if (!settled) {
          settled = true;
          this.#sendSettled();
          this.#finish();
          resolve("flushed");
        }
      }, failed);
    });
  }

  /** Commits the FIN: the rest of the unflushed bytes (at most one piece) and the end, in one yamux call. */
  #endYamux(yamux: YamuxStream): Promise<void> {
    this.#ended = true;
    this.#yamuxEnded = true;
    return yamux.end(this.#unflushed.byteLength > 0 ? this.#unflushed.take(pieceSize) : undefined);
  }

  #sendSettled(): void {
    this.#sending = false;
    this.#wakeSender = undefined;
  }

  /** Settles a flush or end that failed with `error`: by what happened to the output, or to the session. */
  async #sendFailed(error: unknown, signal: AbortSignal | undefined): Promise<FlushResult> {
    if (this.#stopped) {
      return "writesClosed";
    }
    if (this.#aborted) {
      throw new IceRpcException(IceRpcError.OperationAborted, "The flush was interrupted because the stream output was aborted.");
    }
    if (this.#failure !== undefined) {
      throw this.#failure();
    }
    if (signal?.aborted && error === signal.reason) {
      // The bytes handed to yamux are sent; the rest stays unflushed for the next flush or end, copied, since the
      // caller may reuse its arrays once this call settles.
      this.#unflushed.push(this.#unflushed.take(this.#unflushed.byteLength));
      throw error;
    }
    if (isRemoteReset(error)) {
      // The peer reset the yamux stream, which it does only once it stopped reading.
      this.stop(false);
      return "writesClosed";
    }
    await this.#stream.sessionFailed(error);
    throw (this.#failure as (() => Error) | undefined)?.() ?? error;
  }

  /** Waits for `promise`, unless the output is interrupted or `signal` aborts first. */
  #wait<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const interruptible =
      this.#aborted || this.#stopped || this.#failure !== undefined
        ? Promise.reject(interrupted())
        : new Promise<T>((resolve, reject) => {
            this.#wakeSender = reject;
            promise.then(resolve, reject);
          });
    return signal === undefined ? interruptible : waitAbortable(interruptible, signal);
  }

  /** No more bytes will be sent: drops the unflushed ones and wakes the flush or end in progress. */
  #interrupt(): void {
    this.#unflushed.clear();
    const wake = this.#wakeSender;
    this.#wakeSender = undefined;
    wake?.(interrupted());
  }

  #checkOpen(operation: string): void {
    if (this.#ended || this.#aborted) {
      throw new InvalidOperationError(`Cannot ${operation} the stream output: it was ${this.#ended ? "ended" : "aborted"}.`);
    }
  }

  /** Writes are closed: resolves `writesClosed` and, unless the connection failed, reports the half done. */
  #finish(): void {
    if (!this.#done) {
      this.#done = true;
      this.#writesClosed.resolve();
      if (this.#failure === undefined) {
        this.#stream.halfDone();
      }
    }
  }
}
