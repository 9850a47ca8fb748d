import { ByteChannelTransport } from "@icerpc-ts/core/transport-helpers";
import { slicMultiplexer, type SlicOptions } from "@icerpc-ts/slic";
import { TcpNetwork, type TcpNetworkOptions } from "@icerpc-ts/tcp-network";

/** Options of a {@link TcpTransport}: Slic's settings and TCP's, shared by every connection and listener it makes. */
export interface TcpTransportOptions extends SlicOptions, TcpNetworkOptions {}

/**
 * icerpc over TCP, or TLS over TCP, multiplexed with Slic: IceRPC C#'s `tcp` transport, so that a server address of an
 * IceRPC C# application (`icerpc://host:4062?transport=tcp`, 4062 the default port) means the same thing here. The
 * instance decides TLS, as C#'s authentication options do: with `clientTls` its connections are TLS connections, with
 * `serverTls` its listeners accept TLS connections only; both negotiate the application protocol `icerpc` (ALPN).
 * Addresses take no parameters. One instance serves any number of connections and listeners.
 */
export class TcpTransport extends ByteChannelTransport {
  /** Throws `RangeError` for an invalid option. */
  constructor(options: TcpTransportOptions = {}) {
    super(
      "tcp",
      new TcpNetwork({ ...options, transportName: "tcp", applicationProtocol: "icerpc" }),
      slicMultiplexer(options),
    );
  }
}

