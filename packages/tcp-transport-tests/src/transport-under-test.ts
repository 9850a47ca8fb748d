import type { MultiplexedClientTransport, MultiplexedServerTransport } from "@icerpc-ts/core/transport";
import type { TcpNetworkOptions } from "@icerpc-ts/tcp-network";

/** A transport that is both client and server, as every transport over TCP is. */
export type TcpBasedTransport = MultiplexedClientTransport & MultiplexedServerTransport;

/** The transport a suite runs over. */
export interface TcpTransportUnderTest {
  /** The transport name, as in addresses (`tcp`, `tcp-yamux`). */
  readonly name: string;
  /** A transport with these TCP and TLS options, and its multiplexer's defaults. */
  createTransport(options?: TcpNetworkOptions): TcpBasedTransport;
  /** The application protocol its TLS connections negotiate (ALPN), if any. */
  readonly applicationProtocol?: string;
}
