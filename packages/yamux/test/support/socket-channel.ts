// A ByteChannel over a node:net socket, for tests (the tcp-yamux transport has its own adapter).
import type { Socket } from "node:net";

import type { ByteChannel, ByteChannelReceiver } from "../../src/index.js";

export class SocketChannel implements ByteChannel {
  readonly socket: Socket;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
  }

  start(receiver: ByteChannelReceiver): void {
    this.socket.on("data", (bytes: Buffer) => receiver.data(bytes));
    this.socket.on("end", () => receiver.end());
    this.socket.on("error", (error) => receiver.error(error));
  }

  write(chunks: readonly Uint8Array[]): Promise<void> | void {
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded) {
      return;
    }
    if (chunks.length > 1) {
      socket.cork();
    }
    let ok = true;
    for (const chunk of chunks) {
      ok = socket.write(chunk);
    }
    if (chunks.length > 1) {
      socket.uncork();
    }
    if (!ok) {
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
  }

  end(): void {
    this.socket.end();
  }

  close(): void {
    this.socket.destroy();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }
}
