import { ObjectDisposedError } from "@icerpc-ts/core";
import type {
  AcceptedConnection,
  Listener,
  MultiplexedConnectionOptions,
  NetworkAddress,
  TransportAddress,
} from "@icerpc-ts/core/transport";
import { abortable } from "@icerpc-ts/core/util";

import { MemoryConnection } from "./memory-connection.js";

interface PendingAccept {
  resolve(accepted: AcceptedConnection): void;
  reject(reason: unknown): void;
}

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
  #pendingAccept: PendingAccept | undefined;
  #disposed = false;

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
    if (this.#disposed) {
      return Promise.reject(new ObjectDisposedError("memory listener"));
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    const next = this.#backlog.shift();
    if (next !== undefined) {
      return Promise.resolve(next);
    }
    return abortable<AcceptedConnection>(
      signal,
      (resolve, reject) => {
        this.#pendingAccept = { resolve, reject };
      },
      () => {
        this.#pendingAccept = undefined;
      },
    );
  }

  dispose(): Promise<void> {
    if (!this.#disposed) {
      this.#disposed = true;
      this.#unregister();
      this.#takePendingAccept()?.reject(new ObjectDisposedError("memory listener"));
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
    const pendingAccept = this.#takePendingAccept();
    if (pendingAccept === undefined) {
      this.#backlog.push(entry);
    } else {
      pendingAccept.resolve(entry);
    }
    return entry.connection;
  }

  #withdraw(entry: BacklogEntry): void {
    const index = this.#backlog.indexOf(entry);
    if (index >= 0) {
      this.#backlog.splice(index, 1);
    }
  }

  #takePendingAccept(): PendingAccept | undefined {
    const pendingAccept = this.#pendingAccept;
    this.#pendingAccept = undefined;
    return pendingAccept;
  }
}
