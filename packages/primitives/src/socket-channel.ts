import type { ByteChannel, ByteChannelReceiver } from "./byte-channel.js";

/**
 * What {@link SocketChannel} uses of a Node `net.Socket` or `tls.TLSSocket`, described here rather than imported so
 * that the package stays free of Node modules.
 */
export interface NodeSocket {
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
  on(event: "data", listener: (bytes: Uint8Array) => void): unknown;
  on(event: "end" | "drain" | "close", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  off(event: "drain" | "close", listener: () => void): unknown;
  write(bytes: Uint8Array): boolean;
  cork(): void;
  uncork(): void;
  end(): unknown;
  destroy(): unknown;
  pause(): unknown;
  resume(): unknown;
}

/**
 * A byte channel over a connected Node TCP or TLS socket. The chunks of one write leave together (the socket is
 * corked around them, so Node writes them with one writev); a write returns a promise while the socket's buffer is
 * over its high-water mark, settled by 'drain' (or the socket's close).
 */
export class SocketChannel implements ByteChannel {
  readonly #socket: NodeSocket;
  readonly #describeError: (error: Error) => unknown;

  /** `describeError` turns a socket error into what the session reports (by default, the error itself). */
  constructor(socket: NodeSocket, describeError: (error: Error) => unknown = (error) => error) {
    this.#socket = socket;
    this.#describeError = describeError;
  }

  start(receiver: ByteChannelReceiver): void {
    const socket = this.#socket;
    socket.on("data", (bytes) => receiver.data(bytes));
    socket.on("end", () => receiver.end());
    socket.on("error", (error) => receiver.error(this.#describeError(error)));
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
