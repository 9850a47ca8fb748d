import { ChunkedStreamInput } from "@icerpc-ts/core/transport-helpers";

import type { AdapterStream } from "./adapter-stream.js";
import { isRemoteReset } from "./yamux-error-mapping.js";

/**
 * The receiving half of a stream: the contract's input rules come from `ChunkedStreamInput`, the flow control from
 * yamux, which returns credit to the peer as its stream is read. So the input takes one chunk at a time from yamux,
 * the next one once the reader took the last: a reader that stops reading stops the writer once the yamux window is
 * full.
 */
export class AdapterStreamInput extends ChunkedStreamInput {
  readonly #stream: AdapterStream;
  /** A yamux read is in flight. */
  #pulling = false;
  /** The reader aborted before the end: the input reads and discards until the peer's FIN or RST. */
  #draining = false;

  /** `firstBytes`: what arrived with the stream's kind byte, for an accepted stream. */
  constructor(stream: AdapterStream, firstBytes?: Uint8Array) {
    super(() => stream.halfDone());
    this.#stream = stream;
    if (firstBytes !== undefined && firstBytes.length > 0) {
      this.receive(firstBytes, false);
    }
  }

  /** A local stream went on the wire: its bytes can be read. */
  opened(): void {
    this.#pull();
  }

  /** The peer aborted its output before its end: what was not read is lost. Ignored once the end was received. */
  peerReset(): void {
    if (!this.endReceived) {
      this.receiveReset();
    }
  }

  protected override creditConsumed(): void {
    // Not within the read that took the chunk: the next chunk must not overtake it.
    queueMicrotask(this.#pullNext);
  }

  readonly #pullNext = (): void => this.#pull();

  protected override readerAborted(): void {
    if (!this.endReceived) {
      this.#stream.inputAborted();
      // Keep the peer's window moving until it learns that nobody reads.
      this.#draining = true;
      this.#pull();
    }
  }

  /** Takes the next chunk from yamux, at once when it holds one, once the stream is on the wire. */
  #pull(): void {
    const yamux = this.#stream.yamux;
    if (this.#pulling || yamux === undefined || (this.isDiscarding && !this.#draining)) {
      return;
    }
    const ready = yamux.tryRead();
    if (ready !== undefined) {
      this.#received(ready);
      return;
    }
    this.#pulling = true;
    yamux.read().then(
      (chunk) => {
        this.#pulling = false;
        this.#received(chunk);
      },
      (error: unknown) => this.#readFailed(error),
    );
  }

  #received(chunk: Uint8Array | null): void {
    if (this.#draining) {
      if (chunk !== null) {
        this.#pull();
      }
      return;
    }
    this.receive(chunk ?? undefined, chunk === null);
  }

  #readFailed(error: unknown): void {
    this.#pulling = false;
    if (this.isDiscarding) {
      return;
    }
    if (isRemoteReset(error)) {
      this.peerReset();
    } else {
      void this.#stream.sessionFailed(error); // fails this input, and with it the pending read
    }
  }
}
