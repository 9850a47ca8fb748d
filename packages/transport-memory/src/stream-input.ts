import { ChunkedStreamInput } from "@icerpc-ts/core/transport-helpers";

import type { SendToPeer } from "./send-to-peer.js";
import type { MemoryStreamOutput } from "./stream-output.js";

/**
 * The receiving half of one stream direction: buffers the chunks the peer's output sent (never more than one window,
 * which the peer's credit guarantees) and hands them out in order, returning their length as credit once read.
 */
export class MemoryStreamInput extends ChunkedStreamInput {
  readonly #sendToPeer: SendToPeer;
  #peer!: MemoryStreamOutput;

  /** `onDone`: reads are done (see `StreamInputState`). */
  constructor(sendToPeer: SendToPeer, onDone: () => void) {
    super(onDone);
    this.#sendToPeer = sendToPeer;
  }

  /** Links this input to the output that sends it bytes, on the other connection end. */
  connectTo(peer: MemoryStreamOutput): void {
    this.#peer = peer;
  }

  protected override creditConsumed(byteCount: number): void {
    const peer = this.#peer;
    this.#sendToPeer(() => peer.addCredit(byteCount));
  }

  protected override readerAborted(): void {
    if (!this.endReceived) {
      const peer = this.#peer;
      this.#sendToPeer(() => peer.peerStoppedReading());
    }
  }
}
