import type { YamuxStream } from "@icerpc-ts/yamux";

import type { ControlMessage } from "./control-message.js";
import { ControlMessageReader } from "./control-message-reader.js";
import { adapterProtocolError } from "./protocol-error.js";
import { isRemoteReset } from "./yamux-error-mapping.js";

/** Reads the peer's control messages from its control stream, one at a time. */
export class ControlReceiver {
  readonly #stream: YamuxStream;
  readonly #reader = new ControlMessageReader();

  constructor(stream: YamuxStream) {
    this.#stream = stream;
  }

  /**
   * Resolves with the peer's next control message. Rejects with the adapter's protocol error for a malformed message
   * or a control stream the peer ended or reset (it must stay open as long as the connection), with the session's
   * error once it ended, and with `signal.reason` if `signal` aborts (no bytes are lost).
   */
  async next(signal?: AbortSignal): Promise<ControlMessage> {
    for (;;) {
      const message = this.#reader.next();
      if (message !== undefined) {
        return message;
      }
      let bytes: Uint8Array | null;
      try {
        bytes = await this.#stream.read(signal);
      } catch (error) {
        if (isRemoteReset(error)) {
          throw adapterProtocolError("the peer reset its control stream.", error);
        }
        throw error;
      }
      if (bytes === null) {
        throw adapterProtocolError("the peer ended its control stream, which must stay open until the connection closes.");
      }
      this.#reader.push(bytes);
    }
  }
}
