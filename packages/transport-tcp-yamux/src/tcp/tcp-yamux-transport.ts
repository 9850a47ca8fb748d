import { checkTransportParams } from "@icerpc-ts/core/transport-helpers";
import type {
  Listener,
  MultiplexedClientTransport,
  MultiplexedConnection,
  MultiplexedConnectionOptions,
  MultiplexedServerTransport,
  TransportAddress,
} from "@icerpc-ts/core/transport";

import {
  checkConnectionOptions,
  resolveYamuxAdapterOptions,
  type YamuxAdapterOptions,
  YamuxMultiplexedConnection,
} from "../yamux-adapter/index.js";
import { TcpClientChannelSource } from "./tcp-client-channel-source.js";
import { TcpListener } from "./tcp-listener.js";
import {
  listenBacklogOf,
  type TcpYamuxClientTlsOptions,
  type TcpYamuxServerTlsOptions,
  type TcpYamuxTransportOptions,
} from "./tcp-yamux-transport-options.js";

const label = "tcp-yamux connection";

/**
 * icerpc over TCP, or TLS over TCP, multiplexed with yamux (`icerpc://host:port?transport=tcp-yamux`). The transport
 * instance decides TLS: with `clientTls` its connections are TLS connections, with `serverTls` its listeners accept
 * TLS connections only; addresses take no parameters. One instance serves any number of connections and listeners.
 */
export class TcpYamuxTransport implements MultiplexedClientTransport, MultiplexedServerTransport {
  readonly name = "tcp-yamux";
  readonly #adapterOptions: Required<YamuxAdapterOptions>;
  readonly #clientTls: TcpYamuxClientTlsOptions | undefined;
  readonly #serverTls: TcpYamuxServerTlsOptions | undefined;
  readonly #listenBacklog: number;

  /** Throws `RangeError` for an invalid option. */
  constructor(options: TcpYamuxTransportOptions = {}) {
    this.#adapterOptions = resolveYamuxAdapterOptions(options);
    this.#clientTls = options.clientTls;
    this.#serverTls = options.serverTls;
    this.#listenBacklog = listenBacklogOf(options);
  }

  /** Throws `TypeError` for an invalid address, `RangeError` for invalid options. */
  createConnection(address: TransportAddress, options: MultiplexedConnectionOptions): MultiplexedConnection {
    this.#checkAddress(address, 1);
    return new YamuxMultiplexedConnection({
      role: "client",
      source: new TcpClientChannelSource(address.host, address.port, this.#clientTls),
      options,
      adapterOptions: this.#adapterOptions,
      label,
    });
  }

  /**
   * Starts listening on `address` (port 0: an ephemeral port, which the listener's address reports). Rejects with
   * `IceRpcException(AddressInUse)` when the address is taken, `TypeError` for an invalid address, `RangeError` for
   * invalid options.
   */
  async listen(address: TransportAddress, options: MultiplexedConnectionOptions): Promise<Listener> {
    this.#checkAddress(address, 0);
    return TcpListener.listen({
      address,
      options: checkConnectionOptions(options),
      adapterOptions: this.#adapterOptions,
      tls: this.#serverTls,
      backlog: this.#listenBacklog,
      label,
    });
  }

  #checkAddress(address: TransportAddress, minPort: number): void {
    checkTransportParams(address, this.name);
    if (address.transport !== undefined && address.transport !== this.name) {
      throw new TypeError(
        `The tcp-yamux transport cannot use an address for transport '${address.transport}': use ?transport=tcp-yamux.`,
      );
    }
    if (address.host === "") {
      throw new TypeError("A tcp-yamux address needs a host: a host name or an IP address.");
    }
    if (!Number.isInteger(address.port) || address.port < minPort || address.port > 65_535) {
      throw new TypeError(`Invalid port ${address.port} for tcp-yamux: it must be an integer from ${minPort} to 65535.`);
    }
  }
}
