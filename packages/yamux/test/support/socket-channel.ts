// A ByteChannel over a node:net socket, for tests (the tcp-yamux transport has its own adapter).
import { once } from "node:events";
import { type AddressInfo, type Server, type Socket, createConnection, createServer } from "node:net";

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

/** A listening TCP server on a loopback ephemeral port and a way to get its next accepted socket. */
export async function listenLoopback(): Promise<{ server: Server; port: number; nextSocket(): Promise<Socket> }> {
  const sockets: Socket[] = [];
  const waiters: ((socket: Socket) => void)[] = [];
  const server = createServer((socket) => {
    const waiter = waiters.shift();
    if (waiter !== undefined) {
      waiter(socket);
    } else {
      sockets.push(socket);
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    nextSocket: () => {
      const socket = sockets.shift();
      return socket !== undefined ? Promise.resolve(socket) : new Promise<Socket>((resolve) => waiters.push(resolve));
    },
  };
}

/** Connects to 127.0.0.1:`port`. */
export async function connectLoopback(port: number): Promise<Socket> {
  const socket = createConnection({ host: "127.0.0.1", port });
  await once(socket, "connect");
  return socket;
}

/** A connected pair of sockets over loopback TCP. */
export async function socketPair(): Promise<[Socket, Socket]> {
  const listener = await listenLoopback();
  const [client, server] = await Promise.all([connectLoopback(listener.port), listener.nextSocket()]);
  listener.server.close();
  return [client, server];
}

/**
 * A connected pair of sockets whose bytes go through a relay that delivers each chunk `latency` milliseconds after it
 * arrived, in order: a long network path, which delivers in pieces as TCP does.
 */
export async function delayedSocketPair(latency: number): Promise<[Socket, Socket]> {
  const [client, relayIn] = await socketPair();
  const [relayOut, server] = await socketPair();
  forwardLater(relayIn, relayOut, latency);
  forwardLater(relayOut, relayIn, latency);
  return [client, server];
}

function forwardLater(from: Socket, to: Socket, latency: number): void {
  from.on("data", (chunk: Buffer) => setTimeout(() => to.write(chunk), latency));
  from.on("end", () => setTimeout(() => to.end(), latency));
  from.on("close", () => setTimeout(() => to.destroy(), latency));
  from.on("error", () => {}); // the close that follows is forwarded
}
