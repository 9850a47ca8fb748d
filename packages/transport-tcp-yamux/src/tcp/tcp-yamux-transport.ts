import { ByteChannelTransport } from "@icerpc-ts/core/transport-helpers";
import { TcpNetwork, type TcpNetworkOptions } from "@icerpc-ts/tcp-network";

import type { YamuxAdapterOptions } from "../yamux-adapter/yamux-adapter-options.js";
import { yamuxMultiplexer } from "../yamux-adapter/yamux-multiplexer.js";

/** Options of a {@link TcpYamuxTransport}, shared by every connection it creates and every listener it starts. */
export interface TcpYamuxTransportOptions extends YamuxAdapterOptions, TcpNetworkOptions {}

/**
 * icerpc over TCP, or TLS over TCP, multiplexed with yamux (`icerpc://host:port?transport=tcp-yamux`). The transport
 * instance decides TLS: with `clientTls` its connections are TLS connections, with `serverTls` its listeners accept
 * TLS connections only; addresses take no parameters. One instance serves any number of connections and listeners.
 */
export class TcpYamuxTransport extends ByteChannelTransport {
  /** Throws `RangeError` for an invalid option. */
  constructor(options: TcpYamuxTransportOptions = {}) {
    super("tcp-yamux", new TcpNetwork({ ...options, transportName: "tcp-yamux" }), yamuxMultiplexer(options));
  }
}
