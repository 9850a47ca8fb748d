import type {
  AcceptedConnection,
  Listener,
  MultiplexedConnectionOptions,
  MultiplexedServerTransport,
  TransportAddress,
} from "@icerpc-ts/core/transport";

import { FaultyConnection } from "./faulty-connection.js";
import { ItemList } from "./item-list.js";
import { OperationLog } from "./operation-log.js";
import { OperationSwitches } from "./operation-switches.js";
import type { FaultPlan } from "./transport-operation.js";

/**
 * Decorates a server transport: its listeners' `accept` and `dispose` go through {@link OperationSwitches}, and the
 * connections they accept are {@link FaultyConnection}s (IceRPC C#'s `TestMultiplexedServerTransportDecorator`).
 */
export class FaultyServerTransport implements MultiplexedServerTransport {
  /** The plan of the connections accepted from now on, by any listener of this transport. */
  connectionFaults: FaultPlan;
  /** The plan of the listeners created from now on. */
  listenerFaults: FaultPlan;
  readonly listeners = new ItemList<FaultyListener>("listener");
  /** Every connection accepted by this transport's listeners, in order. */
  readonly connections = new ItemList<FaultyConnection>("accepted connection");
  /** The calls of every listener's, connection's and stream's operations. */
  readonly log = new OperationLog();
  /** The options of the last `listen` call. */
  lastListenOptions: MultiplexedConnectionOptions | undefined;
  readonly #decoratee: MultiplexedServerTransport;

  constructor(decoratee: MultiplexedServerTransport, faults: { connection?: FaultPlan; listener?: FaultPlan } = {}) {
    this.#decoratee = decoratee;
    this.connectionFaults = faults.connection ?? {};
    this.listenerFaults = faults.listener ?? {};
  }

  get name(): string {
    return this.#decoratee.name;
  }

  async listen(address: TransportAddress, options: MultiplexedConnectionOptions): Promise<Listener> {
    this.lastListenOptions = options;
    const listener = await this.#decoratee.listen(address, options);
    return this.listeners.add(
      new FaultyListener(listener, this.listenerFaults, this.log, (accepted) =>
        this.connections.add(new FaultyConnection(accepted, this.connectionFaults, this.log)),
      ),
    );
  }

  /** Releases every hold and stops every failure of every listener, connection and stream so far. */
  releaseAll(): void {
    this.connectionFaults = {};
    this.listenerFaults = {};
    for (const listener of this.listeners) {
      listener.operations.releaseAll();
    }
    for (const connection of this.connections) {
      connection.releaseAll();
    }
  }
}

/** A listener whose `accept` and `dispose` go through {@link OperationSwitches}. */
export class FaultyListener implements Listener {
  readonly operations: OperationSwitches;
  /** The signal of the latest `accept` call, for a test to see what listens to it. */
  acceptSignal: AbortSignal | undefined;
  readonly #decoratee: Listener;
  readonly #decorate: (connection: AcceptedConnection["connection"]) => FaultyConnection;

  constructor(
    decoratee: Listener,
    plan: FaultPlan,
    log: OperationLog,
    decorate: (connection: AcceptedConnection["connection"]) => FaultyConnection,
  ) {
    this.#decoratee = decoratee;
    this.operations = new OperationSwitches(plan, log);
    this.#decorate = decorate;
  }

  get address(): TransportAddress {
    return this.#decoratee.address;
  }

  async accept(signal?: AbortSignal): Promise<AcceptedConnection> {
    this.acceptSignal = signal;
    const accepted = await this.operations.run(
      "accept",
      signal,
      () => this.#decoratee.accept(signal),
      // As the C# decorator: a connection accepted by an accept that then fails is disposed, so its client sees
      // ConnectionAborted.
      (dropped) => void dropped.connection.dispose(),
    );
    return { connection: this.#decorate(accepted.connection), remoteNetworkAddress: accepted.remoteNetworkAddress };
  }

  async dispose(): Promise<void> {
    try {
      await this.operations.runDispose(this.#decoratee);
    } finally {
      this.operations.releaseAll();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
