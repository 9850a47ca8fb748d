import type { ByteChannel, ByteChannelReceiver } from "@icerpc-ts/primitives";

import { EarlyEvents } from "../common/early-events.js";
import { messagesOf } from "../common/message-size.js";
import { abnormalCloseError, CloseCode, textMessageError } from "../common/protocol-errors.js";

/**
 * How often a writer blocked on `bufferedAmount` looks again, in milliseconds: browsers fire no event when it goes
 * down.
 */
const drainPollInterval = 4;

/**
 * A Slic byte channel over an open browser WebSocket. `WebSocket.send` never blocks and buffers without limit, so
 * `write` asks the session to wait while `bufferedAmount` is above `maxBufferedAmount`: what a browser buffers is
 * bounded by that plus one write. Browsers cannot pause a WebSocket's input: `pause` and `resume` do nothing.
 */
export class BrowserWebSocketChannel implements ByteChannel {
  readonly #socket: WebSocket;
  readonly #maxBufferedAmount: number;
  readonly #events = new EarlyEvents();
  #done = false;

  /** `peer` names the other end in errors (its URL). The channel listens to the socket at once. */
  constructor(socket: WebSocket, peer: string, maxBufferedAmount: number) {
    this.#socket = socket;
    this.#maxBufferedAmount = maxBufferedAmount;
    socket.binaryType = "arraybuffer";
    socket.onmessage = (event: MessageEvent<unknown>) => {
      if (this.#done) {
        return;
      }
      if (event.data instanceof ArrayBuffer) {
        const bytes = new Uint8Array(event.data);
        this.#events.deliver((receiver) => receiver.data(bytes));
      } else {
        this.#done = true;
        socket.close(CloseCode.unsupportedData);
        const error = textMessageError(peer);
        this.#events.deliver((receiver) => receiver.error(error));
      }
    };
    // The close event that follows an error carries all a browser tells (code 1006).
    socket.onclose = (event: CloseEvent) => {
      if (this.#done) {
        return;
      }
      this.#done = true;
      const { code, reason } = event;
      this.#events.deliver((receiver) =>
        code === CloseCode.normal ? receiver.end() : receiver.error(abnormalCloseError(peer, code, reason)),
      );
    };
  }

  start(receiver: ByteChannelReceiver): void {
    this.#events.start(receiver);
  }

  write(chunks: readonly Uint8Array[]): Promise<void> | void {
    if (this.#done || this.#socket.readyState !== WebSocket.OPEN) {
      return;
    }
    for (const message of messagesOf(chunks)) {
      this.#socket.send(message);
    }
    if (this.#socket.bufferedAmount > this.#maxBufferedAmount) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (this.#done || this.#socket.bufferedAmount <= this.#maxBufferedAmount) {
            resolve();
          } else {
            setTimeout(check, drainPollInterval);
          }
        };
        setTimeout(check, drainPollInterval);
      });
    }
  }

  end(): void {
    this.#socket.close(CloseCode.normal);
  }

  close(): void {
    this.#done = true;
    this.#socket.close();
  }

  pause(): void {}

  resume(): void {}
}
