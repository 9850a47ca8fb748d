import { IceRpcError, IceRpcException, InvalidOperationError } from "@icerpc-ts/core";
import type { FlushResult, StreamOutput } from "@icerpc-ts/core/transport";
import { ChunkQueue, Deferred, waitAbortable } from "@icerpc-ts/primitives";
import type { YamuxStream } from "@icerpc-ts/yamux";

import { isRemoteReset } from "./yamux-error-mapping.js";

/** What an output needs from the stream it belongs to. */
export interface OutputOwner {
  /** The yamux stream if the stream is on the wire already. */
  openedYamuxStream(): YamuxStream | undefined;
  /** The yamux stream; asking for it puts a local stream on the wire. */
  yamuxStream(): Promise<YamuxStream>;
  /** Puts a local stream on the wire if it is not, and returns the yamux stream if it is there now. */
  requestOpen(): YamuxStream | undefined;
  /** The writer aborted: tell the peer (ResetStream or RST). */
  outputAborted(): void;
  /** A yamux write failed with an error that is not about this stream: resolves once the connection failed. */
  sessionFailed(error: unknown): Promise<void>;
  /** Writes are done: the output was ended or aborted, or the peer stopped reading. */
  halfDone(): void;
}

/**
 * The most bytes copied into one yamux write. A flush hands yamux one piece while the previous one is being sent,
 * so it holds at most two pieces of copies whatever its size.
 */
const pieceSize = 1024 * 1024;

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
  readonly #owner: OutputOwner;
  readonly #unflushed = new ChunkQueue();
  readonly #writesClosed = new Deferred<void>();
  #sending = false;
  /** Rejects the wait of the flush or end in progress, if any, when the output is interrupted. */
  #wakeSender: ((reason: unknown) => void) | undefined;
  #interrupted = false;
  #ended = false;
  /** The yamux stream's FIN was requested. */
  #yamuxEnded = false;
  #aborted = false;
  /** The peer's reader stopped: nothing more will be read. */
  #stopped = false;
  /** Set once the connection failed: the error to reject with. */
  #failure: (() => Error) | undefined;
  #done = false;

  constructor(owner: OutputOwner) {
    this.#owner = owner;
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
    // Once the peer stopped reading or the connection failed, bytes can only be discarded: keeping them would grow
    // memory for nothing.
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
      this.#owner.outputAborted();
    }
    this.#finish();
  }

  /**
   * The peer stopped reading (StopSending, or a yamux RST). Unless `sendFin` is false (the yamux stream is gone),
   * the output ends its yamux stream with FIN, as the peer expects. Ignored once writes are done.
   */
  stop(sendFin: boolean): void {
    if (this.#done || this.#aborted || this.#stopped) {
      return;
    }
    this.#stopped = true;
    this.#interrupt();
    if (sendFin && !this.#yamuxEnded) {
      this.#yamuxEnded = true;
      this.#owner.yamuxStream().then(
        (yamux) => void yamux.end(),
        () => {},
      );
    }
    this.#finish();
  }

  /** The connection failed: the pending and later flushes reject with `currentError()`. Ignored once writes are done. */
  fail(currentError: () => Error): void {
    if (this.#done) {
      return;
    }
    this.#failure = currentError;
    this.#interrupt();
    this.#finish();
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
      const yamux = this.#owner.requestOpen() ?? (await this.#wait(this.#owner.yamuxStream(), signal));
      let previous: Promise<void> | undefined;
      // When ending, the last piece goes with the FIN, in one yamux call.
      while (this.#unflushed.byteLength > (end ? pieceSize : 0)) {
        const written = yamux.write(this.#unflushed.take(pieceSize));
        if (previous !== undefined) {
          await this.#wait(previous, signal);
        }
        previous = written;
      }
      if (end) {
        // From here the FIN is committed, even if `signal` aborts the wait for it. The FIN leaves after the data and
        // yamux fails the end with any write that fails: waiting for the end is waiting for everything.
        const ending = this.#endYamux(yamux);
        try {
          await this.#wait(ending, signal);
        } catch (error) {
          // Writes are closed once the FIN leaves, even when `signal` gave up waiting for it. (An interruption or a
          // failure finishes the output itself.)
          ending.then(() => this.#finish(), () => {});
          throw error;
        }
        this.#finish();
      } else if (previous !== undefined) {
        await this.#wait(previous, signal);
      }
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
    return this.#owner.requestOpen();
  }

  /**
   * `end` without the async frame of `#send`: the FIN and the last piece in one yamux call, then one wait, which an
   * interruption (`#wakeSender`) ends as it ends `#wait`. One promise, settled by whichever comes first, instead of
   * `#wait`'s promise and a `then` on it: this runs for nearly every request and response.
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
      throw new IceRpcException(
        IceRpcError.OperationAborted,
        "The flush was interrupted because the stream output was aborted.",
      );
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
    await this.#owner.sessionFailed(error);
    throw this.#currentFailure() ?? error;
  }

  /** The connection's error if it failed (a method, so that TypeScript does not assume it unchanged by awaits). */
  #currentFailure(): Error | undefined {
    return this.#failure?.();
  }

  /** Waits for `promise`, unless the output is interrupted or `signal` aborts first. */
  #wait<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const interruptible = this.#interrupted
      ? Promise.reject(new Error("The stream output was interrupted."))
      : new Promise<T>((resolve, reject) => {
          this.#wakeSender = reject;
          promise.then(resolve, reject);
        });
    return signal === undefined ? interruptible : waitAbortable(interruptible, signal);
  }

  /** No more bytes will be sent: drops the unflushed ones and wakes the flush or end in progress. */
  #interrupt(): void {
    this.#interrupted = true;
    this.#unflushed.clear();
    const wake = this.#wakeSender;
    this.#wakeSender = undefined;
    wake?.(new Error("The stream output was interrupted."));
  }

  #checkOpen(operation: string): void {
    if (this.#ended || this.#aborted) {
      throw new InvalidOperationError(
        `Cannot ${operation} the stream output: it was ${this.#ended ? "ended" : "aborted"}.`,
      );
    }
  }

  /** Writes are closed: resolves `writesClosed` and, unless the connection failed, reports the half done. */
  #finish(): void {
    if (!this.#done) {
      this.#done = true;
      this.#writesClosed.resolve();
      if (this.#failure === undefined) {
        this.#owner.halfDone();
      }
    }
  }
}
