import { Server as HttpsServer } from "node:https";

import type { MultiplexedConnectionOptions, TransportAddress } from "@icerpc-ts/core/transport";
import {
  type ByteChannelListener,
  type ByteChannelNetwork,
  type ByteChannelSource,
  checkConnectionOptions,
} from "@icerpc-ts/core/transport-helpers";
import { listenBacklogOf } from "@icerpc-ts/tcp-network";

import { checkMaxMessageSize } from "../common/message-size.js";
import { checkWebSocketAddress, type WebSocketTransportName, webSocketUrl } from "../common/websocket-address.js";
import { NodeWebSocketClientSource } from "./node-websocket-client-source.js";
import { WebSocketChannelListener } from "./websocket-channel-listener.js";
import type { WebSocketTransportOptions } from "./websocket-transport-options.js";

/** WebSockets in Node (the `ws` package) as byte channels: clients, and listeners on an HTTP or HTTPS server. */
export class NodeWebSocketNetwork implements ByteChannelNetwork {
  readonly #name: WebSocketTransportName;
  readonly #options: WebSocketTransportOptions;
  readonly #maxMessageSize: number;
  readonly #backlog: number;

  /** Throws `RangeError` for an invalid option. */
  constructor(name: WebSocketTransportName, options: WebSocketTransportOptions) {
    this.#name = name;
    this.#options = options;
    this.#maxMessageSize = checkMaxMessageSize(options.maxMessageSize);
    this.#backlog = listenBacklogOf(options);
    if (name === "ws" && (options.clientTls !== undefined || options.serverTls !== undefined)) {
      throw new RangeError("TLS options need a secure (wss) transport: give secure: true.");
    }
    if (options.httpServer !== undefined && options.httpServer instanceof HttpsServer !== (name === "wss")) {
      throw new RangeError(`A ${name} transport needs an ${name === "wss" ? "HTTPS" : "HTTP"} server as httpServer.`);
    }
  }

  connect(address: TransportAddress, _options: MultiplexedConnectionOptions): ByteChannelSource {
    const path = checkWebSocketAddress(address, this.#name, 1);
    return new NodeWebSocketClientSource({
      url: webSocketUrl(address, this.#name, path),
      tls: this.#options.clientTls,
      maxMessageSize: this.#maxMessageSize,
    });
  }

  listen(address: TransportAddress, options: MultiplexedConnectionOptions): Promise<ByteChannelListener> {
    const path = checkWebSocketAddress(address, this.#name, 0);
    const { httpServer, serverTls } = this.#options;
    if (this.#name === "wss" && httpServer === undefined && serverTls === undefined) {
      throw new TypeError("A wss listener needs a certificate: give the transport serverTls (or an HTTPS httpServer).");
    }
    return WebSocketChannelListener.listen({
      address,
      path,
      httpServer,
      tls: serverTls,
      handshakeTimeout: checkConnectionOptions(options).handshakeTimeout,
      maxMessageSize: this.#maxMessageSize,
      backlog: this.#backlog,
      label: `${this.#name} listener`,
    });
  }
}
