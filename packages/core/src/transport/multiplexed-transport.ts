import type { MultiplexedConnection, MultiplexedConnectionOptions } from "./multiplexed-connection.js";
import type { NetworkAddress, TransportAddress } from "./transport-address.js";

/** Creates client connections. One instance serves any number of connections. */
export interface MultiplexedClientTransport {
  /** The name used in server addresses: `?transport=NAME`. */
  readonly name: string;

  /**
   * Returns an unconnected connection to `address`. Throws `TypeError` for a parameter in `address.params` the
   * transport does not know.
   */
  createConnection(address: TransportAddress, options: MultiplexedConnectionOptions): MultiplexedConnection;
}

/** Creates listeners. One instance serves any number of listeners. */
export interface MultiplexedServerTransport {
  readonly name: string;

  /**
   * Starts listening on `address` and resolves once connections can be accepted. Rejects with
   * `IceRpcException(AddressInUse)` when the address is taken, and with `TypeError` for an unknown parameter.
   */
  listen(address: TransportAddress, options: MultiplexedConnectionOptions): Promise<Listener>;
}

/** Accepts incoming connections on one address. */
export interface Listener extends AsyncDisposable {
  /**
   * The address actually listened on: an ephemeral port (port 0) is resolved. A transport without ports (memory)
   * reports the port it was given.
   */
  readonly address: TransportAddress;

  /**
   * Resolves with the next incoming connection, which still needs `connect`. Calls must not overlap. Rejects with
   * `signal.reason` when `signal` aborts and with `ObjectDisposedError` once the listener is disposed.
   */
  accept(signal?: AbortSignal): Promise<AcceptedConnection>;

  /** Stops listening; pending `accept` calls reject. Connections already accepted are not affected. Idempotent. */
  dispose(): Promise<void>;
}

export interface AcceptedConnection {
  readonly connection: MultiplexedConnection;
  readonly remoteNetworkAddress: NetworkAddress;
}
