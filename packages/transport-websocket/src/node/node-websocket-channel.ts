import type { ByteChannel, ByteChannelReceiver } from "@icerpc-ts/primitives";
import { socketException } from "@icerpc-ts/tcp-network";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import type { RawData, WebSocket } from "ws";

import { EarlyEvents } from "../common/early-events.js";
import { messagesOf } from "../common/message-size.js";
import { abnormalCloseError, CloseCode, textMessageError } from "../common/protocol-errors.js";

/** How many sent bytes may wait for the socket before `write` asks the session to wait. */
const highWaterMark = 1_048_576;

/**
 * A Slic byte channel over an open `ws` WebSocket: the bytes written go out as binary messages, the bytes of the
 * binary messages received come in, in order; message boundaries mean nothing. A WebSocket has no half-close: `end`
 * is the closing handshake (code 1000), which the peer sees as the end of the stream.
 */
export class NodeWebSocketChannel implements ByteChannel {
  readonly #socket: WebSocket;
  readonly #peer: string;
  readonly #events = new EarlyEvents();
  #unsentBytes = 0;
  #drained: (() => void) | undefined;
  #done = false;

  /**
   * `peer` names the other end in errors, e.g. "127.0.0.1:4062". The channel listens to the socket at once: what
   * arrives before `start` (a client's first bytes, before the server accepted the connection) is kept for it.
   */
  constructor(socket: WebSocket, peer: string) {
    this.#socket = socket;
    this.#peer = peer;
    socket.pause();
    socket.on("message", (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        this.#fail(textMessageError(peer), CloseCode.unsupportedData);
      } else if (!this.#done) {
        const bytes = bytesOf(data);
        this.#events.deliver((receiver) => receiver.data(bytes));
      }
    });
    socket.on("error", (error: Error & { code?: string }) => this.#fail(this.#exception(error)));
    socket.on("close", (code: number, reason: Buffer) => {
      if (this.#done) {
        return;
      }
      this.#done = true;
      this.#release();
      const text = reason.toString();
      this.#events.deliver((receiver) =>
        code === CloseCode.normal ? receiver.end() : receiver.error(abnormalCloseError(peer, code, text)),
      );
    });
  }

  start(receiver: ByteChannelReceiver): void {
    this.#events.start(receiver);
    this.#socket.resume();
  }

  write(chunks: readonly Uint8Array[]): Promise<void> | void {
    if (this.#done || this.#socket.readyState !== this.#socket.OPEN) {
      return;
    }
    for (const message of messagesOf(chunks)) {
      this.#unsentBytes += message.length;
      this.#socket.send(message, { binary: true }, () => {
        this.#unsentBytes -= message.length;
        if (this.#unsentBytes <= highWaterMark) {
          this.#release();
        }
      });
    }
    if (this.#unsentBytes > highWaterMark) {
      return new Promise((resolve) => {
        this.#drained = resolve;
      });
    }
  }

  end(): void {
    this.#socket.close(CloseCode.normal);
  }

  close(): void {
    this.#done = true;
    this.#release();
    this.#socket.terminate();
  }

  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  #release(): void {
    const drained = this.#drained;
    this.#drained = undefined;
    drained?.();
  }

  #fail(error: IceRpcException, closeCode?: number): void {
    if (this.#done) {
      return;
    }
    this.#done = true;
    this.#release();
    if (closeCode === undefined) {
      this.#socket.terminate();
    } else {
      this.#socket.close(closeCode);
    }
    this.#events.deliver((receiver) => receiver.error(error));
  }

  #exception(error: Error & { code?: string }): IceRpcException {
    if (error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") {
      return new IceRpcException(
        IceRpcError.IceRpcError,
        `The WebSocket connection with ${this.#peer} received a message larger than this side's maxMessageSize ` +
          "(ws: 'Max payload size exceeded'); the connection is closed (1009). Peers send messages of at most 65536 bytes.",
        { cause: error },
      );
    }
    if (error.code?.startsWith("WS_ERR_") === true) {
      return new IceRpcException(
        IceRpcError.IceRpcError,
        `The WebSocket connection with ${this.#peer} received an invalid frame: ${error.message} (${error.code}).`,
        { cause: error },
      );
    }
    return socketException(error, `The WebSocket connection with ${this.#peer} failed`);
  }
}

/** The bytes of a binary message as a Uint8Array (ws gives a Buffer by default, or fragments). */
function bytesOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) {
    return new Uint8Array(Buffer.concat(data));
  }
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
