import { abortable } from "@icerpc-ts/primitives";
import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { InvalidOperationError } from "../errors/usage-errors.js";

/** A read waiting for data. */
export interface PendingRead {
  resolve(value: Uint8Array | null): void;
  reject(reason: unknown): void;
}

/**
 * The reader's side of a `StreamInput`: whether a read waits, and whether the reader read the end, aborted, saw
 * the peer's abort or lost the connection. Every transport's input keeps its bytes its own way and leaves these rules
 * to this class, so that all inputs answer a read in the order the contract gives, and report the direction done
 * (`onDone`) at the same moments: once the end was read, the peer's abort seen, or the input aborted; never after the
 * connection failed, since nothing is counted on a failed connection anymore.
 *
 * Reads are hot (one per chunk received): nothing here allocates beyond the promise a read returns, and what it
 * takes to wait when no bytes are there.
 */
export class StreamInputState {
  readonly #onDone: () => void;
  #pendingRead: PendingRead | undefined;
  #aborted = false;
  /** A read returned null. */
  #consumed = false;
  /** The peer aborted its output: reads fail with TruncatedData. */
  #resetReceived = false;
  /** Set once the connection failed: the error to reject with, as it is when asked. */
  #failure: (() => Error) | undefined;
  #done = false;

  constructor(onDone: () => void) {
    this.#onDone = onDone;
  }

  get hasPendingRead(): boolean {
    return this.#pendingRead !== undefined;
  }

  get isAborted(): boolean {
    return this.#aborted;
  }

  get isResetReceived(): boolean {
    return this.#resetReceived;
  }

  get hasFailed(): boolean {
    return this.#failure !== undefined;
  }

  /** Reads are done: the end was read, the peer's abort was seen, or the reader aborted. */
  get isDone(): boolean {
    return this.#done;
  }

  /**
   * How a read ends without looking at the bytes, checked in this order: an overlapping read and a read after
   * `abort` are usage errors; an aborted `signal` wins over everything else (even over data waiting); after the end
   * reads keep returning null; then the peer's abort and the connection's failure. Undefined when the read must look
   * at the bytes.
   */
  decideRead(signal: AbortSignal | undefined): Promise<null> | undefined {
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
    return undefined;
  }

  /**
   * How a `tryRead` ends without looking at the bytes: null once the end was read, as `read` does; undefined when only
   * `read` can answer (a read is in progress, the input was aborted, the peer aborted or the connection failed: `read`
   * reports those); false when the bytes decide.
   */
  decideTryRead(): null | undefined | false {
    if (this.#pendingRead !== undefined || this.#aborted || this.#resetReceived || this.#failure !== undefined) {
      return undefined;
    }
    return this.#consumed ? null : false;
  }

  /**
   * A read that found no bytes waits for them: it settles through {@link takePendingRead}, or rejects with
   * `signal.reason` if `signal` aborts first, and then no longer waits (the bytes go to the next read).
   */
  waitForData(signal: AbortSignal | undefined): Promise<Uint8Array | null> {
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

  /** The waiting read, which the caller settles; no read waits anymore. */
  takePendingRead(): PendingRead | undefined {
    const pendingRead = this.#pendingRead;
    this.#pendingRead = undefined;
    return pendingRead;
  }

  /** The reader reads the end of stream: this read and the later ones return null. */
  endOfStream(): null {
    this.#consumed = true;
    this.finish();
    return null;
  }

  /**
   * The reader aborts: the waiting read rejects with `IceRpcException(OperationAborted)` and later reads are usage
   * errors. False, and nothing changes, once the end was read or the input was aborted already; else the caller
   * discards its bytes and then calls `finish`.
   */
  abort(): boolean {
    if (this.#consumed || this.#aborted) {
      return false;
    }
    this.#aborted = true;
    this.takePendingRead()?.reject(
      new IceRpcException(IceRpcError.OperationAborted, "The read was interrupted because the stream input was aborted."),
    );
    return true;
  }

  /**
   * The peer aborted its output: the waiting and later reads fail with `IceRpcException(TruncatedData)`. False, and
   * nothing changes, when the reader aborted, the connection failed or the abort was seen already; else the caller
   * discards the bytes not read yet.
   */
  peerReset(): boolean {
    if (this.#aborted || this.#resetReceived || this.#failure !== undefined) {
      return false;
    }
    this.#resetReceived = true;
    this.takePendingRead()?.reject(this.#truncated());
    return true;
  }

  /**
   * The connection failed: the waiting and later reads reject with `currentError()`, the connection's error at the
   * time of the read. False, and nothing changes, once reads are done or the failure is known already; else the
   * caller discards the bytes not read yet.
   */
  fail(currentError: () => Error): boolean {
    if (this.#done || this.#failure !== undefined) {
      return false;
    }
    this.#failure = currentError;
    this.takePendingRead()?.reject(currentError());
    return true;
  }

  /** Reads are done: reports the direction done, once, unless the connection failed. */
  finish(): void {
    if (!this.#done) {
      this.#done = true;
      if (this.#failure === undefined) {
        this.#onDone();
      }
    }
  }

  /** The reader sees the peer's abort: that ends its direction. */
  #truncated(): IceRpcException {
    this.finish();
    return new IceRpcException(IceRpcError.TruncatedData);
  }
}
