import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";

import type {
  AcceptedConnection,
  Listener,
  MultiplexedConnectionOptions,
  TransportAddress,
} from "@icerpc-ts/core/transport";
import { ListenerAccepts } from "@icerpc-ts/core/transport-helpers";
import { Fifo } from "@icerpc-ts/primitives";

import { type YamuxAdapterOptions, YamuxMultiplexedConnection } from "../yamux-adapter/index.js";
import { AcceptedSocketSource } from "./accepted-socket-source.js";
import { socketException } from "./socket-errors.js";
import { describeEndpoint } from "./socket-information.js";
import type { TcpYamuxServerTlsOptions } from "./tcp-yamux-transport-options.js";

/** What a listener is made of. */
export interface TcpListenerConfig {
  readonly address: TransportAddress;
  /** The options of the connections it accepts. */
  readonly options: MultiplexedConnectionOptions;
  readonly adapterOptions: YamuxAdapterOptions;
  /** With these, the listener accepts TLS connections only. */
  readonly tls: TcpYamuxServerTlsOptions | undefined;
  readonly backlog: number;
  readonly label: string;
}

function ignore(): void {}

/**
 * Accepts the TCP (or TLS) connections made to one address. Node accepts sockets as they come (with TLS, once their
 * handshake succeeded: Node's TLS server verifies client certificates and bounds the handshake by the connections'
 * handshake timeout); they wait in a queue of at most `backlog` sockets until `accept` takes them.
 */
export class TcpListener implements Listener {
  readonly address: TransportAddress;
  readonly #server: Server;
  readonly #config: TcpListenerConfig;
  readonly #queue = new Fifo<Socket>();
  readonly #accepts: ListenerAccepts;

  /** Starts listening; rejects with `IceRpcException(AddressInUse)` when the address is taken. */
  static async listen(config: TcpListenerConfig): Promise<TcpListener> {
    const { host, port } = config.address;
    // The yamux session ends each direction itself: a socket must not end its side when the peer ends theirs.
    const server =
      config.tls === undefined
        ? createNetServer({ allowHalfOpen: true })
        : createTlsServer({ ...config.tls, allowHalfOpen: true, handshakeTimeout: config.options.handshakeTimeout });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        server.off("listening", onListening);
        reject(socketException(error, `Cannot listen on ${describeEndpoint(host, port)}`));
      };
      const onListening = (): void => {
        server.off("error", onError);
        resolve();
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen({ host, port, backlog: config.backlog });
    });
    return new TcpListener(server, config);
  }

  private constructor(server: Server, config: TcpListenerConfig) {
    this.#server = server;
    this.#config = config;
    this.#accepts = new ListenerAccepts(`${config.label} listener`, () => this.#takeReady());
    const { address } = config;
    this.address = { ...address, port: (server.address() as AddressInfo).port };
    server.on(config.tls === undefined ? "connection" : "secureConnection", (socket: Socket) => this.#enqueue(socket));
    // Accept failures (such as running out of file descriptors) are transient: the server keeps listening.
    server.on("error", ignore);
  }

  accept(signal?: AbortSignal): Promise<AcceptedConnection> {
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

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
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

  /** The connection over the oldest waiting socket that is still open. */
  #takeReady(): AcceptedConnection | undefined {
    for (let socket = this.#queue.shift(); socket !== undefined; socket = this.#queue.shift()) {
      if (!socket.destroyed) {
        return this.#accepted(socket);
      }
    }
    return undefined;
  }

  #accepted(socket: Socket): AcceptedConnection {
    const { options, adapterOptions, label } = this.#config;
    return {
      connection: new YamuxMultiplexedConnection({
        role: "server",
        source: new AcceptedSocketSource(socket),
        options,
        adapterOptions,
        label,
      }),
      remoteNetworkAddress: { host: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 },
    };
  }
}
