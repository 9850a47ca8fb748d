// ClientConnectionTests and the ClientConnection behaviours of reference §2.6: connecting on first use, reconnecting
// after the server shut down or failed, transparent retry of refused invocations, server address compatibility,
// connect and shutdown timeouts.
import { expect, test } from "@jest/globals";
import {
  IceRpcError,
  InvalidOperationError,
  OutgoingResponse,
  ServiceAddress,
  StatusCode,
  type Invoker,
  type OutgoingRequest,
  type Server,
  ServerAddress,
} from "@icerpc-ts/core";

import {
  expectIceRpcError,
  expectRejectsWith,
  expectRejectsWithType,
  expectTimeoutError,
} from "../support/expectations.js";
import { collectGarbage } from "../support/garbage-collection.js";
import type { FaultyTransports, ProtocolFixture } from "../support/protocol-fixture.js";
import { callBack, newRequest } from "../support/requests.js";

/** A request to `path` on `serverAddress` (and its alt-servers). */
function requestTo(
  serverAddress: ServerAddress | string | undefined,
  altServerAddresses: (ServerAddress | string)[] = [],
  path = "/path",
): OutgoingRequest {
  const serviceAddress =
    serverAddress === undefined
      ? ServiceAddress.parse(`icerpc:${path}`)
      : new ServiceAddress({ path, serverAddress, altServerAddresses });
  return newRequest({}, serviceAddress);
}

/** A listening server whose dispatcher answers Ok (C#'s tests use a NotFound dispatcher; the status is irrelevant). */
function listen(fixture: ProtocolFixture, transports: FaultyTransports, options: { serverAddress?: ServerAddress } = {}): Promise<Server> {
  return fixture.listen(transports, { dispatcher: fixture.dispatcher(), ...options });
}

/** Waits until the server side of a client's connection finished connecting: a request round trip proves it. */
async function roundTrip(invoker: Invoker): Promise<void> {
  await (await invoker.invoke(newRequest())).payload.readAll();
}

export function declareClientConnectionTests(fixture: ProtocolFixture): void {
  test("Connect returns transport connection information", async () => {
    const transports = fixture.createTransports();
    const server = await listen(fixture, transports);
    const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress! });

    const information = await connection.connect();

    expect(information.localNetworkAddress).toBeDefined();
    expect(information.remoteNetworkAddress).toBeDefined();
  });

  test("Connect times out after connect timeout", async () => {
    const transports = fixture.createTransports({ server: { hold: ["connect"] } });
    const server = await listen(fixture, transports);
    const connection = fixture.clientConnection(transports, {
      serverAddress: server.serverAddress!,
      connectTimeout: fixture.shortTimeout,
    });

    const connect = connection.connect();
    await collectGarbage(); // the timer must not depend on anything a collection can take
    await expectTimeoutError(connect);
  });

  test("Connect can be canceled", async () => {
    const transports = fixture.createTransports({ server: { hold: ["connect"] } });
    const server = await listen(fixture, transports);
    const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress! });
    const controller = new AbortController();
    const connect = connection.connect(controller.signal);
    await transports.server.log.blocked("connect");

    controller.abort(new Error("The test canceled the connect."));

    await expectRejectsWith(connect, controller.signal.reason);
  });

  for (const [name, stop] of [
    ["underlying connection shutdown", async (server: Server) => server.shutdown()],
    ["peer abort", async (server: Server) => server.dispose()],
  ] as const) {
    test(`Connection can reconnect after ${name}`, async () => {
      const transports = fixture.createTransports();
      const server = await listen(fixture, transports);
      const serverAddress = server.serverAddress!;
      const connection = fixture.clientConnection(transports, { serverAddress });
      await connection.connect();

      await stop(server);
      await server.dispose();
      await listen(fixture, transports, { serverAddress });

      await connection.connect();
    });
  }

  test("Connection invoke reconnect after underlying connection shutdown", async () => {
    const transports = fixture.createTransports();
    const server = await listen(fixture, transports);
    const serverAddress = server.serverAddress!;
    const connection = fixture.clientConnection(transports, { serverAddress });
    // A round trip, not just connect: over a network the client's connect resolves one hop before the server's side
    // of the handshake completes, and a server shut down in between aborts that connection instead of closing it
    // gracefully, which the client may learn only after its next invocation started.
    await roundTrip(connection);
    await server.shutdown();
    await server.dispose();
    const newDispatcher = fixture.dispatcher();
    await fixture.listen(transports, { dispatcher: newDispatcher, serverAddress });

    const response = await connection.invoke(newRequest());

    expect(response.statusCode).toBe(StatusCode.Ok);
    expect(newDispatcher.requests.length).toBe(1);
  });

  test("Connection can connect after connect failure", async () => {
    const transports = fixture.createTransports();
    // An address nobody listens on any more, that a new server can take.
    const gone = await listen(fixture, transports);
    const serverAddress = gone.serverAddress!;
    await gone.dispose();
    const connection = fixture.clientConnection(transports, { serverAddress });

    await expectIceRpcError(connection.connect(), IceRpcError.ConnectionRefused);
    await listen(fixture, transports, { serverAddress });

    await connection.connect();
  });

  test("Connection can dispatch callbacks", async () => {
    const transports = fixture.createTransports();
    const callbackDispatcher = fixture.dispatcher();
    const server = await fixture.listen(transports, {
      dispatcher: callBack,
    });
    const connection = fixture.clientConnection(transports, {
      serverAddress: server.serverAddress!,
      dispatcher: callbackDispatcher,
    });

    await connection.invoke(newRequest());

    expect((await callbackDispatcher.dispatchStart).operation).toBe("callback");
  });

  test("A dispatch function serves callbacks, as a Dispatcher does", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, {
      dispatcher: callBack,
    });
    const operations: string[] = [];
    const connection = fixture.clientConnection(transports, {
      serverAddress: server.serverAddress!,
      dispatcher: (request) => {
        operations.push(request.operation);
        return new OutgoingResponse();
      },
    });

    const response = await connection.invoke(newRequest());

    expect(response.statusCode).toBe(StatusCode.Ok);
    expect(operations).toEqual(["callback"]);
  });

  test("Cannot call shutdown twice", async () => {
    const transports = fixture.createTransports();
    const server = await listen(fixture, transports);
    const connection = fixture.clientConnection(transports, { serverAddress: `${server.serverAddress}` });
    await roundTrip(connection);

    const shutdown = connection.shutdown();

    await expectRejectsWithType(connection.shutdown(), InvalidOperationError);
    await shutdown;
  });

  test("Stream limits advertised to the transport: none for a connection without dispatcher, one more unidirectional for the control stream", async () => {
    const transports = fixture.createTransports();
    const server = await fixture.listen(transports, {
      dispatcher: fixture.dispatcher(),
      maxBidirectionalStreams: 7,
      maxUnidirectionalStreams: 9,
    });
    expect(transports.server.lastListenOptions).toMatchObject({ maxBidirectionalStreams: 7, maxUnidirectionalStreams: 10 });

    await fixture.clientConnection(transports, { serverAddress: server.serverAddress! }).connect();
    expect(transports.client.lastConnectionOptions).toMatchObject({ maxBidirectionalStreams: 0, maxUnidirectionalStreams: 1 });

    await fixture.clientConnection(transports, { serverAddress: server.serverAddress!, dispatcher: fixture.dispatcher() }).connect();
    expect(transports.client.lastConnectionOptions).toMatchObject({ maxBidirectionalStreams: 100, maxUnidirectionalStreams: 101 });
  });

  test.each([
    ["two-way", false, "no bidirectional stream"],
    ["one-way", true, "1 unidirectional stream, for its control stream"],
  ])("A server's %s callback to a client without dispatcher fails at once with LimitExceeded, saying why", async (_, isOneway, limit) => {
    const transports = fixture.createTransports();
    let callback: Promise<unknown> | undefined;
    const server = await fixture.listen(transports, {
      dispatcher: (request) => {
        callback = request.connectionContext.invoker.invoke(newRequest({ operation: "callback", isOneway }));
        // It fails before the test awaits it: handled here, so that Node does not report an unhandled rejection.
        callback.catch(() => undefined);
        return new OutgoingResponse();
      },
    });
    const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress! });

    await roundTrip(connection);

    // The client advertised no stream for requests, and a peer's limits never grow: waiting would never end (it did,
    // as it does in IceRPC C#, #2009).
    const error = await expectIceRpcError(callback!, IceRpcError.LimitExceeded);
    expect(error.message).toContain(`it allows ${limit}`);
    expect(error.message).toContain("only when it is created with a dispatcher");
  });

  const compatible: Array<[string, (address: ServerAddress) => OutgoingRequest]> = [
    ["same server address and transport", (address) => requestTo(address)],
    ["server address without transport", (address) => requestTo(new ServerAddress({ ...address, transport: undefined }))],
    ["alt-server address", (address) => requestTo("icerpc://other.example", [address])],
    ["no server address", () => requestTo(undefined)],
  ];
  for (const [name, request] of compatible) {
    test(`InvokeAsync succeeds with a compatible server address (${name})`, async () => {
      const transports = fixture.createTransports();
      const server = await listen(fixture, transports);
      const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress! });

      const response = await connection.invoke(request(server.serverAddress!));

      expect(response.statusCode).toBe(StatusCode.Ok);
    });
  }

  // C#'s ice:// cases have no counterpart: icerpc-ts supports only the icerpc protocol.
  const incompatible: Array<[string, (name: string) => [string, string]]> = [
    ["other transport", (name) => [`icerpc://foo.example?transport=${name}`, "icerpc://foo.example?transport=other"]],
    ["transport given to the request only", (name) => ["icerpc://foo.example", `icerpc://foo.example?transport=${name}-other`]],
    ["other host", (name) => [`icerpc://foo.example?transport=${name}`, `icerpc://bar.example?transport=${name}`]],
    ["other port", (name) => [`icerpc://foo.example?transport=${name}`, `icerpc://foo.example:10000?transport=${name}`]],
    ["other parameters", (name) => [`icerpc://foo.example?transport=${name}`, `icerpc://foo.example?transport=${name}&t=10000`]],
  ];

  for (const [name, addresses] of incompatible) {
    test(`InvokeAsync fails without a compatible server address (${name})`, async () => {
      const transports = fixture.createTransports();
      const [connectionAddress, requestAddress] = addresses(transports.client.name);
      const connection = fixture.clientConnection(transports, { serverAddress: connectionAddress });

      await expectRejectsWithType(connection.invoke(requestTo(requestAddress)), InvalidOperationError);
      // Refused before any connection attempt.
      expect(transports.client.connections.length).toBe(0);
    });
  }

  test("Dispose aborts connect", async () => {
    const transports = fixture.createTransports({ client: { hold: ["connect"] } });
    const server = await listen(fixture, transports);
    const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress! });
    const connect = connection.connect();
    await transports.client.log.blocked("connect");

    await connection.dispose();

    await expectIceRpcError(connect, IceRpcError.OperationAborted);
  });

  test("Shutdown times out after shutdown timeout", async () => {
    const transports = fixture.createTransports();
    const server = await listen(fixture, transports);
    const connection = fixture.clientConnection(transports, {
      serverAddress: server.serverAddress!,
      shutdownTimeout: fixture.shortTimeout,
    });
    await roundTrip(connection);
    // The server never reads the client's GoAway, so the shutdown cannot complete.
    (await transports.server.connections.last.acceptedStreams.at(0)).operations.hold("streamRead");

    const shutdown = connection.shutdown();
    await collectGarbage(); // the timer must not depend on anything a collection can take
    await expectTimeoutError(shutdown);
  });

  test("Shutdown can be canceled", async () => {
    const transports = fixture.createTransports();
    const server = await listen(fixture, transports);
    const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress! });
    await roundTrip(connection);
    // The server's GoAway write is held, so the shutdown cannot complete.
    const serverControlStream = await transports.server.connections.last.createdStreams.at(0);
    serverControlStream.operations.hold("streamWrite");
    const controller = new AbortController();

    const shutdown = connection.shutdown(controller.signal);
    await serverControlStream.operations.blocked("streamWrite");
    controller.abort(new Error("The test canceled the shutdown."));

    await expectRejectsWith(shutdown, controller.signal.reason);
  });

  test("Connect timeout is transmitted as handshake timeout to multiplexed transport", async () => {
    const transports = fixture.createTransports();
    const server = await listen(fixture, transports);
    const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress!, connectTimeout: 42_000 });

    await connection.connect();

    expect(transports.client.lastConnectionOptions?.handshakeTimeout).toBe(42_000);
  });

  // Reference §2.6: an invocation the connection refused before sending it is retried on a new connection.
  test("Invocation refused by a shutting down connection is retried on a new connection", async () => {
    const transports = fixture.createTransports();
    const dispatcher = fixture.dispatcher();
    // The server side of the first connection goes idle, so the server shuts it down while the invocation waits.
    const server = await fixture.listen(transports, { dispatcher, inactivityTimeout: fixture.shortTimeout });
    const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress! });
    await connection.connect();
    const first = transports.client.connections.last;
    first.operations.hold("createStream");

    const response = await fixture.eventually(connection.invoke(newRequest()), "the retried invocation");

    expect(response.statusCode).toBe(StatusCode.Ok);
    expect(transports.client.connections.length).toBe(2);
    expect(dispatcher.requests.length).toBe(1);
  });

  test("Invoke after shutdown fails with invocation refused", async () => {
    const transports = fixture.createTransports();
    const server = await listen(fixture, transports);
    const connection = fixture.clientConnection(transports, { serverAddress: server.serverAddress! });
    await connection.connect();

    await connection.shutdown();

    await expectIceRpcError(connection.invoke(newRequest()), IceRpcError.InvocationRefused);
  });
}
