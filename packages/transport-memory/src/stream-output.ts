import { CreditStreamOutput } from "@icerpc-ts/core/transport-helpers";

import type { SendToPeer } from "./send-to-peer.js";
import type { MemoryStreamInput } from "./stream-input.js";

/**
 * The sending half of one stream direction: chunks of at most the peer's remaining credit go to the peer's input as
 * messages. Credit starts at the window size, is spent by sending and comes back as the peer's reader reads.
 */
export class MemoryStreamOutput extends CreditStreamOutput {
  readonly #sendToPeer: SendToPeer;
  #peer!: MemoryStreamInput;

  constructor(sendToPeer: SendToPeer, windowSize: number, onDone: () => void) {
    super(windowSize, onDone);
    this.#sendToPeer = sendToPeer;
  }

  /** Links this output to the input that receives its bytes, on the other connection end. */
  connectTo(peer: MemoryStreamInput): void {
    this.#peer = peer;
  }

  protected override sendChunk(chunk: Uint8Array | undefined, end: boolean): void {
    const peer = this.#peer;
    this.#sendToPeer(() => peer.receive(chunk, end));
  }

  protected override sendAbort(): void {
    const peer = this.#peer;
    this.#sendToPeer(() => peer.receiveReset());
  }
}
