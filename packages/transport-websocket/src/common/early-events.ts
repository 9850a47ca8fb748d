import type { ByteChannelReceiver } from "@icerpc-ts/primitives";

/** Something a channel delivers to its receiver: received bytes, the end, or a failure. */
export type ChannelEvent = (receiver: ByteChannelReceiver) => void;

/**
 * The receiver of a WebSocket channel that listens to its socket from the start: what arrives before the session
 * calls `start` (a client's first bytes, while the server's accept has not taken the connection yet) is kept, then
 * delivered in order.
 */
export class EarlyEvents {
  #receiver: ByteChannelReceiver | undefined;
  readonly #early: ChannelEvent[] = [];

  start(receiver: ByteChannelReceiver): void {
    this.#receiver = receiver;
    for (const event of this.#early.splice(0)) {
      event(receiver);
    }
  }

  deliver(event: ChannelEvent): void {
    if (this.#receiver === undefined) {
      this.#early.push(event);
    } else {
      event(this.#receiver);
    }
  }
}
