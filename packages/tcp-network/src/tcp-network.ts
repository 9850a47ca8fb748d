import type { ConnectionOptions, TlsOptions } from "node:tls";

import type { MultiplexedConnectionOptions, TransportAddress } from "@icerpc-ts/core/transport";
import {
  type ByteChannelListener,
  type ByteChannelNetwork,
  type ByteChannelSource,
  checkConnectionOptions,
  checkNetworkAddress,
  checkTransportParams,
} from "@icerpc-ts/core/transport-helpers";

import { TcpChannelListener } from "./tcp-channel-listener.js";
import { TcpClientChannelSource } from "./tcp-client-channel-source.js";
import { listenBacklogOf, type TcpNetworkOptions } from "./tcp-network-options.js";

/** A transport's TCP network: its options, and what only the transport knows. */
export interface TcpNetworkConfig extends TcpNetworkOptions {
  /** The transport name of its addresses (`?transport=tcp`): an address that names another transport is rejected. */
  readonly transportName: string;
  /** The application protocol TLS connections negotiate (ALPN), e.g. `icerpc`; none without. */
  readonly applicationProtocol?: string;
}

/**
 * TCP connections, or TLS over TCP, as byte channels. The configuration decides TLS: with `clientTls`, client
 * channels are TLS connections; with `serverTls`, listeners accept TLS connections only. Addresses take no
 * parameters. One network serves any number of connections and listeners.
 */
export class TcpNetwork implements ByteChannelNetwork {
  readonly #transportName: string;
  readonly #clientTls: ConnectionOptions | undefined;
  readonly #serverTls: TlsOptions | undefined;
  readonly #listenBacklog: number;

  /** Throws `RangeError` for an invalid option. */
  constructor(config: TcpNetworkConfig) {
    this.#transportName = config.transportName;
    this.#listenBacklog = listenBacklogOf(config);
    // Node refuses, with a no_application_protocol alert, a TLS client that offers only other protocols; a client
    // that offers none is accepted, as IceRPC C# accepts it.
    const alpn = config.applicationProtocol === undefined ? {} : { ALPNProtocols: [config.applicationProtocol] };
    this.#clientTls = config.clientTls === undefined ? undefined : { ...config.clientTls, ...alpn };
    this.#serverTls = config.serverTls === undefined ? undefined : { ...config.serverTls, ...alpn };
  }

  /** Throws `TypeError` for an invalid address. */
  connect(address: TransportAddress, _options: MultiplexedConnectionOptions): ByteChannelSource {
    this.#checkAddress(address, 1);
    return new TcpClientChannelSource(address.host, address.port, this.#clientTls);
  }

  /**
   * Starts listening on `address` (port 0: an ephemeral port, which the listener's address reports). Rejects with
   * `IceRpcException(AddressInUse)` when the address is taken, `TypeError` for an invalid address, `RangeError` for
   * invalid options.
   */
  async listen(address: TransportAddress, options: MultiplexedConnectionOptions): Promise<ByteChannelListener> {
    this.#checkAddress(address, 0);
    return TcpChannelListener.listen({
      address,
      tls: this.#serverTls,
      handshakeTimeout: checkConnectionOptions(options).handshakeTimeout,
      backlog: this.#listenBacklog,
      label: `${this.#transportName} listener`,
    });
  }

  #checkAddress(address: TransportAddress, minPort: number): void {
    checkTransportParams(address, this.#transportName);
    checkNetworkAddress(address, this.#transportName, minPort);
  }
}
