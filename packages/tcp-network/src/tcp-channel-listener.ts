import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";

import type { TlsOptions } from "node:tls";

import type { TransportAddress } from "@icerpc-ts/core/transport";
import { type AcceptedChannel, type ByteChannelListener, ListenerAccepts } from "@icerpc-ts/core/transport-helpers";
import { Fifo } from "@icerpc-ts/primitives";

import { AcceptedSocketSource } from "./accepted-socket-source.js";
import { listenServer } from "./listen-server.js";

/** What a listener is made of. */
export interface TcpChannelListenerConfig {
  readonly address: TransportAddress;
  /** With these, the listener accepts TLS connections only. */
  readonly tls: TlsOptions | undefined;
  /** How long a TLS handshake may take, in milliseconds: the connections' handshake timeout. */
  readonly handshakeTimeout: number;
  readonly backlog: number;
  /** Names the listener in errors, e.g. "tcp listener". */
  readonly label: string;
}

function ignore(): void {}

/**
 * Accepts the TCP (or TLS) connections made to one address. Node accepts sockets as they come (with TLS, once their
 * handshake succeeded: Node's TLS server verifies client certificates and bounds the handshake by the connections'
 * handshake timeout); they wait in a queue of at most `backlog` sockets until `accept` takes them.
 */
export class TcpChannelListener implements ByteChannelListener {
  readonly address: TransportAddress;
  readonly #server: Server;
  readonly #config: TcpChannelListenerConfig;
  readonly #queue = new Fifo<Socket>();
  readonly #accepts: ListenerAccepts<AcceptedChannel>;

  /** Starts listening; rejects with `IceRpcException(AddressInUse)` when the address is taken. */
  static async listen(config: TcpChannelListenerConfig): Promise<TcpChannelListener> {
    const { host, port } = config.address;
    // The multiplexer ends each direction itself: a socket must not end its side when the peer ends theirs.
    const server =
      config.tls === undefined
        ? createNetServer({ allowHalfOpen: true })
        : createTlsServer({ ...config.tls, allowHalfOpen: true, handshakeTimeout: config.handshakeTimeout });
    await listenServer(server, host, port, config.backlog);
    return new TcpChannelListener(server, config);
  }

  private constructor(server: Server, config: TcpChannelListenerConfig) {
    this.#server = server;
    this.#config = config;
    this.#accepts = new ListenerAccepts<AcceptedChannel>(config.label, () => this.#takeReady());
    const { address } = config;
    this.address = { ...address, port: (server.address() as AddressInfo).port };
    server.on(config.tls === undefined ? "connection" : "secureConnection", (socket: Socket) => this.#enqueue(socket));
    // Accept failures (such as running out of file descriptors) are transient: the server keeps listening.
    server.on("error", ignore);
  }

  accept(signal?: AbortSignal): Promise<AcceptedChannel> {
    return this.#accepts.accept(signal);
  }

  dispose(): Promise<void> {
    if (this.#accepts.dispose()) {
      this.#server.close();
      for (const socket of this.#queue.drain()) {
        socket.destroy();
      }
    }
    return Promise.resolve();
  }

  #enqueue(socket: Socket): void {
    // Errors of a waiting socket show when its connection reads it; without a listener, they would crash the process.
    socket.on("error", ignore);
    socket.setNoDelay(true);
    if (this.#accepts.isDisposed) {
      socket.destroy();
      return;
    }
    if (this.#accepts.isWaiting) {
      this.#accepts.deliver(this.#accepted(socket));
    } else if (this.#queue.length < this.#config.backlog) {
      this.#queue.push(socket);
    } else {
      socket.destroy(); // the application does not keep up: refuse rather than queue without bound
    }
  }

  /** The oldest waiting socket that is still open. */
  #takeReady(): AcceptedChannel | undefined {
    for (let socket = this.#queue.shift(); socket !== undefined; socket = this.#queue.shift()) {
      if (!socket.destroyed) {
        return this.#accepted(socket);
      }
    }
    return undefined;
  }

  #accepted(socket: Socket): AcceptedChannel {
    return {
      source: new AcceptedSocketSource(socket),
      remoteNetworkAddress: { host: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 },
    };
  }
}
