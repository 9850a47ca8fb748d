import type {
  AcceptedConnection,
  Listener,
  MultiplexedConnectionOptions,
  NetworkAddress,
  TransportAddress,
} from "@icerpc-ts/core/transport";
import { ListenerAccepts } from "@icerpc-ts/core/transport-helpers";

import { MemoryConnection } from "./memory-connection.js";

interface BacklogEntry extends AcceptedConnection {
  readonly connection: MemoryConnection;
}

/**
 * Accepts the connections made to one name of a {@link MemoryTransport}. Each connecting client gets a server end
 * queued in the backlog until `accept` takes it; a server end whose client gives up leaves the backlog at once, so
 * the backlog only holds live connection attempts.
 */
export class MemoryListener implements Listener {
  readonly address: TransportAddress;
  readonly #options: MultiplexedConnectionOptions;
  readonly #windowSize: number;
  readonly #unregister: () => void;
  readonly #backlog: BacklogEntry[] = [];
  readonly #accepts = new ListenerAccepts("memory listener", () => this.#backlog.shift());

  constructor(
    address: TransportAddress,
    options: MultiplexedConnectionOptions,
    windowSize: number,
    unregister: () => void,
  ) {
    this.address = address;
    this.#options = options;
    this.#windowSize = windowSize;
    this.#unregister = unregister;
  }

  accept(signal?: AbortSignal): Promise<AcceptedConnection> {
    return this.#accepts.accept(signal);
  }

  dispose(): Promise<void> {
    if (this.#accepts.dispose()) {
      this.#unregister();
      for (const entry of this.#backlog.splice(0)) {
        entry.connection.refuse();
      }
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  /** A client reached this listener: creates its server end and hands it to `accept`. */
  enqueue(client: MemoryConnection, clientAddress: NetworkAddress): MemoryConnection {
    const config = {
      options: this.#options,
      windowSize: this.#windowSize,
      localAddress: { host: this.address.host, port: this.address.port },
      remoteAddress: clientAddress,
    };
    const entry: BacklogEntry = {
      connection: MemoryConnection.createServer(config, client, () => this.#withdraw(entry)),
      remoteNetworkAddress: clientAddress,
    };
    if (!this.#accepts.deliver(entry)) {
      this.#backlog.push(entry);
    }
    return entry.connection;
  }

  #withdraw(entry: BacklogEntry): void {
    const index = this.#backlog.indexOf(entry);
    if (index >= 0) {
      this.#backlog.splice(index, 1);
    }
  }
}
