// What the suites share: resources released after each test, loopback addresses, connected pairs, failure checks.
import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";

import { afterEach, expect } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import {
  defaultMultiplexedConnectionOptions,
  type Listener,
  type MultiplexedConnection,
  type TransportAddress,
  type TransportConnectionInformation,
} from "@icerpc-ts/core/transport";

import { loopbackAddress } from "./test-options.js";
import type { TcpBasedTransport, TcpTransportUnderTest } from "./transport-under-test.js";

export const options = defaultMultiplexedConnectionOptions;

export interface ConnectedPair {
  readonly listener: Listener;
  readonly client: MultiplexedConnection;
  readonly server: MultiplexedConnection;
  readonly clientInformation: TransportConnectionInformation;
  readonly serverInformation: TransportConnectionInformation;
}

/** Resolves with the error `operation` rejects with; fails if it resolves. */
export async function errorOf(operation: Promise<unknown>): Promise<unknown> {
  return operation.then(
    () => {
      throw new Error("The operation succeeded.");
    },
    (error: unknown) => error,
  );
}

export async function expectIceRpcError(operation: Promise<unknown>, error: IceRpcError, message?: RegExp): Promise<void> {
  const failure = await errorOf(operation);
  expect(failure).toBeInstanceOf(IceRpcException);
  expect(IceRpcError[(failure as IceRpcException).error]).toBe(IceRpcError[error]);
  if (message !== undefined) {
    expect((failure as IceRpcException).message).toMatch(message);
  }
}

/** A loopback port nobody listens on (it was just released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

/** The transport under test, with the resources of the running test, released after it. */
export class Fixture {
  readonly transport: TcpTransportUnderTest;
  readonly #cleanups: (() => Promise<unknown>)[] = [];

  /** Call in a `describe` block: registers the release of each test's resources. */
  constructor(transport: TcpTransportUnderTest) {
    this.transport = transport;
    afterEach(async () => {
      for (const cleanup of this.#cleanups.splice(0).reverse()) {
        await cleanup();
      }
    });
  }

  /** A fresh loopback address with an ephemeral port (or `port`). */
  address(port = 0): TransportAddress {
    return loopbackAddress(this.transport.name, port);
  }

  track<T extends { dispose(): Promise<unknown> }>(resource: T): T {
    this.#cleanups.push(() => resource.dispose());
    return resource;
  }

  onCleanup(cleanup: () => Promise<unknown>): void {
    this.#cleanups.push(cleanup);
  }

  /** Listens with `server`, connects a client of `client` and the server connection it accepts. */
  async connectPair(client: TcpBasedTransport, server: TcpBasedTransport): Promise<ConnectedPair> {
    const listener = this.track(await server.listen(this.address(), options));
    const clientConnection = this.track(client.createConnection(listener.address, options));
    const [clientInformation, [serverConnection, serverInformation]] = await Promise.all([
      clientConnection.connect(),
      listener.accept().then(async ({ connection }) => {
        this.track(connection);
        return [connection, await connection.connect()] as const;
      }),
    ]);
    return { listener, client: clientConnection, server: serverConnection, clientInformation, serverInformation };
  }

  /** The client's connect to a listener of `server`, which fails: resolves with the client's error. */
  async failedConnect(client: TcpBasedTransport, server: TcpBasedTransport): Promise<IceRpcException> {
    const listener = this.track(await server.listen(this.address(), options));
    // The server side completes or fails its handshake on its own; its connection, if any, is released.
    void listener.accept().then(async ({ connection }) => {
      this.track(connection);
      await connection.connect().catch(() => {});
    }, () => {});
    const connection = this.track(client.createConnection(listener.address, options));
    const error = await errorOf(connection.connect());
    expect(error).toBeInstanceOf(IceRpcException);
    return error as IceRpcException;
  }
}
