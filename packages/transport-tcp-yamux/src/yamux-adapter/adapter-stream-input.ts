import type { StreamInput } from "@icerpc-ts/core/transport";
import { StreamInputState } from "@icerpc-ts/core/transport-helpers";

import type { AdapterStream } from "./adapter-stream.js";
import { isRemoteReset } from "./yamux-error-mapping.js";

/**
 * The receiving half of a stream, reading its yamux stream on demand: at most one yamux read is in flight, and
 * reading is what returns credit to the peer, so a reader that stops reading stops the writer once the yamux window
 * is full. A read abandoned by its signal leaves its yamux read running; what it brings is kept for the next read.
 */
export class AdapterStreamInput implements StreamInput {
  readonly #stream: AdapterStream;
  readonly #state: StreamInputState;
  /** Bytes received and not handed out yet: the rest of the first chunk, or what an abandoned read brought. */
  #leftover: Uint8Array | undefined;
  /** A yamux read is in flight. */
  #pulling = false;
  /** The peer's FIN was read from yamux. */
  #endReceived = false;

  /** `firstBytes`: what arrived with the stream's kind byte, for an accepted stream. */
  constructor(stream: AdapterStream, firstBytes?: Uint8Array) {
    this.#stream = stream;
    this.#state = new StreamInputState(() => stream.halfDone());
    this.#leftover = firstBytes !== undefined && firstBytes.length > 0 ? firstBytes : undefined;
  }

  /** Reads are done (see `StreamInputState.isDone`). */
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
      this.#stream.inputAborted();
      // Keep reading and discarding until the peer's FIN or RST, so that its window keeps moving until it learns
      // that nobody reads.
      this.#pull();
    }
    this.#state.finish();
  }

  /** A local stream went on the wire: a read waiting for it can start. */
  opened(): void {
    if (this.#state.hasPendingRead || this.#state.isAborted) {
      this.#pull();
    }
  }

  /** The peer aborted its output before its end: what was not read is lost. Ignored once the end was received. */
  peerReset(): void {
    if (!this.#endReceived && this.#state.peerReset()) {
      this.#leftover = undefined;
    }
  }

  /** The connection failed: pending and later reads reject with `currentError()`. Ignored once reads are done. */
  fail(currentError: () => Error): void {
    if (this.#state.fail(currentError)) {
      this.#leftover = undefined;
    }
  }

  /** What a read can return without waiting: the leftover, what yamux holds already (often the end), or undefined. */
  #takeReady(): Uint8Array | null | undefined {
    const leftover = this.#leftover;
    if (leftover !== undefined) {
      this.#leftover = undefined;
      return leftover;
    }
    if (!this.#pulling) {
      const ready = this.#stream.yamux?.tryRead();
      if (ready === null) {
        this.#endReceived = true;
      } else if (ready !== undefined) {
        return ready;
      }
    }
    return this.#endReceived ? this.#state.endOfStream() : undefined;
  }

  /** Reads the yamux stream, once it is on the wire (reading does not put a local stream there). */
  #pull(): void {
    const yamux = this.#stream.yamux;
    if (this.#pulling || yamux === undefined) {
      return;
    }
    this.#pulling = true;
    yamux.read().then(
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
      void this.#stream.sessionFailed(error); // fails this input, and with it the pending read
    }
  }
}
