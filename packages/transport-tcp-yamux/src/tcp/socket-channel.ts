import type { Socket } from "node:net";

import type { ByteChannel, ByteChannelReceiver } from "@icerpc-ts/yamux";

import { socketException } from "./socket-errors.js";

/**
 * A yamux byte channel over a connected TCP or TLS socket. The chunks of one write leave together (the socket is
 * corked around them, so Node writes them with one writev); a write returns a promise while the socket's buffer is
 * over its high-water mark, settled by 'drain' (or the socket's close).
 */
export class SocketChannel implements ByteChannel {
  readonly #socket: Socket;
  /** Names the peer in errors, e.g. "127.0.0.1:4062". */
  readonly #peer: string;

  constructor(socket: Socket, peer: string) {
    this.#socket = socket;
    this.#peer = peer;
  }

  start(receiver: ByteChannelReceiver): void {
    const socket = this.#socket;
    socket.on("data", (bytes: Uint8Array) => receiver.data(bytes));
    socket.on("end", () => receiver.end());
    socket.on("error", (error) => receiver.error(socketException(error, `The connection with ${this.#peer} failed`)));
    socket.resume();
  }

  write(chunks: readonly Uint8Array[]): Promise<void> | void {
    const socket = this.#socket;
    if (socket.destroyed || socket.writableEnded) {
      return;
    }
    let flowing = true;
    if (chunks.length === 1) {
      flowing = socket.write(chunks[0]!);
    } else {
      socket.cork();
      for (const chunk of chunks) {
        flowing = socket.write(chunk);
      }
      socket.uncork();
    }
    if (flowing) {
      return;
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        socket.off("drain", done);
        socket.off("close", done);
        resolve();
      };
      socket.on("drain", done);
      socket.on("close", done);
    });
  }

  end(): void {
    this.#socket.end();
  }

  close(): void {
    this.#socket.destroy();
  }

  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }
}
