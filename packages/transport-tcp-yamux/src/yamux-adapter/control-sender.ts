import { runSoon, type YamuxStream } from "@icerpc-ts/yamux";

import { type ControlMessage, ControlMessageType, encodeControlMessage } from "./control-message.js";

/**
 * Writes this side's control messages on its control stream. Stream releases are counted and sent together, in at
 * most one StreamsReleased message per task.
 */
export class ControlSender {
  readonly #stream: YamuxStream;
  #releasedBidirectional = 0;
  #releasedUnidirectional = 0;
  #releaseScheduled = false;

  constructor(stream: YamuxStream) {
    this.#stream = stream;
  }

  /**
   * Queues `message` and resolves once it was handed to the byte channel; rejects once the session ended (the
   * rejection is never reported as unhandled when the promise is dropped).
   */
  send(message: ControlMessage): Promise<void> {
    return this.#stream.write(encodeControlMessage(message));
  }

  /** Counts `count` released streams of the peer, for the next StreamsReleased message. */
  release(bidirectional: boolean, count: number): void {
    if (bidirectional) {
      this.#releasedBidirectional += count;
    } else {
      this.#releasedUnidirectional += count;
    }
    if (!this.#releaseScheduled) {
      this.#releaseScheduled = true;
      runSoon(this.#sendReleases);
    }
  }

  readonly #sendReleases = (): void => {
    this.#releaseScheduled = false;
    void this.send({
      type: ControlMessageType.StreamsReleased,
      bidirectional: this.#releasedBidirectional,
      unidirectional: this.#releasedUnidirectional,
    });
    this.#releasedBidirectional = 0;
    this.#releasedUnidirectional = 0;
  };
}
