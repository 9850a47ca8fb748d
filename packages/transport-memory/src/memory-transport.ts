import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import { checkConnectionOptions, checkTransportParams } from "@icerpc-ts/core/transport-helpers";
import type {
  Listener,
  MultiplexedClientTransport,
  MultiplexedConnection,
  MultiplexedConnectionOptions,
  MultiplexedServerTransport,
  TransportAddress,
} from "@icerpc-ts/core/transport";

import { MemoryConnection } from "./memory-connection.js";
import { MemoryListener } from "./memory-listener.js";
import { type MemoryTransportOptions, streamWindowSizeOf } from "./memory-transport-options.js";

/**
 * An in-process multiplexed transport (like IceRPC's Coloc transport) with the full stream semantics: flow control,
 * stream limits, half-close, aborts and close codes. Addresses are `icerpc://NAME?transport=memory`: the host is a
 * name, unique among this instance's listeners, and the port plays no role. Each instance is its own namespace, so
 * a client reaches only the listeners of the instance it was created by: register the same instance as both the
 * client and the server transport.
 */
export class MemoryTransport implements MultiplexedClientTransport, MultiplexedServerTransport {
  readonly name = "memory";
  readonly #windowSize: number;
  readonly #listeners = new Map<string, MemoryListener>();
  #clientCount = 0;

  /** Throws `RangeError` for an invalid option. */
  constructor(options: MemoryTransportOptions = {}) {
    this.#windowSize = streamWindowSizeOf(options);
  }

  /** Throws `TypeError` for an invalid address, `RangeError` for invalid options. */
  createConnection(address: TransportAddress, options: MultiplexedConnectionOptions): MultiplexedConnection {
    this.#checkAddress(address);
    const localAddress = { host: `client-${++this.#clientCount}`, port: 0 };
    return MemoryConnection.createClient(
      {
        options: checkConnectionOptions(options),
        windowSize: this.#windowSize,
        localAddress,
        remoteAddress: { host: address.host, port: address.port },
      },
      (client, clientAddress) => this.#listeners.get(address.host)?.enqueue(client, clientAddress),
    );
  }

  /** Rejects with `TypeError` for an invalid address, `RangeError` for invalid options. */
  async listen(address: TransportAddress, options: MultiplexedConnectionOptions): Promise<Listener> {
    this.#checkAddress(address);
    const checkedOptions = checkConnectionOptions(options);
    const { host } = address;
    if (this.#listeners.has(host)) {
      throw new IceRpcException(
        IceRpcError.AddressInUse,
        `A memory listener named '${host}' already exists in this MemoryTransport: dispose it or use another name.`,
      );
    }
    const listener = new MemoryListener(address, checkedOptions, this.#windowSize, () => {
      if (this.#listeners.get(host) === listener) {
        this.#listeners.delete(host);
      }
    });
    this.#listeners.set(host, listener);
    return listener;
  }

  #checkAddress(address: TransportAddress): void {
    checkTransportParams(address, this.name);
    if (address.transport !== undefined && address.transport !== this.name) {
      throw new TypeError(
        `The memory transport cannot use an address for transport '${address.transport}': use ?transport=memory.`,
      );
    }
    if (address.host === "") {
      throw new TypeError("A memory transport address needs a name as its host: icerpc://NAME?transport=memory.");
    }
  }
}
