import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer, Server as HttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";

import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import type { TransportAddress, TransportConnectionInformation } from "@icerpc-ts/core/transport";
import {
  type AcceptedChannel,
  type ByteChannelListener,
  type EstablishedChannel,
  ListenerAccepts,
} from "@icerpc-ts/core/transport-helpers";
import { Fifo } from "@icerpc-ts/primitives";
import {
  connectionInformationOf,
  describeEndpoint,
  listenServer,
  type TcpServerTlsOptions,
} from "@icerpc-ts/tcp-network";
import { type WebSocket, WebSocketServer } from "ws";

import { subprotocol } from "../common/websocket-address.js";
import { NodeWebSocketChannel } from "./node-websocket-channel.js";

/** What a listener is made of. */
export interface WebSocketListenerConfig {
  readonly address: TransportAddress;
  /** The URL path it accepts WebSockets on. */
  readonly path: string;
  /** An HTTP or HTTPS server of the application to share; without, the listener runs its own on `address`. */
  readonly httpServer: HttpServer | HttpsServer | undefined;
  /** For a server of its own: with these, it is an HTTPS server (wss). */
  readonly tls: TcpServerTlsOptions | undefined;
  /** How long a client may take to complete the TLS and WebSocket opening handshakes, in milliseconds. */
  readonly handshakeTimeout: number;
  readonly maxMessageSize: number;
  readonly backlog: number;
  /** Names the listener in errors, e.g. "ws listener". */
  readonly label: string;
}

interface Accepted {
  readonly webSocket: WebSocket;
  readonly channel: NodeWebSocketChannel;
  readonly information: TransportConnectionInformation;
  readonly peer: string;
}

/**
 * Accepts the WebSockets opened on one path of an HTTP or HTTPS server, with the `icerpc` subprotocol: upgrade
 * requests for another path are left to the application's other handlers (answered 404 on a server of the
 * listener's own), and upgrades without the subprotocol are refused with 400. A server of its own drops a client
 * that does not complete its handshakes within the handshake timeout. Accepted WebSockets wait in a queue of at most
 * `backlog` until `accept` takes them.
 */
export class WebSocketChannelListener implements ByteChannelListener {
  readonly address: TransportAddress;
  readonly #config: WebSocketListenerConfig;
  readonly #server: HttpServer | HttpsServer;
  readonly #ownsServer: boolean;
  readonly #webSockets: WebSocketServer;
  readonly #queue = new Fifo<Accepted>();
  readonly #accepts: ListenerAccepts<AcceptedChannel>;

  /** Starts listening; rejects with `IceRpcException(AddressInUse)` when the address is taken. */
  static async listen(config: WebSocketListenerConfig): Promise<WebSocketChannelListener> {
    if (config.httpServer !== undefined) {
      return new WebSocketChannelListener(config, config.httpServer, false);
    }
    const { host, port } = config.address;
    const timeout = config.handshakeTimeout;
    const httpOptions = { headersTimeout: timeout, requestTimeout: timeout, connectionsCheckingInterval: Math.min(timeout, 1000) };
    const server =
      config.tls === undefined
        ? createHttpServer(httpOptions, notFound)
        : createHttpsServer({ ...config.tls, ...httpOptions, handshakeTimeout: timeout }, notFound);
    // A client that has not completed its upgrade (and TLS handshake) within the handshake timeout is dropped.
    const pending = new WeakMap<Socket, ReturnType<typeof setTimeout>>();
    server.on(config.tls === undefined ? "connection" : "secureConnection", (socket: Socket) => {
      const timer = setTimeout(() => socket.destroy(), timeout);
      pending.set(socket, timer);
      socket.once("close", () => clearTimeout(timer));
    });
    server.on("upgrade", (request: IncomingMessage) => clearTimeout(pending.get(request.socket)));
    await listenServer(server, host, port, config.backlog);
    return new WebSocketChannelListener(config, server, true);
  }

  private constructor(config: WebSocketListenerConfig, server: HttpServer | HttpsServer, ownsServer: boolean) {
    this.#config = config;
    this.#server = server;
    this.#ownsServer = ownsServer;
    this.#accepts = new ListenerAccepts(config.label, () => this.#takeReady());
    const listening = server.address() as AddressInfo | null;
    this.address = { ...config.address, port: listening?.port ?? config.address.port };
    this.#webSockets = new WebSocketServer({
      noServer: true,
      maxPayload: config.maxMessageSize,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (protocols) => (protocols.has(subprotocol) ? subprotocol : false),
    });
    server.on("upgrade", this.#onUpgrade);
  }

  accept(signal?: AbortSignal): Promise<AcceptedChannel> {
    return this.#accepts.accept(signal);
  }

  dispose(): Promise<void> {
    if (this.#accepts.dispose()) {
      this.#server.off("upgrade", this.#onUpgrade);
      if (this.#ownsServer) {
        this.#server.close();
        this.#server.closeAllConnections();
      }
      for (const { webSocket } of this.#queue.drain()) {
        webSocket.terminate();
      }
    }
    return Promise.resolve();
  }

  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? "/", "http://host").pathname;
    if (path !== this.#config.path) {
      if (this.#ownsServer) {
        refuse(socket, "404 Not Found");
      }
      return;
    }
    const offered = (request.headers["sec-websocket-protocol"] ?? "").split(",").map((name) => name.trim());
    if (!offered.includes(subprotocol) || this.#accepts.isDisposed) {
      refuse(socket, "400 Bad Request");
      return;
    }
    this.#webSockets.handleUpgrade(request, socket, head, (webSocket) => {
      const information = connectionInformationOf(socket as Socket);
      const { host, port } = information.remoteNetworkAddress;
      const peer = describeEndpoint(host, port);
      // The channel listens at once, so that what the client sends while it waits in the queue is kept.
      this.#enqueue({ webSocket, channel: new NodeWebSocketChannel(webSocket, peer), information, peer });
    });
  };

  #enqueue(accepted: Accepted): void {
    if (this.#accepts.isDisposed) {
      accepted.webSocket.terminate();
    } else if (this.#accepts.isWaiting) {
      this.#accepts.deliver(this.#accepted(accepted));
    } else if (this.#queue.length < this.#config.backlog) {
      this.#queue.push(accepted);
    } else {
      accepted.webSocket.terminate(); // the application does not keep up: refuse rather than queue without bound
    }
  }

  #takeReady(): AcceptedChannel | undefined {
    for (let accepted = this.#queue.shift(); accepted !== undefined; accepted = this.#queue.shift()) {
      if (accepted.webSocket.readyState === accepted.webSocket.OPEN) {
        return this.#accepted(accepted);
      }
    }
    return undefined;
  }

  #accepted({ webSocket, channel, information, peer }: Accepted): AcceptedChannel {
    const established: EstablishedChannel = { channel, information };
    return {
      source: {
        open: (signal) => {
          signal.throwIfAborted();
          if (webSocket.readyState !== webSocket.OPEN) {
            return Promise.reject(
              new IceRpcException(
                IceRpcError.ConnectionAborted,
                `The WebSocket connection from ${peer} was lost while it waited to be accepted and connected.`,
              ),
            );
          }
          return Promise.resolve(established);
        },
        discard: () => webSocket.terminate(),
      },
      remoteNetworkAddress: information.remoteNetworkAddress,
    };
  }
}

function notFound(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(404).end();
}

/** Answers an upgrade request with an HTTP error and closes its socket. */
function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
