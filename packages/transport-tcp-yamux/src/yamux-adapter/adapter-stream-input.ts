import type { StreamInput } from "@icerpc-ts/core/transport";
import { StreamInputState } from "@icerpc-ts/core/transport-helpers";
import type { YamuxStream } from "@icerpc-ts/yamux";

import { isRemoteReset } from "./yamux-error-mapping.js";

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
  readonly halfDone: () => void;
}

/**
 * The receiving half of a stream, reading its yamux stream on demand: at most one yamux read is in flight, and
 * reading is what returns credit to the peer, so a reader that stops reading stops the writer once the yamux window
 * is full. A read abandoned by its signal leaves its yamux read running; what it brings is kept for the next read.
 */
export class AdapterStreamInput implements StreamInput {
  readonly #owner: InputOwner;
  readonly #state: StreamInputState;
  /** Bytes received and not handed out yet: the rest of the first chunk, or what an abandoned read brought. */
  #leftover: Uint8Array | undefined;
  /** A yamux read is in flight. */
  #pulling = false;
  /** The peer's FIN was read from yamux. */
  #endReceived = false;

  /** `firstBytes`: what arrived with the stream's kind byte, for an accepted stream. */
  constructor(owner: InputOwner, firstBytes?: Uint8Array) {
    this.#owner = owner;
    this.#state = new StreamInputState(owner.halfDone);
    this.#leftover = firstBytes !== undefined && firstBytes.length > 0 ? firstBytes : undefined;
  }

  /** The reader is done (see {@link InputOwner.halfDone}). */
  get isDone(): boolean {
    return this.#state.isDone;
  }

  read(signal?: AbortSignal): Promise<Uint8Array | null> {
    const decided = this.#state.decideRead(signal);
    if (decided !== undefined) {
      return decided;
    }
    const ready = this.#takeReady();
    if (ready !== undefined) {
      return Promise.resolve(ready);
    }
    const read = this.#state.waitForData(signal);
    this.#pull();
    return read;
  }

  tryRead(): Uint8Array | null | undefined {
    const decided = this.#state.decideTryRead();
    return decided === false ? this.#takeReady() : decided;
  }

  abort(): void {
    if (!this.#state.abort()) {
      return;
    }
    this.#leftover = undefined;
    if (!this.#state.isResetReceived && !this.#endReceived && !this.#state.hasFailed) {
      this.#owner.inputAborted();
      // Keep reading and discarding until the peer's FIN or RST, so that its window keeps moving until it learns
      // that nobody reads.
      this.#pull();
    }
    this.#state.finish();
  }

  /** The peer aborted its output before its end: what was not read is lost. Ignored once the end was received. */
  peerReset(): void {
    if (!this.#endReceived && this.#state.peerReset()) {
      this.#leftover = undefined;
    }
  }

  /**
   * The connection failed: the pending and later reads reject with `currentError()` (the connection's error at the
   * time of the call). Ignored once reads are done.
   */
  fail(currentError: () => Error): void {
    if (this.#state.fail(currentError)) {
      this.#leftover = undefined;
    }
  }

  /** What a read can return without waiting: the leftover, what yamux holds already (often the end, right after the data), or undefined. */
  #takeReady(): Uint8Array | null | undefined {
    const leftover = this.#leftover;
    if (leftover !== undefined) {
      this.#leftover = undefined;
      return leftover;
    }
    if (!this.#pulling) {
      const ready = this.#owner.openedYamuxStream()?.tryRead();
      if (ready === null) {
        this.#endReceived = true;
      } else if (ready !== undefined) {
        return ready;
      }
    }
    return this.#endReceived ? this.#state.endOfStream() : undefined;
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
    if (this.#state.isAborted) {
      if (chunk !== null) {
        this.#pull(); // still draining
      }
      return;
    }
    if (this.#state.isResetReceived || this.#state.hasFailed) {
      return;
    }
    if (chunk === null) {
      this.#endReceived = true;
      this.#state.takePendingRead()?.resolve(this.#state.endOfStream());
      return;
    }
    const pendingRead = this.#state.takePendingRead();
    if (pendingRead === undefined) {
      this.#leftover = chunk;
    } else {
      pendingRead.resolve(chunk);
    }
  }

  #readFailed(error: unknown): void {
    this.#pulling = false;
    if (this.#state.isAborted || this.#state.isResetReceived || this.#state.hasFailed) {
      return;
    }
    if (isRemoteReset(error)) {
      this.peerReset();
    } else {
      void this.#owner.sessionFailed(error); // fails this input, and with it the pending read
    }
  }
}
