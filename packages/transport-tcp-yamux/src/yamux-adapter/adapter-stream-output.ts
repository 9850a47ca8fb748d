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

function ignore(): void {}

/**
 * The sending half of a stream. `write` keeps references; `flush` and `end` copy the bytes into yamux writes (the
 * caller may reuse its arrays once the call settles, while the byte channel may still hold what yamux gave it) and
 * wait until yamux handed them to the channel, which waits for the peer's credit.
 *
 * Once the output is interrupted (aborted, stopped by the peer, or failed with the connection), the bytes yamux has
 * not sent yet are withdrawn, and a pending flush settles at once.
 */
export class AdapterStreamOutput implements StreamOutput {
  readonly #stream: AdapterStream;
  readonly #unflushed = new ChunkQueue();
  readonly #writesClosed = new Deferred<void>();
  #sending = false;
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
    if (this.#ended || this.#aborted) {
      throw this.#closedError("write to");
    }
    // Once the peer stopped reading or the connection failed, bytes can only be discarded.
    if (data.length > 0 && !this.#stopped && this.#failure === undefined) {
      this.#unflushed.push(data);
    }
  }

  flush(signal?: AbortSignal): Promise<FlushResult> {
    return this.#send(false, signal);
  }

  end(signal?: AbortSignal): Promise<FlushResult> {
    return this.#send(true, signal);
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
      void this.#stream.tryOpen()?.end();
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

  /**
   * Sends what is unflushed, and the FIN when `end`. Up to one piece (nearly every request and response) goes to
   * yamux at once, with no async frame.
   */
  #send(end: boolean, signal: AbortSignal | undefined): Promise<FlushResult> {
    const operation = end ? "end" : "flush";
    if (this.#ended || this.#aborted) {
      return Promise.reject(this.#closedError(operation));
    }
    if (this.#sending) {
      return Promise.reject(
        new InvalidOperationError(`Cannot ${operation} the stream output while another flush or end is in progress: wait for it to settle.`),
      );
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    if (this.#stopped) {
      this.#ended ||= end;
      return Promise.resolve("writesClosed");
    }
    if (this.#failure !== undefined) {
      return Promise.reject(this.#failure());
    }
    if (this.#unflushed.byteLength === 0 && !end) {
      return Promise.resolve("flushed"); // nothing to send: a local stream stays off the wire
    }
    this.#sending = true;
    let sent: Promise<void>;
    try {
      const yamux = this.#stream.open();
      sent =
        this.#unflushed.byteLength > pieceSize
          ? this.#sendPieces(yamux, end, signal)
          : end
            ? this.#endYamux(yamux)
            : yamux.write(this.#unflushed.take(pieceSize));
    } catch (error) {
      sent = Promise.reject(error); // the session cannot open the stream
    }
    if (end && signal !== undefined) {
      sent.then(() => this.#finish(), ignore); // the FIN closes writes once it leaves, even if the wait gave up
    }
    return (signal === undefined ? sent : waitAbortable(sent, signal)).then(
      () => {
        this.#sending = false;
        if (end) {
          this.#finish();
        }
        return "flushed";
      },
      (error: unknown) => {
        this.#sending = false;
        return this.#sendFailed(error, signal);
      },
    );
  }

  /**
   * A flush of more than one piece: one piece goes to yamux while the previous one is being sent. Yamux fails a
   * write with any earlier one that fails: waiting for the last is waiting for everything.
   */
  async #sendPieces(yamux: YamuxStream, end: boolean, signal: AbortSignal | undefined): Promise<void> {
    let previous: Promise<void> | undefined;
    while (this.#unflushed.byteLength > pieceSize) {
      const written = yamux.write(this.#unflushed.take(pieceSize));
      if (previous !== undefined) {
        await (signal === undefined ? previous : waitAbortable(previous, signal));
      }
      previous = written;
    }
    if (this.#aborted || this.#stopped || this.#failure !== undefined) {
      throw interrupted(); // while the previous piece was being sent
    }
    return end ? this.#endYamux(yamux) : yamux.write(this.#unflushed.take(pieceSize));
  }

  /** Commits the FIN: the rest of the unflushed bytes (at most one piece) and the end, in one yamux call. */
  #endYamux(yamux: YamuxStream): Promise<void> {
    this.#ended = true;
    this.#yamuxEnded = true;
    return yamux.end(this.#unflushed.byteLength > 0 ? this.#unflushed.take(pieceSize) : undefined);
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

  /** No more bytes will be sent: drops the unflushed ones and withdraws those yamux has not sent yet. */
  #interrupt(): void {
    this.#unflushed.clear();
    this.#stream.yamux?.withdrawWrites(interrupted());
  }

  #closedError(operation: string): InvalidOperationError {
    return new InvalidOperationError(`Cannot ${operation} the stream output: it was ${this.#ended ? "ended" : "aborted"}.`);
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
