// ProtocolConnectionTests (icerpc): connect, shutdown, dispose and the inactivity timeout (reference §2.1, §2.2, §2.4,
// §2.5).
import { expect, test } from "@jest/globals";
import { IceRpcError, InvalidOperationError, ObjectDisposedError, OutgoingResponse } from "@icerpc-ts/core";

import {
  ClientServerProtocolConnection,
  connectPair,
  shutdownWhenRequested,
} from "../../support/client-server-protocol-connection.js";
import {
  expectIceRpcError,
  expectRejectsWith,
  expectRejectsWithType,
  trackSettlement,
} from "../../support/expectations.js";
import { expectPending, handledLater } from "@icerpc-ts/transport-conformance";
import type { ProtocolFixture } from "../../support/protocol-fixture.js";
import { newRequest } from "../../support/requests.js";

/** setTimeout may fire a few milliseconds early relative to performance.now(); C# allows 20 ms on Windows. */
const timerTolerance = 20;

export function declareLifecycleTests(fixture: ProtocolFixture): void {
  for (const closeClientSide of [true, false]) {
    const side = closeClientSide ? "client" : "server";

    test(`ShutdownRequested completes when peer shuts down (${side} requested)`, async () => {
      const { sut, client, server } = await connectPair(fixture);
      const local = closeClientSide ? sut.client : sut.server;
      const peer = closeClientSide ? sut.server : sut.client;

      const shutdown = peer.shutdown();

      await (closeClientSide ? client : server).shutdownRequested;
      // The peer waits for this side's GoAway.
      await fixture.expectPending(shutdown, "the peer's shutdown");
      await local.shutdown();
      await shutdown;
    });

    test(`Shutdown connection (${side} shuts down)`, async () => {
      const { sut, client, server } = await connectPair(fixture);
      void (closeClientSide ? shutdownWhenRequested(sut.server, server) : shutdownWhenRequested(sut.client, client));

      await (closeClientSide ? sut.client : sut.server).shutdown();
    });

    test(`Shutdown cancellation does not abort invocations (${side} shuts down)`, async () => {
      const dispatcher = fixture.dispatcher({ holdCount: 1 });
      const { sut } = await connectPair(fixture, { server: { dispatcher } });
      const invocation = handledLater(sut.client.invoke(newRequest()));
      await dispatcher.dispatchStart;
      const controller = new AbortController();

      const shutdown = (closeClientSide ? sut.client : sut.server).shutdown(controller.signal);
      await fixture.expectPending(shutdown, "the shutdown, which waits for the dispatch");
      controller.abort(new Error("The test canceled the shutdown."));

      await expectRejectsWith(shutdown, controller.signal.reason);
      const state = trackSettlement(invocation);
      await fixture.expectPending(invocation, "the invocation after the canceled shutdown");
      expect(state.settled).toBe(false);
      dispatcher.releaseDispatch();
      await fixture.eventually(invocation, "the invocation to complete");
    });

    test(`Shutdown waits for pending invocation and dispatch to finish (${side} shuts down)`, async () => {
      const dispatcher = fixture.dispatcher({ holdCount: 1, responsePayload: new Uint8Array(10) });
      const { sut, client, server } = await connectPair(fixture, { server: { dispatcher } });
      void (closeClientSide ? shutdownWhenRequested(sut.server, server) : shutdownWhenRequested(sut.client, client));
      const invocation = handledLater(sut.client.invoke(newRequest()));
      await dispatcher.dispatchStart;

      const shutdown = (closeClientSide ? sut.client : sut.server).shutdown();

      const invocationState = trackSettlement(invocation);
      await fixture.expectPending(shutdown, "the shutdown, which waits for the dispatch");
      expect(invocationState.settled).toBe(false);
      dispatcher.releaseDispatch();
      const response = await invocation;
      // The response payload is not read yet: its stream keeps the connection busy.
      await fixture.expectPending(shutdown, "the shutdown, which waits for the response payload to be read");
      expect((await response.payload.readAll()).length).toBe(10);
      await fixture.eventually(shutdown, "the shutdown");
    });
  }

  test("ShutdownRequested completes when inactive", async () => {
    const inactivityTimeout = fixture.shortTimeout;
    const start = performance.now();
    const { client } = await connectPair(fixture, { client: { inactivityTimeout } });

    await fixture.eventually(client.shutdownRequested, "the client's shutdown request");

    expect(performance.now() - start).toBeGreaterThanOrEqual(inactivityTimeout - timerTolerance);
  });

  for (const isOneway of [false, true]) {
    const kind = isOneway ? "one-way" : "two-way";
    for (const deferredBy of ["payload read", "payload write"] as const) {
      test(`ShutdownRequested completes when inactive and inactive timeout deferred by ${deferredBy} (${kind})`, async () => {
        const inactivityTimeout = fixture.shortTimeout;
        const { sut, client } = await connectPair(fixture, {
          client: { inactivityTimeout },
          server: {
            dispatcher: {
              dispatch: async (request) => {
                await request.payload.readAll();
                return new OutgoingResponse();
              },
            },
          },
        });
        // "payload read": the connection waits to read the request payload; "payload write": the server reads it
        // while the client waits to send its end.
        const payload = fixture.payload(deferredBy === "payload read" ? [] : [new Uint8Array(10)], "hold");
        const invocation = handledLater(sut.client.invoke(newRequest({ isOneway, payload })));

        // Pending for longer than the inactivity timeout: the payload being sent keeps the connection active.
        await expectPending(
          client.shutdownRequested,
          inactivityTimeout + fixture.settleTime,
          "the shutdown request while a payload is being sent",
        );
        if (deferredBy === "payload read") {
          payload.push(new Uint8Array(10));
        }
        payload.end();
        const response = await invocation;
        await response.payload.readAll();
        const idleSince = performance.now();

        await fixture.eventually(client.shutdownRequested, "the client's shutdown request");
        expect(performance.now() - idleSince).toBeGreaterThanOrEqual(inactivityTimeout - timerTolerance);
      });
    }
  }

  test("Connection abort completes shutdown requested", async () => {
    const { sut, server } = await connectPair(fixture);

    await sut.client.dispose();

    await fixture.eventually(server.shutdownRequested, "the server's shutdown request");
    await expectIceRpcError(sut.server.shutdown(), IceRpcError.ConnectionAborted);
  });

  test("Dispose cancels dispatches", async () => {
    const dispatcher = fixture.dispatcher({ holdCount: 1 });
    const { sut, client } = await connectPair(fixture, { server: { dispatcher } });
    void shutdownWhenRequested(sut.client, client);
    const invocation = handledLater(sut.client.invoke(newRequest()));
    await dispatcher.dispatchStart;
    const shutdown = sut.server.shutdown();
    // The client received the server's GoAway: the shutdown is under way (C# waits 100 ms for this).
    await client.shutdownRequested;

    await sut.server.dispose();

    expect((await fixture.eventually(dispatcher.dispatchComplete, "the end of the dispatch")).canceled).toBe(true);
    await expectIceRpcError(invocation, IceRpcError.ConnectionAborted, IceRpcError.TruncatedData);
    await expectIceRpcError(shutdown, IceRpcError.OperationAborted);
  });

  test("Dispose aborts pending invocations", async () => {
    const dispatcher = fixture.dispatcher({ holdCount: 1 });
    const { sut } = await connectPair(fixture, { server: { dispatcher } });
    const invocation = handledLater(sut.client.invoke(newRequest()));
    await dispatcher.dispatchStart;

    void sut.client.dispose();

    await expectIceRpcError(invocation, IceRpcError.OperationAborted);
  });

  test("Invoke on shutdown connection fails with invocation refused", async () => {
    const { sut, server } = await connectPair(fixture);
    void shutdownWhenRequested(sut.server, server);
    const shutdown = sut.client.shutdown();

    await expectIceRpcError(sut.client.invoke(newRequest()), IceRpcError.InvocationRefused);
    await shutdown;
  });

  const operations: Array<[string, boolean, (sut: ClientServerProtocolConnection) => Promise<unknown>]> = [
    ["connect", false, (sut) => sut.client.connect()],
    ["invoke", true, (sut) => sut.client.invoke(newRequest())],
    ["shutdown", true, (sut) => sut.client.shutdown()],
  ];
  for (const [name, connect, operation] of operations) {
    test(`Operation throws object disposed exception (${name})`, async () => {
      const sut = connect ? (await connectPair(fixture)).sut : await ClientServerProtocolConnection.create(fixture);
      await sut.client.dispose();

      await expectRejectsWithType(operation(sut), ObjectDisposedError);
    });
  }

  test("Connect cancellation", async () => {
    // Nobody accepts the server side: the client's connect waits until canceled.
    const sut = await ClientServerProtocolConnection.create(fixture);
    const controller = new AbortController();
    const connect = sut.client.connect(controller.signal);
    await fixture.expectPending(connect, "a connect nobody answers");

    controller.abort(new Error("The test canceled the connect."));

    await expectRejectsWith(connect, controller.signal.reason);
  });

  test("Shutdown throws if not connected", async () => {
    const sut = await ClientServerProtocolConnection.create(fixture);

    await expectRejectsWithType(sut.client.shutdown(), InvalidOperationError);
  });

  test("Connect throws object disposed exception after dispose", async () => {
    const sut = await ClientServerProtocolConnection.create(fixture);
    await sut.client.dispose();

    await expectRejectsWithType(sut.client.connect(), ObjectDisposedError);
  });

  test("Shutdown fails when connect is in progress", async () => {
    const sut = await ClientServerProtocolConnection.create(fixture);
    const connect = sut.client.connect();

    await expectRejectsWithType(sut.client.shutdown(), InvalidOperationError);
    await sut.client.dispose();
    await connect.catch(() => {});
  });

  test("Dispose client connection aborts server connection", async () => {
    const dispatcher = fixture.dispatcher({ holdCount: 1 });
    const { sut, server } = await connectPair(fixture, { server: { dispatcher } });
    const serverShutdown = (async () => {
      await server.shutdownRequested;
      await sut.server.shutdown();
    })();
    const invocation = handledLater(sut.client.invoke(newRequest()));
    await dispatcher.dispatchStart;

    void sut.client.dispose();

    expect((await fixture.eventually(dispatcher.dispatchComplete, "the end of the dispatch")).canceled).toBe(true);
    await expectIceRpcError(serverShutdown, IceRpcError.ConnectionAborted);
    await expect(invocation).rejects.toMatchObject({ name: "IceRpcException" });
  });

  test("Shutdown cancels left over dispatches in server", async () => {
    const dispatcher = fixture.dispatcher({ holdCount: 1 });
    const { sut, server } = await connectPair(fixture, { server: { dispatcher } });
    const controller = new AbortController();
    const invocation = handledLater(sut.client.invoke(newRequest(), controller.signal));
    await dispatcher.dispatchStart;
    // With icerpc, this cancels both the invocation and the dispatch.
    controller.abort(new Error("The test canceled the invocation."));

    const clientShutdown = sut.client.shutdown();
    await server.shutdownRequested;

    await expectRejectsWith(invocation, controller.signal.reason);
    expect((await fixture.eventually(dispatcher.dispatchComplete, "the end of the dispatch")).canceled).toBe(true);
    await fixture.expectPending(clientShutdown, "the client's shutdown, which waits for the server's GoAway");
    await sut.server.shutdown();
    await clientShutdown;
  });
}
