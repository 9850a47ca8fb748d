import {
  ClientConnection,
  ConnectionCache,
  Server,
  ServerAddress,
  TransportRegistry,
  type ClientConnectionOptions,
  type ConnectionCacheOptions,
  type ServerOptions,
} from "@icerpc-ts/core";
import type { TransportAddress } from "@icerpc-ts/core/transport";
import type { TransportUnderTest } from "@icerpc-ts/transport-conformance";

import { FaultyClientTransport, type ConnectionFaults } from "../faulty-transport/faulty-client-transport.js";
import { FaultyServerTransport } from "../faulty-transport/faulty-server-transport.js";
import type { FaultPlan } from "../faulty-transport/transport-operation.js";
import { PayloadSource } from "./payload-source.js";
import { expectPending } from "@icerpc-ts/transport-conformance";
import { TestDispatcher } from "./test-dispatcher.js";

const defaultSettleTime = 50;

/** The least time {@link ProtocolFixture.eventually} gives an operation (below jest's testTimeout of 30 s). */
const eventuallyMinimumMs = 10_000;

/** Anything a test must release when it ends. */
export interface AsyncResource {
  dispose(): Promise<void>;
}

/** A fresh pair of faulty transports around the transport under test. */
export interface FaultyTransports {
  readonly client: FaultyClientTransport;
  readonly server: FaultyServerTransport;
  /** A registry with both, for `ClientConnection`, `ConnectionCache` and `Server`. */
  readonly registry: TransportRegistry;
}

/** Faults to start a pair of transports with. */
export interface TransportFaults {
  readonly client?: ConnectionFaults;
  readonly server?: FaultPlan;
  readonly listener?: FaultPlan;
}

/**
 * What the tests of one describe block share: the transport under test, and what the current test created, which
 * `cleanup` (run after each test) releases. Cleanup first lifts every hold and failure a test set (on transports,
 * dispatchers and payloads), then disposes, newest first: a failing test cannot leave anything blocked or hang the run.
 */
export class ProtocolFixture {
  readonly transport: TransportUnderTest;
  /** How long an operation must stay unsettled to count as blocked; see `TransportUnderTest.settleTime`. */
  readonly settleTime: number;
  /**
   * A timeout for the connect, shutdown and inactivity timeouts of tests that make them expire: small, yet well above
   * what an operation takes on this transport when nothing blocks it.
   */
  readonly shortTimeout: number;
  readonly #resources: AsyncResource[] = [];
  readonly #releasers: (() => void)[] = [];

  constructor(transport: TransportUnderTest) {
    this.transport = transport;
    this.settleTime = transport.settleTime ?? defaultSettleTime;
    this.shortTimeout = 4 * this.settleTime;
  }

  /** New faulty client and server transports (the transport's `createTransports` is called once per pair). */
  createTransports(faults: TransportFaults = {}): FaultyTransports {
    const { client, server } = this.transport.createTransports();
    const faultyClient = new FaultyClientTransport(client, faults.client ?? {});
    const faultyServer = new FaultyServerTransport(server, {
      ...(faults.server === undefined ? {} : { connection: faults.server }),
      ...(faults.listener === undefined ? {} : { listener: faults.listener }),
    });
    this.#releasers.push(() => faultyClient.releaseAll(), () => faultyServer.releaseAll());
    const registry = new TransportRegistry().register(faultyClient, faultyServer);
    return { client: faultyClient, server: faultyServer, registry };
  }

  /** A fresh address to listen on (see `TransportUnderTest.listenAddress`). */
  listenAddress(): TransportAddress {
    return this.transport.listenAddress();
  }

  /** The server address of `address` with this transport's name. */
  serverAddressOf(address: TransportAddress): ServerAddress {
    return new ServerAddress({ ...address, transport: this.transport.name });
  }

  /** A server listening on a fresh address with `transports`; disposed by cleanup. */
  async listen(transports: FaultyTransports, options: Omit<ServerOptions, "transports">): Promise<Server> {
    const server = this.track(
      new Server({ serverAddress: this.serverAddressOf(this.listenAddress()), ...options, transports: transports.registry }),
    );
    await server.listen();
    return server;
  }

  /** A client connection with `transports`; disposed by cleanup. */
  clientConnection(transports: FaultyTransports, options: Omit<ClientConnectionOptions, "transports">): ClientConnection {
    return this.track(new ClientConnection({ ...options, transports: transports.registry }));
  }

  /** A connection cache with `transports`; disposed by cleanup. */
  connectionCache(transports: FaultyTransports, options: Omit<ConnectionCacheOptions, "transports"> = {}): ConnectionCache {
    return this.track(new ConnectionCache({ ...options, transports: transports.registry }));
  }

  /** A {@link TestDispatcher} whose held dispatches cleanup releases. */
  dispatcher(options: ConstructorParameters<typeof TestDispatcher>[0] = {}): TestDispatcher {
    const dispatcher = new TestDispatcher(options);
    this.#releasers.push(() => dispatcher.releaseAll());
    return dispatcher;
  }

  /** A {@link PayloadSource} that cleanup ends, so that no sender stays stuck on it. */
  payload(...args: ConstructorParameters<typeof PayloadSource>): PayloadSource {
    const source = new PayloadSource(...args);
    this.#releasers.push(() => source.end());
    return source;
  }

  /** Has `resource` disposed by cleanup; returns it. */
  track<T extends AsyncResource>(resource: T): T {
    this.#resources.push(resource);
    return resource;
  }

  /** Has `release` run by cleanup before anything is disposed. */
  onCleanup(release: () => void): void {
    this.#releasers.push(release);
  }

  /** See {@link expectPending}. */
  expectPending(operation: Promise<unknown>, what?: string): Promise<void> {
    return expectPending(operation, this.settleTime, what);
  }

  /**
   * Waits for `operation`, failing with a message naming `what` if it takes longer than `40 × settleTime`, and at
   * least 10 s. This bounds the waits that a bug turns into hangs, so that the test reports what did not happen
   * instead of a jest timeout; it asserts no speed, so it leaves room for a machine busy with other test suites.
   */
  async eventually<T>(operation: Promise<T>, what: string): Promise<T> {
    const limit = Math.max(40 * this.settleTime, eventuallyMinimumMs);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Expected ${what} within ${limit} ms, but it did not happen.`)), limit);
    });
    try {
      return await Promise.race([operation, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Releases every hold, then disposes what the test created, newest first, and reports dispose failures. */
  async cleanup(): Promise<void> {
    for (const release of this.#releasers.splice(0)) {
      release();
    }
    const failures: unknown[] = [];
    for (const resource of this.#resources.splice(0).reverse()) {
      try {
        await resource.dispose();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, "Disposing what the test created failed.");
    }
  }
}
