// ConnectionCacheTests and the ConnectionCache behaviours of reference §2.6: existing connections first, the main
// server address before the alt-servers, fail-over on refused, busy, aborted, unreachable or timed out servers.
import { expect, test } from "@jest/globals";
import {
  IceRpcError,
  IceRpcException,
  InvalidOperationError,
  OutgoingResponse,
  serverAddressFeature,
  ServiceAddress,
  StatusCode,
  type ConnectionCache,
  type Invoker,
  type ServerAddress,
} from "@icerpc-ts/core";

import type { ConnectionFaults } from "../faulty-transport/faulty-client-transport.js";
import { expectIceRpcError, expectRejectsWith, expectRejectsWithType } from "../support/expectations.js";
import type { FaultyTransports, ProtocolFixture } from "../support/protocol-fixture.js";
import { callBack, newRequest } from "../support/requests.js";
import type { TestDispatcher } from "../support/test-dispatcher.js";

/** A request to `serverAddress` with `altServerAddresses`. */
function requestTo(serverAddress: ServerAddress, altServerAddresses: ServerAddress[] = []) {
  return newRequest({}, new ServiceAddress({ serverAddress, altServerAddresses }));
}

/** Sends an empty request through `invoker` and returns the server address the cache settled on. */
async function sendEmptyRequest(invoker: Invoker, serverAddress: ServerAddress, altServerAddresses: ServerAddress[] = []): Promise<ServerAddress | undefined> {
  const request = requestTo(serverAddress, altServerAddresses);
  const response = await invoker.invoke(request);
  await response.payload.readAll();
  expect(response.statusCode).toBe(StatusCode.Ok);
  return request.features.get(serverAddressFeature)?.serverAddress;
}

/** Two listening servers, "foo" and "bar", each with its own dispatcher. */
async function twoServers(fixture: ProtocolFixture, transports: FaultyTransports): Promise<{
  foo: ServerAddress;
  bar: ServerAddress;
  fooDispatcher: TestDispatcher;
  barDispatcher: TestDispatcher;
}> {
  const fooDispatcher = fixture.dispatcher();
  const barDispatcher = fixture.dispatcher();
  const foo = (await fixture.listen(transports, { dispatcher: fooDispatcher })).serverAddress!;
  const bar = (await fixture.listen(transports, { dispatcher: barDispatcher })).serverAddress!;
  return { foo, bar, fooDispatcher, barDispatcher };
}

/** An address nobody listens on: a server listened there and is gone. */
async function deadAddress(fixture: ProtocolFixture, transports: FaultyTransports): Promise<ServerAddress> {
  const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });
  const address = server.serverAddress!;
  await server.dispose();
  return address;
}

/** Client connection faults that apply only to connections to `address`. */
function faultsFor(address: ServerAddress, faults: ConnectionFaults): ConnectionFaults {
  return (target) => (target.host === address.host && target.port === address.port ? (typeof faults === "function" ? faults(target) : faults) : {});
}

export function declareConnectionCacheTests(fixture: ProtocolFixture): void {
  test("Do not prefer existing connection", async () => {
    const transports = fixture.createTransports();
    const { foo, bar, fooDispatcher } = await twoServers(fixture, transports);
    const cache = fixture.connectionCache(transports, { preferExistingConnection: false });
    await sendEmptyRequest(cache, bar);

    const selected = await sendEmptyRequest(cache, foo, [bar]);

    expect(selected?.host).toBe(foo.host);
    expect(fooDispatcher.requests.length).toBe(1);
  });

  test("Get connection for alt server", async () => {
    const transports = fixture.createTransports();
    const { foo, fooDispatcher } = await twoServers(fixture, transports);
    const cache = fixture.connectionCache(transports);

    const selected = await sendEmptyRequest(cache, await deadAddress(fixture, transports), [foo]);

    expect(selected?.host).toBe(foo.host);
    expect(fooDispatcher.requests.length).toBe(1);
  });

  test("Get connection when primary server busy", async () => {
    const transports = fixture.createTransports();
    const primary = (await fixture.listen(transports, { dispatcher: fixture.dispatcher(), maxConnections: 1 })).serverAddress!;
    const altDispatcher = fixture.dispatcher();
    const alt = (await fixture.listen(transports, { dispatcher: altDispatcher })).serverAddress!;
    // The primary's only connection is taken.
    await fixture.clientConnection(transports, { serverAddress: primary }).connect();
    const cache = fixture.connectionCache(transports);

    const selected = await sendEmptyRequest(cache, primary, [alt]);

    expect(selected).toEqual(alt);
    expect(altDispatcher.requests.length).toBe(1);
  });

  test("Get connection for main server address", async () => {
    const transports = fixture.createTransports();
    const { foo, bar, fooDispatcher, barDispatcher } = await twoServers(fixture, transports);
    const cache = fixture.connectionCache(transports);

    const selected = await sendEmptyRequest(cache, foo, [bar]);

    expect(selected?.host).toBe(foo.host);
    expect(fooDispatcher.requests.length).toBe(1);
    expect(barDispatcher.requests.length).toBe(0);
  });

  test("Prefer existing connection", async () => {
    const transports = fixture.createTransports();
    const { foo, bar, barDispatcher } = await twoServers(fixture, transports);
    const cache = fixture.connectionCache(transports);
    await sendEmptyRequest(cache, bar);

    const selected = await sendEmptyRequest(cache, foo, [bar]);

    expect(barDispatcher.requests.length).toBe(2);
    // The request's server address feature names the server it went to, as in C#.
    expect(selected?.host).toBe(bar.host);
  });

  test("Dispose waits for background connection dispose", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });
    const cache = fixture.connectionCache(transports);
    await sendEmptyRequest(cache, server.serverAddress!);
    const clientConnection = transports.client.connections.last;
    clientConnection.operations.hold("dispose");

    // The server's shutdown makes the cache shut down and dispose its connection in the background.
    await server.shutdown();
    const dispose = cache.dispose();

    await clientConnection.operations.blocked("dispose");
    await fixture.expectPending(dispose, "the cache's dispose, which waits for the connection's");
    clientConnection.operations.release("dispose");
    await fixture.eventually(dispose, "the cache's dispose");
  });

  test("Connect timeout is transmitted as handshake timeout to multiplexed transport", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });
    const cache = fixture.connectionCache(transports, { connectTimeout: 42_000 });

    await sendEmptyRequest(cache, server.serverAddress!);

    expect(transports.client.lastConnectionOptions?.handshakeTimeout).toBe(42_000);
  });

  const failoverErrors = [
    IceRpcError.ConnectionAborted,
    IceRpcError.ConnectionRefused,
    IceRpcError.ServerBusy,
    IceRpcError.ServerUnreachable,
  ];
  for (const error of failoverErrors) {
    test(`Get connection for alt server when the main server fails with ${IceRpcError[error]}`, async () => {
      const transports = fixture.createTransports();
      const { foo, bar, fooDispatcher, barDispatcher } = await twoServers(fixture, transports);
      transports.client.connectionFaults = faultsFor(foo, { fail: ["connect"], failure: new IceRpcException(error) });
      const cache = fixture.connectionCache(transports);

      const selected = await sendEmptyRequest(cache, foo, [bar]);

      expect(selected?.host).toBe(bar.host);
      expect(barDispatcher.requests.length).toBe(1);
      expect(fooDispatcher.requests.length).toBe(0);
    });
  }

  test("Get connection for alt server when connecting to the main server times out", async () => {
    const transports = fixture.createTransports();
    const { foo, bar, barDispatcher } = await twoServers(fixture, transports);
    transports.client.connectionFaults = faultsFor(foo, { hold: ["connect"] });
    const cache = fixture.connectionCache(transports, { connectTimeout: fixture.shortTimeout });

    const selected = await sendEmptyRequest(cache, foo, [bar]);

    expect(selected?.host).toBe(bar.host);
    expect(barDispatcher.requests.length).toBe(1);
  });

  test("No fail over when the main server fails with another error", async () => {
    const transports = fixture.createTransports();
    const { foo, bar, barDispatcher } = await twoServers(fixture, transports);
    const failure = new IceRpcException(IceRpcError.IceRpcError, "The test failed this connection.");
    transports.client.connectionFaults = faultsFor(foo, { fail: ["connect"], failure });
    const cache = fixture.connectionCache(transports);

    await expectRejectsWith(cache.invoke(requestTo(foo, [bar])), failure);
    expect(barDispatcher.requests.length).toBe(0);
  });

  test("The last error is reported when every server fails", async () => {
    const transports = fixture.createTransports();
    const first = await deadAddress(fixture, transports);
    const second = await deadAddress(fixture, transports);
    const cache: ConnectionCache = fixture.connectionCache(transports);

    await expectIceRpcError(cache.invoke(requestTo(first, [second])), IceRpcError.ConnectionRefused);
  });

  test("A request without server address is refused", async () => {
    const transports = fixture.createTransports();
    const cache = fixture.connectionCache(transports);

    await expectRejectsWithType(cache.invoke(newRequest({}, "icerpc:/path")), InvalidOperationError);
  });

  test("Shutdown can be canceled: the connections are disposed and shutdown rejects with the signal's reason", async () => {
    const transports = fixture.createTransports();
    const dispatcher = fixture.dispatcher({ holdCount: 1 });
    const server = await fixture.listen(transports, { dispatcher });
    const cache = fixture.connectionCache(transports);
    const invocation = cache.invoke(requestTo(server.serverAddress!));
    await dispatcher.dispatchStart;
    const controller = new AbortController();

    const shutdown = cache.shutdown(controller.signal);
    await fixture.expectPending(shutdown, "the cache's shutdown, which waits for the invocation");
    controller.abort(new Error("The test canceled the shutdown."));

    await expectRejectsWith(shutdown, controller.signal.reason);
    await expectIceRpcError(invocation, IceRpcError.OperationAborted);
  });

  test("Cannot call shutdown twice", async () => {
    const transports = fixture.createTransports();
    const cache = fixture.connectionCache(transports);

    const shutdown = cache.shutdown();

    await expectRejectsWithType(cache.shutdown(), InvalidOperationError);
    await shutdown;
  });

  test("A dispatch function given with the flat connection options serves callbacks", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, {
      dispatcher: callBack,
    });
    const cache = fixture.connectionCache(transports, { dispatcher: () => new OutgoingResponse(), maxDispatches: 1 });

    const response = await cache.invoke(requestTo(server.serverAddress!));

    expect(response.statusCode).toBe(StatusCode.Ok);
  });
}
