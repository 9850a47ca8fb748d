import { IceRpcError, IceRpcException, InvalidOperationError, isIceRpcException } from "@icerpc-ts/core";
import type { StreamInput } from "@icerpc-ts/core/transport";
import { abortable } from "@icerpc-ts/core/util";
import type { YamuxStream } from "@icerpc-ts/yamux";

/** What an input needs from the stream it belongs to. */
export interface InputOwner {
  /** The yamux stream if the stream is on the wire already. */
  openedYamuxStream(): YamuxStream | undefined;
  /** The yamux stream, once the stream is on the wire (reading does not put a local stream there). */
  whenOpened(): Promise<YamuxStream>;
  /** The reader stopped before the end: tell the peer (StopSending). */
  inputAborted(): void;
  /** A yamux read failed with an error that is not about this stream: the session ended (this input fails). */
  sessionFailed(error: unknown): Promise<void>;
  /** Reads are done: the end was read, the peer's abort was seen, or the reader aborted. */
  halfDone(): void;
}

interface PendingRead {
  resolve(value: Uint8Array | null): void;
  reject(reason: unknown): void;
}

/**
 * The receiving half of a stream, reading its yamux stream on demand: at most one yamux read is in flight, and
 * reading is what returns credit to the peer, so a reader that stops reading stops the writer once the yamux window
 * is full. A read abandoned by its signal leaves its yamux read running; what it brings is kept for the next read.
 */
export class AdapterStreamInput implements StreamInput {
  readonly #owner: InputOwner;
  /** Bytes received and not handed out yet: the rest of the first chunk, or what an abandoned read brought. */
  #leftover: Uint8Array | undefined;
  #pendingRead: PendingRead | undefined;
  /** A yamux read is in flight. */
  #pulling = false;
  /** The peer's FIN was read from yamux. */
  #endReceived = false;
  /** The peer aborted its output (ResetStream, or a yamux RST before its FIN): reads fail with TruncatedData. */
  #resetReceived = false;
  #aborted = false;
  /** A read returned null. */
  #consumed = false;
  /** Set once the connection failed: the error to reject with. */
  #failure: (() => Error) | undefined;
  #done = false;

  /** `firstBytes`: what arrived with the stream's kind byte, for an accepted stream. */
  constructor(owner: InputOwner, firstBytes?: Uint8Array) {
    this.#owner = owner;
    this.#leftover = firstBytes !== undefined && firstBytes.length > 0 ? firstBytes : undefined;
  }

  /** The reader is done (see {@link InputOwner.halfDone}). */
  get isDone(): boolean {
    return this.#done;
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
    const leftover = this.#leftover;
    if (leftover !== undefined) {
      this.#leftover = undefined;
      return Promise.resolve(leftover);
    }
    if (this.#endReceived) {
      return Promise.resolve(this.#endOfStream());
    }
    return abortable<Uint8Array | null>(
      signal,
      (resolve, reject) => {
        this.#pendingRead = { resolve, reject };
        this.#pull();
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
    this.#leftover = undefined;
    this.#takePendingRead()?.reject(
      new IceRpcException(IceRpcError.OperationAborted, "The read was interrupted because the stream input was aborted."),
    );
    if (!this.#resetReceived && !this.#endReceived && this.#failure === undefined) {
      this.#owner.inputAborted();
      // Keep reading and discarding until the peer's FIN or RST, so that its window keeps moving until it learns
      // that nobody reads.
      this.#pull();
    }
    this.#finish();
  }

  /** The peer aborted its output before its end: what was not read is lost. Ignored once the end was received. */
  peerReset(): void {
    if (this.#endReceived || this.#resetReceived || this.#aborted || this.#failure !== undefined) {
      return;
    }
    this.#resetReceived = true;
    this.#leftover = undefined;
    this.#takePendingRead()?.reject(this.#truncated());
  }

  /**
   * The connection failed: the pending and later reads reject with `currentError()` (the connection's error at the
   * time of the call). Ignored once reads are done.
   */
  fail(currentError: () => Error): void {
    if (this.#done || this.#failure !== undefined) {
      return;
    }
    this.#failure = currentError;
    this.#leftover = undefined;
    this.#takePendingRead()?.reject(currentError());
  }

  #pull(): void {
    if (this.#pulling) {
      return;
    }
    this.#pulling = true;
    const yamux = this.#owner.openedYamuxStream();
    (yamux === undefined ? this.#owner.whenOpened().then((opened) => opened.read()) : yamux.read()).then(
      (chunk) => this.#received(chunk),
      (error: unknown) => this.#readFailed(error),
    );
  }

  #received(chunk: Uint8Array | null): void {
    this.#pulling = false;
    if (this.#aborted) {
      if (chunk !== null) {
        this.#pull(); // still draining
      }
      return;
    }
    if (this.#resetReceived || this.#failure !== undefined) {
      return;
    }
    if (chunk === null) {
      this.#endReceived = true;
      this.#takePendingRead()?.resolve(this.#endOfStream());
      return;
    }
    const pendingRead = this.#takePendingRead();
    if (pendingRead === undefined) {
      this.#leftover = chunk;
    } else {
      pendingRead.resolve(chunk);
    }
  }

  #readFailed(error: unknown): void {
    this.#pulling = false;
    if (this.#aborted || this.#resetReceived || this.#failure !== undefined) {
      return;
    }
    if (isIceRpcException(error, IceRpcError.TruncatedData)) {
      this.peerReset();
    } else {
      void this.#owner.sessionFailed(error); // fails this input, and with it the pending read
    }
  }

  #endOfStream(): null {
    this.#consumed = true;
    this.#finish();
    return null;
  }

  /** The reader sees the peer's abort: that ends its reads. */
  #truncated(): IceRpcException {
    this.#finish();
    return new IceRpcException(IceRpcError.TruncatedData);
  }

  #takePendingRead(): PendingRead | undefined {
    const pendingRead = this.#pendingRead;
    this.#pendingRead = undefined;
    return pendingRead;
  }

  #finish(): void {
    if (!this.#done) {
      this.#done = true;
      if (this.#failure === undefined) {
        this.#owner.halfDone();
      }
    }
  }
}
