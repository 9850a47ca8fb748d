// A peer that speaks yamux but not the adapter protocol on its own: tests script its control stream and data streams
// byte by byte, to pin the wire format and to send what a compliant peer never would.
import { once } from "node:events";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";

import type { TransportAddress } from "@icerpc-ts/core/transport";
import { YamuxSession, type YamuxStream } from "@icerpc-ts/yamux";

import { socketChannel } from "@icerpc-ts/tcp-network";

/** A loopback TCP server whose connections become {@link RawYamuxPeer}s (yamux servers). */
export class RawYamuxListener {
  readonly address: TransportAddress;
  readonly #server: Server;
  readonly #peers: RawYamuxPeer[] = [];
  readonly #waiting: ((peer: RawYamuxPeer) => void)[] = [];
  readonly #accepted: RawYamuxPeer[] = [];

  static async start(): Promise<RawYamuxListener> {
    const server = createServer({ allowHalfOpen: true });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return new RawYamuxListener(server);
  }

  private constructor(server: Server) {
    this.#server = server;
    this.address = {
      host: "127.0.0.1",
      port: (server.address() as AddressInfo).port,
      transport: "tcp-yamux",
      params: {},
    };
    server.on("connection", (socket: Socket) => {
      const peer = new RawYamuxPeer(socket);
      this.#peers.push(peer);
      const waiting = this.#waiting.shift();
      if (waiting === undefined) {
        this.#accepted.push(peer);
      } else {
        waiting(peer);
      }
    });
  }

  /** The next connection. */
  accept(): Promise<RawYamuxPeer> {
    const peer = this.#accepted.shift();
    return peer === undefined ? new Promise((resolve) => this.#waiting.push(resolve)) : Promise.resolve(peer);
  }

  dispose(): Promise<void> {
    this.#server.close();
    for (const peer of this.#peers) {
      peer.dispose();
    }
    return Promise.resolve();
  }
}

/** The server end of a connection with a tcp-yamux client, at the yamux level. */
export class RawYamuxPeer {
  readonly session: YamuxSession;
  readonly #reader = new Map<YamuxStream, Uint8Array>();

  constructor(socket: Socket) {
    socket.on("error", () => {}); // failures show in the session
    this.session = new YamuxSession(socketChannel(socket, "the client"), "server", { keepAliveInterval: 0 });
  }

  /** Accepts the next stream the client opened (the first one is its control stream). */
  acceptStream(): Promise<YamuxStream> {
    return this.session.acceptStream();
  }

  /** Opens a stream and writes `bytes` on it (the SYN carries them). */
  async open(bytes: Uint8Array): Promise<YamuxStream> {
    const stream = await this.session.openStream();
    void stream.write(bytes);
    return stream;
  }

  /** Reads exactly `count` bytes from `stream` (keeping what comes after for the next call). */
  async readExactly(stream: YamuxStream, count: number): Promise<Uint8Array> {
    let buffered = this.#reader.get(stream) ?? new Uint8Array(0);
    while (buffered.length < count) {
      const chunk = await stream.read();
      if (chunk === null) {
        throw new Error(`Yamux stream ${stream.id} ended after ${buffered.length} of the ${count} bytes expected.`);
      }
      const joined = new Uint8Array(buffered.length + chunk.length);
      joined.set(buffered);
      joined.set(chunk, buffered.length);
      buffered = joined;
    }
    this.#reader.set(stream, buffered.subarray(count));
    return buffered.subarray(0, count);
  }

  dispose(): void {
    this.session.dispose();
  }
}

/** `bytes` as an array of numbers, for readable assertions. */
export function bytesOf(bytes: Uint8Array): number[] {
  return Array.from(bytes);
}
