import type {
  MultiplexedClientTransport,
  MultiplexedConnectionOptions,
  MultiplexedServerTransport,
  TransportAddress,
} from "@icerpc-ts/core/transport";

/** How a transport package plugs itself into the conformance suite. */
export interface TransportUnderTest {
  /** The transport name, shown in test names. */
  readonly name: string;
  /** Fresh client and server transports; called once per test, so a test never sees another test's state. */
  createTransports(): { client: MultiplexedClientTransport; server: MultiplexedServerTransport };
  /** An address the server transport can listen on; port 0 when the transport resolves ephemeral ports. */
  listenAddress(): TransportAddress;
  /** Options applied on top of the defaults to every connection the suite creates (e.g. TLS, tuned windows). */
  readonly connectionOptions?: Partial<MultiplexedConnectionOptions>;
  /**
   * How long, in milliseconds, an operation must stay unsettled for the suite to consider it blocked (default 50).
   * Raise it for a transport whose operations take noticeable time even when nothing blocks them, such as one over
   * a real network, so that "still pending" checks do not pass or fail by accident.
   */
  readonly settleTime?: number;
}
