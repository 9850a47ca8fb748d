import { SliceDecoder } from "@icerpc-ts/core/codec";

import {
  type ControlMessage,
  decodeControlMessageBody,
  isControlMessageType,
  maxControlBodySize,
} from "./control-message.js";
import { adapterProtocolError } from "./protocol-error.js";

const noBytes = new Uint8Array(0);

/**
 * Cuts the bytes of a control stream into messages. A message may arrive in pieces and a piece may hold several
 * messages; the type and the body size are checked as soon as they arrive, so the bytes kept waiting for the rest of
 * a message never exceed one header and a {@link maxControlBodySize}-byte body.
 */
export class ControlMessageReader {
  /** Received bytes not decoded yet. */
  #pending: Uint8Array = noBytes;

  /** Adds received bytes; the reader keeps a reference to them until they are decoded. */
  push(bytes: Uint8Array): void {
    if (this.#pending.length === 0) {
      this.#pending = bytes;
    } else {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      this.#pending = joined;
    }
  }

  /**
   * The next complete message, or undefined until more bytes arrive. Throws the adapter's protocol error for an
   * unknown type, a body over the size limit or a body that does not match its type.
   */
  next(): ControlMessage | undefined {
    const pending = this.#pending;
    if (pending.length === 0) {
      return undefined;
    }
    const type = pending[0]!;
    if (!isControlMessageType(type)) {
      throw adapterProtocolError(`received a control message of unknown type ${type}.`);
    }
    if (pending.length < 2) {
      return undefined;
    }
    const sizeWidth = 1 << (pending[1]! & 0x03);
    if (pending.length < 1 + sizeWidth) {
      return undefined;
    }
    const bodySize = new SliceDecoder(pending.subarray(1, 1 + sizeWidth)).decodeVarUInt62AsBigInt();
    if (bodySize > BigInt(maxControlBodySize)) {
      throw adapterProtocolError(
        `received a control message with a ${bodySize}-byte body; bodies are at most ${maxControlBodySize} bytes.`,
      );
    }
    const bodyStart = 1 + sizeWidth;
    const bodyEnd = bodyStart + Number(bodySize);
    if (pending.length < bodyEnd) {
      return undefined;
    }
    this.#pending = bodyEnd === pending.length ? noBytes : pending.subarray(bodyEnd);
    return decodeControlMessageBody(type, pending.subarray(bodyStart, bodyEnd));
  }
}
