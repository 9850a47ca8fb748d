/**
 * What a transport needs to reach or listen on a server: the server address without its protocol. Parsed from
 * `icerpc://host:port?transport=NAME&param=value` by the core; the transport interprets `host` (a host name, an IP
 * address, or for the memory transport a name) and must reject parameters it does not know.
 */
export interface TransportAddress {
  readonly host: string;
  /** The port; 0 asks a listener for an ephemeral port, which the listener's own address then reports. */
  readonly port: number;
  /** The transport name (`memory`, `tcp-yamux`, `ws`, `webtransport`, `quic`); absent means the default one. */
  readonly transport?: string;
  /** Transport-specific parameters, from the address's query string (minus `transport` and `alt-server`). */
  readonly params: Readonly<Record<string, string>>;
}

/** A host and port, as a connection reports its local and remote ends. */
export interface NetworkAddress {
  readonly host: string;
  readonly port: number;
}
