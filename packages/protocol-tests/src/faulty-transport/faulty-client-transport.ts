import type {
  MultiplexedClientTransport,
  MultiplexedConnection,
  MultiplexedConnectionOptions,
  TransportAddress,
} from "@icerpc-ts/core/transport";

import { FaultyConnection } from "./faulty-connection.js";
import { ItemList } from "./item-list.js";
import { OperationLog } from "./operation-log.js";
import type { FaultPlan } from "./transport-operation.js";

/** The fault plan of new connections: one for all, or one chosen by the address connected to. */
export type ConnectionFaults = FaultPlan | ((address: TransportAddress) => FaultPlan);

/**
 * Decorates a client transport so that every connection it creates is a {@link FaultyConnection} (IceRPC C#'s
 * `TestMultiplexedClientTransportDecorator`).
 */
export class FaultyClientTransport implements MultiplexedClientTransport {
  /** The plan of the connections created from now on. */
  connectionFaults: ConnectionFaults;
  readonly connections = new ItemList<FaultyConnection>("created connection");
  /** The calls of every connection's and stream's operations. */
  readonly log = new OperationLog();
  /** The options of the last `createConnection` call. */
  lastConnectionOptions: MultiplexedConnectionOptions | undefined;
  readonly #decoratee: MultiplexedClientTransport;

  constructor(decoratee: MultiplexedClientTransport, connectionFaults: ConnectionFaults = {}) {
    this.#decoratee = decoratee;
    this.connectionFaults = connectionFaults;
  }

  get name(): string {
    return this.#decoratee.name;
  }

  createConnection(address: TransportAddress, options: MultiplexedConnectionOptions): MultiplexedConnection {
    const connection = this.#decoratee.createConnection(address, options);
    this.lastConnectionOptions = options;
    const plan = typeof this.connectionFaults === "function" ? this.connectionFaults(address) : this.connectionFaults;
    return this.connections.add(new FaultyConnection(connection, plan, this.log));
  }

  /** Releases every hold and stops every failure of every connection (and stream) created so far. */
  releaseAll(): void {
    this.connectionFaults = {};
    for (const connection of this.connections) {
      connection.releaseAll();
    }
  }
}
