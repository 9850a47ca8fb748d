import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import type { ByteChannelSource, EstablishedChannel } from "@icerpc-ts/core/transport-helpers";
import { connectionInformationOf, socketException, type TcpClientTlsOptions } from "@icerpc-ts/tcp-network";
import WebSocket from "ws";

import { subprotocol } from "../common/websocket-address.js";
import { NodeWebSocketChannel } from "./node-websocket-channel.js";

function ignore(): void {}

/** What a client source needs: where to connect, and how. */
export interface NodeWebSocketClientConfig {
  /** The server's URL, e.g. "ws://127.0.0.1:4062/icerpc"; it names the server in errors too. */
  readonly url: string;
  readonly tls: TcpClientTlsOptions | undefined;
  readonly maxMessageSize: number;
}

/** The byte channel of a client connection: a WebSocket opened with the `icerpc` subprotocol. */
export class NodeWebSocketClientSource implements ByteChannelSource {
  readonly #config: NodeWebSocketClientConfig;
  #socket: WebSocket | undefined;

  constructor(config: NodeWebSocketClientConfig) {
    this.#config = config;
  }

  async open(signal: AbortSignal): Promise<EstablishedChannel> {
    signal.throwIfAborted();
    const { url, tls, maxMessageSize } = this.#config;
    // Slic's own handshake deadline (the signal) bounds the opening handshake too.
    const socket = new WebSocket(url, subprotocol, {
      ...tls,
      maxPayload: maxMessageSize,
      perMessageDeflate: false,
    });
    this.#socket = socket;
    const context = `Cannot connect to ${url}`;
    const rawSocket = await new Promise<Socket>((resolve, reject) => {
      let upgraded: Socket | undefined;
      const settle = (error?: unknown): void => {
        socket.off("upgrade", onUpgrade);
        socket.off("open", onOpen);
        socket.off("error", onError);
        socket.off("unexpected-response", onUnexpectedResponse);
        signal.removeEventListener("abort", onAbort);
        if (error === undefined && upgraded !== undefined) {
          resolve(upgraded);
        } else {
          socket.on("error", ignore); // the socket is dropped: nothing it reports matters any more
          socket.terminate();
          reject(error);
        }
      };
      const onUpgrade = (response: IncomingMessage): void => {
        upgraded = response.socket as Socket;
      };
      const onOpen = (): void => settle();
      const onError = (error: Error): void => settle(socketException(error, context));
      const onUnexpectedResponse = (_request: unknown, response: IncomingMessage): void => {
        response.resume();
        settle(
          new IceRpcException(
            IceRpcError.ConnectionRefused,
            `${context}: the server answered HTTP ${response.statusCode ?? "?"} instead of accepting the WebSocket: ` +
              "check the address's path parameter (it must be the path the server listens on) and that it is an icerpc server.",
          ),
        );
      };
      const onAbort = (): void => settle(signal.reason);
      socket.once("upgrade", onUpgrade);
      socket.once("open", onOpen);
      socket.once("error", onError);
      socket.once("unexpected-response", onUnexpectedResponse);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    return { channel: new NodeWebSocketChannel(socket, url), information: connectionInformationOf(rawSocket) };
  }

  discard(): void {
    this.#socket?.terminate();
  }
}
