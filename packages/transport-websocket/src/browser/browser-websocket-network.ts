import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import type { MultiplexedConnectionOptions, TransportAddress } from "@icerpc-ts/core/transport";
import type {
  ByteChannelListener,
  ByteChannelNetwork,
  ByteChannelSource,
  EstablishedChannel,
} from "@icerpc-ts/core/transport-helpers";

import { checkWebSocketAddress, subprotocol, type WebSocketTransportName, webSocketUrl } from "../common/websocket-address.js";
import { BrowserWebSocketChannel } from "./browser-websocket-channel.js";

/** What a browser network is configured with. */
export interface BrowserWebSocketNetworkConfig {
  readonly maxBufferedAmount: number;
}

/** The browser's native WebSocket as byte channels: clients only. */
export class BrowserWebSocketNetwork implements ByteChannelNetwork {
  readonly #name: WebSocketTransportName;
  readonly #maxBufferedAmount: number;

  constructor(name: WebSocketTransportName, config: BrowserWebSocketNetworkConfig) {
    this.#name = name;
    this.#maxBufferedAmount = config.maxBufferedAmount;
  }

  connect(address: TransportAddress, _options: MultiplexedConnectionOptions): ByteChannelSource {
    const path = checkWebSocketAddress(address, this.#name, 1);
    const url = webSocketUrl(address, this.#name, path);
    let socket: WebSocket | undefined;
    return {
      open: (signal) => {
        signal.throwIfAborted();
        const opening = new WebSocket(url, subprotocol);
        socket = opening;
        return openWebSocket(opening, url, signal, address, this.#maxBufferedAmount);
      },
      discard: () => socket?.close(),
    };
  }

  listen(_address: TransportAddress, _options: MultiplexedConnectionOptions): Promise<ByteChannelListener> {
    return Promise.reject(
      new IceRpcException(
        IceRpcError.IceRpcError,
        `A browser cannot listen for ${this.#name} connections: browsers open WebSockets, they do not accept them.`,
      ),
    );
  }
}

function openWebSocket(
  socket: WebSocket,
  url: string,
  signal: AbortSignal,
  address: TransportAddress,
  maxBufferedAmount: number,
): Promise<EstablishedChannel> {
  return new Promise((resolve, reject) => {
    const settle = (error?: unknown): void => {
      socket.removeEventListener("open", onOpen);
      socket.removeEventListener("close", onClose);
      signal.removeEventListener("abort", onAbort);
      if (error === undefined) {
        resolve({
          channel: new BrowserWebSocketChannel(socket, url, maxBufferedAmount),
          // Browsers do not tell a WebSocket's local address, nor its TLS details.
          information: {
            localNetworkAddress: { host: "", port: 0 },
            remoteNetworkAddress: { host: address.host, port: address.port },
          },
        });
      } else {
        socket.close();
        reject(error);
      }
    };
    const onOpen = (): void =>
      settle(
        socket.protocol === subprotocol
          ? undefined
          : new IceRpcException(
              IceRpcError.ConnectionRefused,
              `Cannot connect to ${url}: the server did not accept the '${subprotocol}' WebSocket subprotocol.`,
            ),
      );
    const onClose = (event: CloseEvent): void =>
      settle(
        new IceRpcException(
          IceRpcError.ConnectionRefused,
          `Cannot connect to ${url} (WebSocket close code ${event.code}): browsers give no detail; the server may be ` +
            "down, refuse the path (check the address's path parameter), or present a certificate this browser does not trust.",
        ),
      );
    const onAbort = (): void => settle(signal.reason);
    socket.addEventListener("open", onOpen);
    socket.addEventListener("close", onClose);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

