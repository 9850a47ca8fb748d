import type { ConnectionOptions, TlsOptions } from "node:tls";

/**
 * TLS for the connections a transport creates. The server's certificate is always verified (against `ca`, or Node's
 * bundled root certificates without it) and must name the host connected to (or `servername`), unless
 * `rejectUnauthorized` is false, which only tests should do. The application protocol (ALPN) is the transport's,
 * not an option.
 */
export type TcpClientTlsOptions = Pick<
  ConnectionOptions,
  "ca" | "cert" | "key" | "passphrase" | "servername" | "rejectUnauthorized"
>;

/**
 * TLS for the connections a transport's listeners accept. With `requestCert`, clients must present a certificate
 * signed by `ca` (unless `rejectUnauthorized` is false).
 */
export type TcpServerTlsOptions = Pick<
  TlsOptions,
  "cert" | "key" | "passphrase" | "ca" | "requestCert" | "rejectUnauthorized"
>;

/** The TCP and TLS options of a transport over a {@link TcpNetwork}, for every connection and listener it makes. */
export interface TcpNetworkOptions {
  /** With these options, client connections use TLS; without, plain TCP. */
  readonly clientTls?: TcpClientTlsOptions;
  /** With these options, listeners accept TLS connections only; without, plain TCP. */
  readonly serverTls?: TcpServerTlsOptions;
  /**
   * How many accepted connections may wait for `Listener.accept`, also passed to `listen(2)` as the kernel's backlog;
   * a connection beyond is closed at once. An integer from 1 to 65535; 511 by default (Node's default).
   */
  readonly listenBacklog?: number;
}

export const defaultListenBacklog = 511;

/** The listen backlog `options` ask for, checked. Throws `RangeError` for an invalid value. */
export function listenBacklogOf(options: TcpNetworkOptions): number {
  const backlog = options.listenBacklog ?? defaultListenBacklog;
  if (!Number.isInteger(backlog) || backlog < 1 || backlog > 65_535) {
    throw new RangeError(`Invalid listenBacklog ${backlog}: it must be an integer from 1 to 65535.`);
  }
  return backlog;
}
