import { SliceDecoder } from "@icerpc-ts/core/codec";
import { concatBytes } from "@icerpc-ts/primitives";
import type { YamuxStream } from "@icerpc-ts/yamux";

import {
  type ControlMessage,
  decodeControlMessageBody,
  isControlMessageType,
  maxControlBodySize,
} from "./control-message.js";
import { adapterProtocolError } from "./protocol-error.js";
import { isRemoteReset } from "./yamux-error-mapping.js";

const noBytes = new Uint8Array(0);

/**
 * Reads the peer's control messages from its control stream, one at a time. A message may arrive in pieces and a
 * piece may hold several messages; the type and the body size are checked as soon as they arrive, so the bytes kept
 * waiting for the rest of a message never exceed one header and a {@link maxControlBodySize}-byte body.
 */
export class ControlReceiver {
  readonly #stream: YamuxStream;
  /** Received bytes not decoded yet. */
  #pending: Uint8Array = noBytes;

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
      const message = this.#decode();
      if (message !== undefined) {
        return message;
      }
      let bytes: Uint8Array | null;
      try {
        bytes = await this.#stream.read(signal);
      } catch (error) {
        throw isRemoteReset(error) ? adapterProtocolError("the peer reset its control stream.", error) : error;
      }
      if (bytes === null) {
        throw adapterProtocolError("the peer ended its control stream, which must stay open until the connection closes.");
      }
      this.#pending = this.#pending.length === 0 ? bytes : concatBytes([this.#pending, bytes]);
    }
  }

  /** The next complete message received, or undefined until more bytes arrive. */
  #decode(): ControlMessage | undefined {
    const pending = this.#pending;
    if (pending.length === 0) {
      return undefined;
    }
    const type = pending[0]!;
    if (!isControlMessageType(type)) {
      throw adapterProtocolError(`received a control message of unknown type ${type}.`);
    }
    const sizeWidth = pending.length < 2 ? 1 : 1 << (pending[1]! & 0x03);
    if (pending.length < 1 + sizeWidth) {
      return undefined;
    }
    const bodySize = new SliceDecoder(pending.subarray(1, 1 + sizeWidth)).decodeVarUInt62AsBigInt();
    if (bodySize > BigInt(maxControlBodySize)) {
      throw adapterProtocolError(
        `received a control message with a ${bodySize}-byte body; bodies are at most ${maxControlBodySize} bytes.`,
      );
    }
    const bodyEnd = 1 + sizeWidth + Number(bodySize);
    if (pending.length < bodyEnd) {
      return undefined;
    }
    this.#pending = bodyEnd === pending.length ? noBytes : pending.subarray(bodyEnd);
    return decodeControlMessageBody(type, pending.subarray(1 + sizeWidth, bodyEnd));
  }
}
