import type { Server as HttpServer } from "node:http";
import type { Server as HttpsServer } from "node:https";

import type { SlicOptions } from "@icerpc-ts/slic";
import type { TcpClientTlsOptions, TcpServerTlsOptions } from "@icerpc-ts/tcp-network";

/** Options of a Node {@link WebSocketTransport}, for every connection it creates and every listener it starts. */
export interface WebSocketTransportOptions {
  /** `wss` (WebSocket over TLS) when true, `ws` otherwise: the transport's name and its URL scheme. */
  readonly secure?: boolean;
  /**
   * TLS of a `wss` client. The server's certificate is verified against Node's root certificates, or `ca`, and must
   * name the host (or `servername`); `cert` and `key` give a client certificate for mutual TLS.
   */
  readonly clientTls?: TcpClientTlsOptions;
  /** TLS of a `wss` listener's own HTTPS server; with `requestCert` and `ca`, clients must present a certificate. */
  readonly serverTls?: TcpServerTlsOptions;
  /**
   * An HTTP (`ws`) or HTTPS (`wss`) server of the application that listeners share, on its port and next to its other
   * routes, instead of a server of their own; the listener then takes the WebSocket upgrades of its path only.
   */
  readonly httpServer?: HttpServer | HttpsServer;
  /** The largest message accepted, in bytes; larger ones end the connection. At least 65536; 1 MiB by default. */
  readonly maxMessageSize?: number;
  /** How many accepted connections may wait for `Listener.accept`; 511 by default. */
  readonly listenBacklog?: number;
  /** The options of the Slic multiplexer. */
  readonly slic?: SlicOptions;
}
