// ServerTests and the Server behaviours of reference §2.1 and §2.6: listen, MaxConnections, MaxPendingConnections,
// the connect timeout, graceful shutdown then dispose, and an accept loop that survives failed connections.
import { getEventListeners } from "node:events";

import { expect, test } from "@jest/globals";
import {
  IceRpcError,
  IceRpcException,
  InvalidOperationError,
  ObjectDisposedError,
  OutgoingResponse,
  Server,
  StatusCode,
} from "@icerpc-ts/core";
import { MultiplexedConnectionCloseError } from "@icerpc-ts/core/transport";

import {
  expectIceRpcError,
  expectRejectsWith,
  expectRejectsWithType,
  trackSettlement,
  yieldToEventLoop,
} from "../support/expectations.js";
import { collectGarbage } from "../support/garbage-collection.js";
import { collectProcessWarnings } from "../support/process-warnings.js";
import type { ProtocolFixture } from "../support/protocol-fixture.js";
import { newRequest } from "../support/requests.js";

/** A server whose dispatcher holds the one request a client sent it, once that dispatch started. */
async function serverWithHeldDispatch(fixture: ProtocolFixture) {
  const transports = fixture.createTransports();
  const dispatcher = fixture.dispatcher({ holdCount: 1 });
  const server = await fixture.listen(transports, { dispatcher });
  const client = fixture.clientConnection(transports, { serverAddress: server.serverAddress! });
  const invocation = client.invoke(newRequest());
  await dispatcher.dispatchStart;
  return { server, client, dispatcher, invocation };
}

export function declareServerTests(fixture: ProtocolFixture): void {
  test("Cannot call listen twice", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });

    await expectRejectsWithType(server.listen(), InvalidOperationError);
  });

  test("Cannot call listen on a disposed server", async () => {
    const transports = fixture.createTransports();
    const server = new Server({
      dispatcher: fixture.dispatcher(),
      serverAddress: fixture.serverAddressOf(fixture.listenAddress()),
      transports: transports.registry,
    });
    await server.dispose();

    await expectRejectsWithType(server.listen(), ObjectDisposedError);
  });

  test("Listen returns the actual server address", async () => {
    const transports = fixture.createTransports();
    const server = fixture.track(
      new Server({
        dispatcher: fixture.dispatcher(),
        serverAddress: fixture.serverAddressOf(fixture.listenAddress()),
        transports: transports.registry,
      }),
    );

    const address = await server.listen();

    const listenerAddress = transports.server.listeners.last.address;
    expect(address).toMatchObject({ host: listenerAddress.host, port: listenerAddress.port, transport: transports.server.name });
    expect(server.serverAddress).toEqual(address);
    await fixture.clientConnection(transports, { serverAddress: address }).connect();
  });

  test("Connection refused after max connections is reached", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher(), maxConnections: 1 });
    const serverAddress = server.serverAddress!;
    await fixture.clientConnection(transports, { serverAddress }).connect();

    await expectIceRpcError(fixture.clientConnection(transports, { serverAddress }).connect(), IceRpcError.ServerBusy);
    expect((await transports.server.connections.at(1)).closeCode).toBe(MultiplexedConnectionCloseError.ServerBusy);
  });

  for (const failure of [true, false]) {
    test(`Connection establishment aborts if connection is refused and close hangs or fails (${failure ? "fails" : "hangs"})`, async () => {
      const transports = fixture.createTransports();
      const server = await fixture.listen(transports, {
        dispatcher: fixture.dispatcher(),
        connectTimeout: fixture.shortTimeout,
        maxConnections: 1,
      });
      const serverAddress = server.serverAddress!;
      await fixture.clientConnection(transports, { serverAddress }).connect();
      transports.server.connectionFaults = failure ? { fail: ["close"] } : { hold: ["close"] };
      const refused = fixture.clientConnection(transports, { serverAddress });

      // The refusal is bounded by the server's connect timeout, as in C#.
      await expectIceRpcError(fixture.eventually(refused.connect(), "the refused connect to fail"), IceRpcError.ConnectionAborted);
      await refused.dispose();
    });
  }

  test("Connection refused after max pending connections is reached", async () => {
    // C# fills a listen backlog of 1, so that the third client is refused; backlogs are transport-specific, so this
    // checks what the server itself does: above MaxPendingConnections it stops accepting until a handshake ends.
    const transports = fixture.createTransports({ server: { hold: ["connect"] } });
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher(), maxPendingConnections: 1 });
    const serverAddress = server.serverAddress!;
    const listener = transports.server.listeners.last;
    const first = fixture.clientConnection(transports, { serverAddress }).connect();
    await transports.server.log.blocked("connect");
    const second = fixture.clientConnection(transports, { serverAddress }).connect();

    await fixture.expectPending(second, "the connect beyond MaxPendingConnections");
    expect(listener.operations.calls("accept")).toBe(1);
    transports.server.connectionFaults = {};
    transports.server.connections.last.operations.release("connect");
    await fixture.eventually(Promise.all([first, second]), "both connects once the first handshake ended");
  });

  test("A burst of 400 connections, 100 of them in their handshake at once, leaves one listener on the server's signal and prints no leak warning", async () => {
    // Every handshake's deadline follows the server's signal, which its accept loop waits with too: Node warns of a
    // leak past 10 listeners on one signal, which a server must not do under load.
    const leakWarnings = collectProcessWarnings("MaxListenersExceededWarning");
    fixture.onCleanup(() => leakWarnings.stop());
    const transports = fixture.createTransports({ server: { hold: ["connect"] } });
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher(), maxPendingConnections: 100 });
    const serverAddress = server.serverAddress!;
    const connects = Promise.all(
      Array.from({ length: 400 }, () => fixture.clientConnection(transports, { serverAddress }).connect()),
    );
    connects.catch(() => {}); // awaited below, unless an expectation fails first

    await fixture.eventually(transports.server.log.blocked("connect", 100), "100 server handshakes under way");
    expect(getEventListeners(transports.server.listeners.last.acceptSignal!, "abort")).toHaveLength(1);
    transports.server.connectionFaults = {};
    for (const connection of transports.server.connections) {
      connection.operations.release("connect");
    }
    await fixture.eventually(connects, "the 400 connects");
    await yieldToEventLoop(); // a warning is emitted on the next tick
    expect(leakWarnings.messages).toEqual([]);
  });

  test("Connection accepted when max connections is reached then decremented", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher(), maxConnections: 1 });
    const serverAddress = server.serverAddress!;
    const first = fixture.clientConnection(transports, { serverAddress });
    await first.connect();
    const firstServerSide = transports.server.connections.last;
    await expectIceRpcError(fixture.clientConnection(transports, { serverAddress }).connect(), IceRpcError.ServerBusy);

    await first.shutdown();
    // The server forgets the connection once it disposed it (C# waits 50 ms after the dispose call).
    await firstServerSide.operations.finished("dispose");
    await yieldToEventLoop();

    await fixture.clientConnection(transports, { serverAddress }).connect();
  });

  test("Dispose waits for background connection dispose", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });
    const client = fixture.clientConnection(transports, { serverAddress: server.serverAddress! });
    await (await client.invoke(newRequest())).payload.readAll();
    const serverConnection = transports.server.connections.last;
    serverConnection.operations.hold("dispose");

    // The client's shutdown makes the server shut down and dispose its side in the background.
    await client.shutdown();
    const dispose = server.dispose();

    await serverConnection.operations.blocked("dispose");
    await fixture.expectPending(dispose, "the server's dispose, which waits for the connection's");
    serverConnection.operations.release("dispose");
    await fixture.eventually(dispose, "the server's dispose");
  });

  // C#'s AuthenticationException case has no counterpart: TLS failures surface in connect, not in accept.
  test("Server continues accepting connections on non fatal accept exception (IceRpcException)", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });
    const listener = transports.server.listeners.last;
    // The accept loop already waits in accept: the failure applies to the connection it gets next.
    await listener.operations.reached("accept");
    listener.operations.fail("accept", new IceRpcException(IceRpcError.IceRpcError));
    const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress!, connectTimeout: fixture.shortTimeout });

    // The faulty listener disposes the connection it failed to hand over.
    await expectIceRpcError(connection.connect(), IceRpcError.ConnectionAborted);
    listener.operations.succeed("accept");

    await fixture.eventually(connection.connect(), "a connect after the failed accept");
  });

  for (const [name, createError] of [
    ["ObjectDisposedError", () => new ObjectDisposedError("listener")],
    ["Error", () => new Error("The listener failed.")],
  ] as const) {
    test(`Server stops accepting connections on fatal accept exception (${name})`, async () => {
      const transports = fixture.createTransports();
      const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });
      const listener = transports.server.listeners.last;
      await listener.operations.reached("accept");
      listener.operations.fail("accept", createError());
      const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress!, connectTimeout: fixture.shortTimeout });

      await expectIceRpcError(connection.connect(), IceRpcError.ConnectionAborted);

      // The server disposed its listener: the next connect is refused.
      await expectIceRpcError(connection.connect(), IceRpcError.ConnectionRefused);
    });
  }

  test("Server connect timeout is transmitted as handshake timeout to multiplexed transport", async () => {
    const transports = fixture.createTransports();

    await fixture.listen(transports, { dispatcher: fixture.dispatcher(), connectTimeout: 42_000 });

    expect(transports.server.lastListenOptions?.handshakeTimeout).toBe(42_000);
  });

  for (const held of ["connect", "streamRead"] as const) {
    test(`Server aborts a connection whose handshake exceeds its connect timeout (${held} held)`, async () => {
      // "streamRead" holds the server's read of the client's Settings: the icerpc part of the handshake. The client
      // may then be connected already (it has the server's Settings), and loses the connection afterwards.
      const transports = fixture.createTransports({ server: { hold: [held] } });
      const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher(), connectTimeout: fixture.shortTimeout });
      const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress! });

      const connect = connection.connect();
      connect.catch(() => {});

      const serverSide = await transports.server.connections.at(0);
      await collectGarbage(); // the timer must not depend on anything a collection can take (a CI run once hung here)
      await fixture.eventually(serverSide.operations.finished("dispose"), "the server to dispose the connection");
      if (held === "connect") {
        await expectIceRpcError(connect, IceRpcError.ConnectionAborted);
      }
    });
  }

  test("Accept loop survives failed handshakes", async () => {
    const transports = fixture.createTransports({ server: { fail: ["connect"] } });
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });
    const serverAddress = server.serverAddress!;

    await expectIceRpcError(fixture.clientConnection(transports, { serverAddress }).connect(), IceRpcError.ConnectionAborted);
    transports.server.connectionFaults = {};

    await fixture.eventually(fixture.clientConnection(transports, { serverAddress }).connect(), "the next connect");
  });

  test("Graceful shutdown waits for dispatches, then dispose", async () => {
    const { server, client, dispatcher, invocation } = await serverWithHeldDispatch(fixture);

    const shutdown = server.shutdown();

    const invocationState = trackSettlement(invocation);
    await fixture.expectPending(shutdown, "the server's shutdown, which waits for the dispatch");
    expect(invocationState.settled).toBe(false);
    dispatcher.releaseDispatch();
    const response = await invocation;
    expect(response.statusCode).toBe(StatusCode.Ok);
    await response.payload.readAll();
    await fixture.eventually(shutdown, "the server's shutdown");
    // The server no longer listens: the client cannot reconnect.
    await expectIceRpcError(client.invoke(newRequest()), IceRpcError.ConnectionRefused);
    await server.dispose();
  });

  test("Shutdown can be canceled: the connections are disposed and shutdown rejects with the signal's reason", async () => {
    const { server, invocation } = await serverWithHeldDispatch(fixture);
    const controller = new AbortController();

    const shutdown = server.shutdown(controller.signal);
    await fixture.expectPending(shutdown, "the server's shutdown, which waits for the dispatch");
    controller.abort(new Error("The test canceled the shutdown."));

    await expectRejectsWith(shutdown, controller.signal.reason);
    // The dispatch was not released: only the disposal of its connection ends the invocation.
    await expectIceRpcError(invocation, IceRpcError.ConnectionAborted);
    await expectRejectsWithType(server.shutdown(), ObjectDisposedError);
  });

  test("Cannot call shutdown twice", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });

    const shutdown = server.shutdown();

    await expectRejectsWithType(server.shutdown(), InvalidOperationError);
    await shutdown;
  });

  test("Connection options are flat, as for ClientConnection and ConnectionCache", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: () => new OutgoingResponse(), maxBidirectionalStreams: 3 });

    expect(transports.server.lastListenOptions).toMatchObject({ maxBidirectionalStreams: 3 });
    const response = await fixture.clientConnection(transports, { serverAddress: server.serverAddress! }).invoke(newRequest());
    expect(response.statusCode).toBe(StatusCode.Ok);
  });

  test("Listen returns an address that prints as its URI", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, { dispatcher: fixture.dispatcher() });

    const address = server.serverAddress!;

    expect(`${address}`).toMatch(new RegExp(`^icerpc://.*:${address.port}\\?transport=${transports.server.name}`));
    expect(String(server)).toBe(String(address));
  });
}
