import { defaultMultiplexedConnectionOptions, type MultiplexedConnectionOptions } from "@icerpc-ts/core/transport";

import { ClientServerConnection } from "./client-server-connection.js";
import { disposeAll, type AsyncResource } from "./dispose-all.js";
import { expectPending, isPending } from "./expect-pending.js";
import type { TransportUnderTest } from "./transport-under-test.js";

const defaultSettleTime = 50;

/**
 * What the tests of one conformance group share: the transport under test, and the connections and listeners the
 * current test created, which `disposeAll` (run after each test) releases so that a failing test leaves nothing
 * behind that could hang the run.
 */
export class ConformanceFixture {
  readonly transport: TransportUnderTest;
  /** See {@link TransportUnderTest.settleTime}. */
  readonly settleTime: number;
  readonly #resources: AsyncResource[] = [];

  constructor(transport: TransportUnderTest) {
    this.transport = transport;
    this.settleTime = transport.settleTime ?? defaultSettleTime;
  }

  /** The connection options of a test: the defaults, overridden by the transport's options, then by `overrides`. */
  options(overrides: Partial<MultiplexedConnectionOptions> = {}): MultiplexedConnectionOptions {
    return { ...defaultMultiplexedConnectionOptions, ...this.transport.connectionOptions, ...overrides };
  }

  /**
   * Listens and creates an unconnected client connection, both with {@link options}`(overrides)` unless
   * `clientOverrides` gives the client its own (see {@link ClientServerConnection.listen}).
   */
  async listen(
    overrides: Partial<MultiplexedConnectionOptions> = {},
    clientOverrides: Partial<MultiplexedConnectionOptions> = overrides,
  ): Promise<ClientServerConnection> {
    return this.track(
      await ClientServerConnection.listen(this.transport, this.options(overrides), this.options(clientOverrides)),
    );
  }

  /** Listens, then connects a client connection and the server connection the listener accepts. */
  async connect(overrides: Partial<MultiplexedConnectionOptions> = {}): Promise<ClientServerConnection> {
    const sut = await this.listen(overrides);
    await sut.acceptAndConnect();
    return sut;
  }

  /** Has `resource` disposed when the test ends; returns it. */
  track<T extends AsyncResource>(resource: T): T {
    this.#resources.push(resource);
    return resource;
  }

  /** See {@link isPending}. */
  isPending(operation: Promise<unknown>): Promise<boolean> {
    return isPending(operation, this.settleTime);
  }

  /** See {@link expectPending}. */
  expectPending(operation: Promise<unknown>): Promise<void> {
    return expectPending(operation, this.settleTime);
  }

  /** Disposes what the test created, the most recent first. */
  disposeAll(): Promise<void> {
    return disposeAll(this.#resources.splice(0).reverse());
  }
}
