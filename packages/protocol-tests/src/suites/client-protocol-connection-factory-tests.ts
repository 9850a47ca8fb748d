// ClientProtocolConnectionFactory: the protocol connections it creates, which an application owns itself (connect,
// invoke, shutdown, dispose), bounded by the connect and shutdown timeouts of its options.
import { expect, test } from "@jest/globals";
import {
  ClientProtocolConnectionFactory,
  IceRpcError,
  StatusCode,
  type ClientProtocolConnectionFactoryOptions,
  type ProtocolConnection,
  type Server,
} from "@icerpc-ts/core";

import { expectIceRpcError, expectTimeoutError } from "../support/expectations.js";
import type { FaultyTransports, ProtocolFixture } from "../support/protocol-fixture.js";
import { newRequest } from "../support/requests.js";

/** A connection from a factory with `transports` and `options` to `server`; disposed by cleanup. */
function createConnection(
  fixture: ProtocolFixture,
  transports: FaultyTransports,
  server: Server,
  options: Omit<ClientProtocolConnectionFactoryOptions, "transports"> = {},
): ProtocolConnection {
  const factory = new ClientProtocolConnectionFactory({ ...options, transports: transports.registry });
  return fixture.track(factory.createConnection(server.serverAddress!));
}

export function declareClientProtocolConnectionFactoryTests(fixture: ProtocolFixture): void {
  test("A created connection connects, invokes and shuts down gracefully", async () => {
    const transports = fixture.createTransports();
    const dispatcher = fixture.dispatcher();
    const server = await fixture.listen(transports, { dispatcher });
    const connection = createConnection(fixture, transports, server);

    const { transportConnectionInformation } = await connection.connect();
    const response = await connection.invoke(newRequest());
    await response.payload.readAll();
    await connection.shutdown();

    expect(transportConnectionInformation.remoteNetworkAddress).toBeDefined();
    expect(response.statusCode).toBe(StatusCode.Ok);
    expect(dispatcher.requests.length).toBe(1);
    expect(await connection.closed).toBeUndefined();
  });

  test("A created connection asks its owner to shut it down when the server shuts down, and does not reconnect", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });
    const connection = createConnection(fixture, transports, server);
    const { shutdownRequested } = await connection.connect();
    await (await connection.invoke(newRequest())).payload.readAll();

    const serverShutdown = server.shutdown();
    await shutdownRequested;

    await expectIceRpcError(connection.invoke(newRequest()), IceRpcError.InvocationRefused);
    await connection.shutdown();
    await serverShutdown;
    expect(transports.client.connections.length).toBe(1);
  });

  // Held connect: the transport handshake never completes. Held streamWrite: the transport connects, but the
  // server's icerpc Settings never arrive.
  for (const held of ["connect", "streamWrite"] as const) {
    test(`Connect times out after the connect timeout (server ${held} held)`, async () => {
      const transports = fixture.createTransports({ server: { hold: [held] } });
      const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });
      const connection = createConnection(fixture, transports, server, { connectTimeout: fixture.shortTimeout });

      await expectTimeoutError(connection.connect());
    });
  }

  test("Shutdown times out after the shutdown timeout", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });
    const connection = createConnection(fixture, transports, server, { shutdownTimeout: fixture.shortTimeout });
    await connection.connect();
    await (await connection.invoke(newRequest())).payload.readAll();
    // The server never reads the client's GoAway, so the shutdown cannot complete.
    (await transports.server.connections.last.acceptedStreams.at(0)).operations.hold("streamRead");

    await expectTimeoutError(connection.shutdown());
  });

  test("The factory's options reach the transport: stream limits only with a dispatcher, the connect timeout", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });

    createConnection(fixture, transports, server, { connectTimeout: 42_000 });
    const withoutDispatcher = transports.client.lastConnectionOptions;
    createConnection(fixture, transports, server, { dispatcher: fixture.dispatcher(), maxBidirectionalStreams: 7 });
    const withDispatcher = transports.client.lastConnectionOptions;

    expect(withoutDispatcher).toEqual({ maxBidirectionalStreams: 0, maxUnidirectionalStreams: 1, handshakeTimeout: 42_000 });
    expect(withDispatcher).toEqual({ maxBidirectionalStreams: 7, maxUnidirectionalStreams: 101, handshakeTimeout: 10_000 });
  });
}
