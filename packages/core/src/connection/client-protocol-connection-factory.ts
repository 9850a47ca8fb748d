import { toServerAddress, type ServerAddress } from "../address/server-address.js";
import type { TransportRegistry } from "../transport/transport-registry.js";
import type { ClientConnectionOptions } from "./client-connection.js";
import { resolveConnectionOptions, resolveConnectionTimeouts, type ConnectionOptions, type ConnectionTimeouts } from "./connection-options.js";
import { IceRpcProtocolConnection } from "./icerpc/icerpc-protocol-connection.js";
import { multiplexedOptionsFor } from "./multiplexed-options.js";
import type { ConnectionObserver } from "./connection-observer.js";
import { ObservedProtocolConnection } from "./observed-protocol-connection.js";
import type { ProtocolConnection } from "./protocol-connection.js";
import { TimedProtocolConnection } from "./timed-protocol-connection.js";
import { toTransportAddress } from "./to-transport-address.js";

/** The options of a {@link ClientProtocolConnectionFactory}: a `ClientConnection`'s, without the server address. */
export type ClientProtocolConnectionFactoryOptions = Omit<ClientConnectionOptions, "serverAddress">;

/**
 * Creates the client side of icerpc connections, the building block of `ClientConnection` and `ConnectionCache`, for
 * an application that owns its connections itself (IceRPC's `ClientProtocolConnectionFactory`). A connection it
 * creates does only what its caller asks: nothing connects it, reconnects it, retries a refused invocation or shuts
 * it down when it asks for it (`ConnectResult.shutdownRequested`); its caller does, and disposes it.
 */
export class ClientProtocolConnectionFactory {
  readonly #transports: TransportRegistry;
  readonly #options: ConnectionOptions;
  readonly #timeouts: ConnectionTimeouts;
  readonly #observer: ConnectionObserver | undefined;

  /** Throws `RangeError` naming an invalid option. */
  constructor(options: ClientProtocolConnectionFactoryOptions) {
    this.#transports = options.transports;
    this.#options = resolveConnectionOptions(options);
    this.#timeouts = resolveConnectionTimeouts(options);
    this.#observer = options.connectionObserver;
  }

  /**
   * A new, not yet connected, connection to `serverAddress` over the transport the address names. Its `connect`
   * rejects with a `TimeoutError` DOMException after `connectTimeout`, its `shutdown` after `shutdownTimeout`. The
   * `connectionObserver` option, if any, is told about its life from its `connect` on.
   * Throws `TypeError` when that transport is not registered, and the transport's error for an address it rejects.
   */
  createConnection(serverAddress: string | ServerAddress): ProtocolConnection {
    const address = toServerAddress(serverAddress);
    const transport = this.#transports.clientTransport(address.transport);
    const transportConnection = transport.createConnection(
      toTransportAddress(address),
      multiplexedOptionsFor(this.#options, this.#timeouts.connectTimeout),
    );
    const connection = new IceRpcProtocolConnection(transportConnection, {
      isServer: false,
      options: this.#options,
      transportName: transport.name,
    });
    const timed = new TimedProtocolConnection(connection, this.#timeouts);
    return this.#observer === undefined ? timed : new ObservedProtocolConnection(timed, this.#observer);
  }
}
