// A TCP relay between a client and a server, which a test can freeze (a dead network or a peer that stopped
// answering) or reset (the peer's host sends RST).
import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";

/** What a proxy needs of an address; the address it reports keeps the target's other fields (transport, params). */
export interface HostAndPort {
  readonly host: string;
  readonly port: number;
}

export class TcpProxy<Address extends HostAndPort = HostAndPort> {
  readonly address: Address;
  readonly #server: Server;
  readonly #pairs: [client: Socket, upstream: Socket][] = [];
  #bytesToServer = 0;
  #bytesToClient = 0;

  /** Relays the connections made to the returned proxy's address to `target`. */
  static async start<Address extends HostAndPort>(target: Address): Promise<TcpProxy<Address>> {
    const server = createServer({ allowHalfOpen: true });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return new TcpProxy(server, target);
  }

  private constructor(server: Server, target: Address) {
    this.#server = server;
    this.address = { ...target, host: "127.0.0.1", port: (server.address() as AddressInfo).port };
    server.on("connection", (client: Socket) => {
      const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true });
      for (const socket of [client, upstream]) {
        socket.on("error", () => {});
      }
      client.on("data", (chunk: Buffer) => (this.#bytesToServer += chunk.length));
      upstream.on("data", (chunk: Buffer) => (this.#bytesToClient += chunk.length));
      client.pipe(upstream);
      upstream.pipe(client);
      this.#pairs.push([client, upstream]);
    });
  }

  /** The bytes relayed from the clients to the server, as TCP carried them (what a test of compression counts). */
  get bytesToServer(): number {
    return this.#bytesToServer;
  }

  /** The bytes relayed from the server to the clients. */
  get bytesToClient(): number {
    return this.#bytesToClient;
  }

  /** Stops relaying in both directions: each side's bytes are accepted by TCP but never delivered. */
  freeze(): void {
    for (const [client, upstream] of this.#pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Resets the connections with the clients (RST) and drops those with the server. */
  reset(): void {
    for (const [client, upstream] of this.#pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
  }

  dispose(): Promise<void> {
    this.#server.close();
    for (const [client, upstream] of this.#pairs) {
      client.destroy();
      upstream.destroy();
    }
    return Promise.resolve();
  }
}
