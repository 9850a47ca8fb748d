import { InvalidOperationError } from "@icerpc-ts/core";
import type { FlushResult, StreamOutput } from "@icerpc-ts/core/transport";
import { ChunkQueue, Deferred, abortable } from "@icerpc-ts/primitives";

import { maxWindowSize } from "./frame-type.js";
import { slicProtocolError } from "./slic-protocol-error.js";

/** What an output needs from its stream. */
export interface OutputHost {
  readonly streamId: number;
  /** The peer's InitialStreamWindowSize: the credit a stream starts with. */
  readonly peerWindowSize: number;
  /** The peer's MaxStreamFrameSize: the most data one frame may carry. */
  readonly peerMaxStreamFrameSize: number;
  /**
   * Sends a Stream frame with `data`, or a StreamLast frame (`last`) with `data` (possibly empty). The connection
   * owns `data` from then on.
   */
  sendData(data: Uint8Array, last: boolean): void;
  /** The application aborted its output (StreamWritesClosed). */
  sendWritesClosed(): void;
  /**
   * Undefined when the connection takes more frames now; else a promise that settles once it does (the byte
   * channel pushes back), rejecting with `signal.reason` if `signal` aborts first.
   */
  whenWritable(signal: AbortSignal | undefined): Promise<void> | undefined;
}

/**
 * The sending half of a Slic stream. `write` only keeps references; `flush` and `end` copy the bytes into Stream
 * frames of at most the peer's MaxStreamFrameSize and of its remaining credit, and hand them to the connection,
 * waiting while the credit is spent (until the peer's StreamWindowUpdate) and while the byte channel pushes back.
 * So a flush of any size holds at most one frame of copied bytes beyond what the window allows in flight.
 */
export class SlicStreamOutput implements StreamOutput {
  readonly #host: OutputHost;
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
  /** The peer's reader stopped reading (StreamReadsClosed): nothing more will be read. */
  #stopped = false;
  /** Set once the connection failed: the error to reject with. */
  #failure: (() => Error) | undefined;
  #done = false;

  /** `onDone`: writes are done for the application (ended, aborted or stopped). */
  constructor(host: OutputHost, onDone: () => void) {
    this.#host = host;
    this.#credit = host.peerWindowSize;
    this.#onDone = onDone;
  }

  /** Resolves once no more bytes can be sent (see `MultiplexedStream.writesClosed`). */
  get writesClosed(): Promise<void> {
    return this.#writesClosed.promise;
  }

  get unflushedBytes(): number {
    return this.#unflushed.byteLength;
  }

  /** The output was ended or aborted by the application. */
  get isClosedLocally(): boolean {
    return this.#ended || this.#aborted;
  }

  write(data: Uint8Array): void {
    this.#checkOpen("write to");
    // Once the peer stopped reading or the connection failed, bytes can only be discarded.
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
      this.#host.sendWritesClosed();
    }
    this.#resumeSender?.();
    this.#finish();
  }

  /** StreamWindowUpdate: the peer's reader read `increment` more bytes. */
  receiveWindowUpdate(increment: number): void {
    const credit = this.#credit + increment;
    if (credit > maxWindowSize) {
      throw slicProtocolError(
        `a StreamWindowUpdate of ${increment} on stream ${this.#host.streamId} grows its window past ${maxWindowSize}.`,
      );
    }
    this.#credit = credit;
    this.#resumeSender?.();
  }

  /** StreamReadsClosed: the peer's reader stopped. Repeats (C# sends some) do nothing. */
  receiveReadsClosed(): void {
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
        if (remaining === 0 && !end) {
          return "flushed";
        }
        if (remaining > 0 && this.#credit === 0) {
          await this.#waitForCredit(signal);
          continue;
        }
        const backpressure = this.#host.whenWritable(signal);
        if (backpressure !== undefined) {
          await backpressure;
          continue;
        }
        const size = Math.min(remaining, this.#credit, this.#host.peerMaxStreamFrameSize);
        const data = size > 0 ? this.#unflushed.take(size) : new Uint8Array(0);
        const last = end && this.#unflushed.byteLength === 0;
        this.#credit -= size;
        this.#host.sendData(data, last);
        if (last) {
          this.#ended = true;
          this.#finish();
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
