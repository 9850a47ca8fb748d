import { connect as netConnect, type Socket } from "node:net";
import { type ConnectionOptions, connect as tlsConnect } from "node:tls";

import { IceRpcException } from "@icerpc-ts/core";

import type { ByteChannelSource, EstablishedChannel } from "@icerpc-ts/core/transport-helpers";

import { socketChannel } from "./socket-channel.js";
import { socketException } from "./socket-errors.js";
import { connectionInformationOf, describeEndpoint } from "./socket-information.js";

function ignore(): void {}

/** The byte channel of a client connection: a TCP connection to the server, then the TLS handshake if configured. */
export class TcpClientChannelSource implements ByteChannelSource {
  readonly #host: string;
  readonly #port: number;
  readonly #tls: ConnectionOptions | undefined;
  #socket: Socket | undefined;

  constructor(host: string, port: number, tls: ConnectionOptions | undefined) {
    this.#host = host;
    this.#port = port;
    this.#tls = tls;
  }

  async open(signal: AbortSignal): Promise<EstablishedChannel> {
    signal.throwIfAborted();
    const host = this.#host;
    const port = this.#port;
    // The multiplexer ends each direction itself: the socket must not end its side when the peer ends theirs.
    const socket =
      this.#tls === undefined
        ? netConnect({ host, port, allowHalfOpen: true })
        : tlsConnect({ ...this.#tls, host, port, allowHalfOpen: true } as ConnectionOptions); // Node's types omit allowHalfOpen, which tls.connect honours
    this.#socket = socket;
    socket.setNoDelay(true);
    const endpoint = describeEndpoint(host, port);
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: unknown): void => {
        socket.off(readyEvent, onReady);
        socket.off("error", onError);
        signal.removeEventListener("abort", onAbort);
        if (error === undefined) {
          resolve();
        } else {
          socket.on("error", ignore); // the socket is destroyed: nothing it reports matters any more
          socket.destroy();
          reject(error);
        }
      };
      const readyEvent = this.#tls === undefined ? "connect" : "secureConnect";
      const onReady = (): void => settle();
      const onError = (error: Error): void => settle(this.#connectFailure(error, endpoint));
      const onAbort = (): void => settle(signal.reason);
      socket.once(readyEvent, onReady);
      socket.once("error", onError);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    return { channel: socketChannel(socket, endpoint), information: connectionInformationOf(socket) };
  }

  /**
   * A TLS client whose server resets the connection during the handshake most likely reached a plain TCP server
   * (one that reads the ClientHello as garbage and drops the connection).
   */
  #connectFailure(error: Error, endpoint: string): IceRpcException {
    const exception = socketException(error, `Cannot connect to ${endpoint}`);
    if (this.#tls === undefined || (error as { code?: unknown }).code !== "ECONNRESET") {
      return exception;
    }
    return new IceRpcException(
      exception.error,
      `Cannot connect to ${endpoint}: TLS failed: the server reset the connection during the TLS handshake (ECONNRESET): ` +
        "it may expect plain TCP (a transport without clientTls), or this is not its address.",
      { cause: error },
    );
  }

  discard(): void {
    this.#socket?.destroy();
  }

  /**
   * `error`, the failure of a connect that got this channel open, with what the socket shows about its cause: a
   * plain TCP client whose server closed the connection without sending a byte most likely reached a TLS server;
   * a TLS client with a certificate whose server closed right after the TLS handshake most likely presented a
   * certificate the server does not trust (TLS 1.3 servers check it after the client completed its handshake).
   */
  explainConnectFailure(error: unknown): unknown {
    const socket = this.#socket;
    if (!(error instanceof IceRpcException) || socket === undefined || socket.connecting || !socket.readableEnded) {
      return error;
    }
    const endpoint = describeEndpoint(this.#host, this.#port);
    if (this.#tls === undefined && socket.bytesRead === 0) {
      return new IceRpcException(
        error.error,
        `Cannot connect to ${endpoint}: the server closed the connection without answering. It may expect TLS: ` +
          "give the transport clientTls options (e.g. { clientTls: { ca } }, ca the server's CA certificate).",
        { cause: error },
      );
    }
    if (this.#tls?.cert !== undefined) {
      return new IceRpcException(
        error.error,
        `Cannot connect to ${endpoint}: the server closed the connection after the TLS handshake. If it verifies ` +
          "client certificates, it does not trust this one (clientTls.cert): it must be signed by a CA the server " +
          "trusts (the server's serverTls.ca).",
        { cause: error },
      );
    }
    return error;
  }
}
