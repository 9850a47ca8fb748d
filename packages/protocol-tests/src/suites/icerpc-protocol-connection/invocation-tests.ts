// IceRpcProtocolConnectionTests: invocation and dispatch cancellation, transport failures during invocations, and
// requests caught by GoAway (reference §2.3, §2.4).
import { getEventListeners } from "node:events";
import { expect, test } from "@jest/globals";
import {
  IceRpcError,
  IceRpcException,
  InvalidOperationError,
  ObjectDisposedError,
  OutgoingResponse,
  StatusCode,
  type IncomingRequest,
} from "@icerpc-ts/core";
import { Deferred } from "@icerpc-ts/primitives";

import type { TransportOperation } from "../../faulty-transport/transport-operation.js";
import { RawPeer } from "../../raw-peer/raw-peer.js";
import { responseHeader } from "../../raw-peer/wire-format.js";
import {
  ClientServerProtocolConnection,
  connectPair,
  shutdownWhenRequested,
} from "../../support/client-server-protocol-connection.js";
import { describeError, expectIceRpcError, expectRejectsWith, trackSettlement } from "../../support/expectations.js";
import { handledLater, rejectionOf } from "@icerpc-ts/transport-conformance";
import { collectProcessWarnings } from "../../support/process-warnings.js";
import type { ProtocolFixture } from "../../support/protocol-fixture.js";
import { newRequest } from "../../support/requests.js";

/** What a dispatcher that reads its request payload chunk by chunk saw. */
interface PayloadReading {
  /** The first chunk read. */
  readonly firstChunk: Promise<Uint8Array | null>;
  /** Undefined once the payload was read to its end, else the error the read failed with. */
  readonly outcome: Promise<unknown>;
}

/**
 * A dispatcher that reads its request payload to the end inside the dispatch (C#'s `ConsumePayloadDispatcher` with
 * `returnResponseFirst: false`) and reports what happened; a failed read is rethrown, so the response carries the
 * status it maps to.
 */
function payloadReadingDispatcher(): { dispatch(request: IncomingRequest): Promise<OutgoingResponse>; reading: PayloadReading } {
  const firstChunk = new Deferred<Uint8Array | null>();
  const outcome = new Deferred<unknown>();
  return {
    reading: { firstChunk: firstChunk.promise, outcome: outcome.promise },
    async dispatch(request) {
      try {
        let chunk = await request.payload.read();
        firstChunk.resolve(chunk);
        while (chunk !== null) {
          chunk = await request.payload.read();
        }
        outcome.resolve(undefined);
      } catch (error) {
        outcome.resolve(error);
        throw error;
      }
      return new OutgoingResponse();
    },
  };
}

export function declareInvocationTests(fixture: ProtocolFixture): void {
  test("Invocation cancellation triggers dispatch cancellation", async () => {
    const dispatcher = fixture.dispatcher({ holdCount: 1 });
    const { sut } = await connectPair(fixture, { server: { dispatcher } });
    const controller = new AbortController();
    const invocation = handledLater(sut.client.invoke(newRequest(), controller.signal));
    await dispatcher.dispatchStart;

    controller.abort(new Error("The test canceled the invocation."));

    await expectRejectsWith(invocation, controller.signal.reason);
    expect((await fixture.eventually(dispatcher.dispatchComplete, "the end of the dispatch")).canceled).toBe(true);
  });

  test("One caller signal passed to 50 concurrent invocations holds one listener and prints no leak warning", async () => {
    const leakWarnings = collectProcessWarnings("MaxListenersExceededWarning");
    fixture.onCleanup(() => leakWarnings.stop());
    const dispatcher = fixture.dispatcher({ holdCount: 50 });
    const { sut } = await connectPair(fixture, { server: { dispatcher } });
    const controller = new AbortController();
    const invocations = Promise.all(Array.from({ length: 50 }, () => sut.client.invoke(newRequest(), controller.signal)));
    invocations.catch(() => {}); // awaited below, unless an expectation fails first
    await fixture.eventually(dispatcher.requests.at(49), "the 50th dispatch");

    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    dispatcher.releaseAll();
    await fixture.eventually(invocations, "the 50 invocations");
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve)); // a warning is emitted on the next tick
    expect(leakWarnings.messages).toEqual([]);
  });

  test("Dispose server connection aborts non completed incoming request stream", async () => {
    // C# detaches the payload to read it after the dispatch; in TypeScript the dispatch reads it, and is still
    // reading when the server connection is disposed.
    const { dispatch, reading } = payloadReadingDispatcher();
    const { sut } = await connectPair(fixture, { server: { dispatcher: { dispatch } } });
    const continuation = fixture.payload([new Uint8Array(10)], "hold");
    const invocation = handledLater(sut.client.invoke(newRequest({ payloadContinuation: continuation })));
    invocation.catch(() => {});
    expect((await reading.firstChunk)?.length).toBe(10);

    await sut.server.dispose();

    // C# reports ConnectionAborted; the transport contract reports OperationAborted for a connection disposed locally.
    const readFailure = await fixture.eventually(reading.outcome, "the dispatch's payload read to fail");
    expect(describeError(readFailure)).toMatch(/^IceRpcException\(OperationAborted\)/);
  });

  test("Abortive server connection shutdown triggers payload read failure", async () => {
    const dispatcher = fixture.dispatcher({ holdCount: 1 });
    const { sut, client } = await connectPair(fixture, { server: { dispatcher } });
    void shutdownWhenRequested(sut.client, client);
    const invocation = handledLater(sut.client.invoke(newRequest()));
    await dispatcher.dispatchStart;
    const shutdown = sut.server.shutdown();

    await sut.server.dispose();

    await expectIceRpcError(invocation, IceRpcError.TruncatedData, IceRpcError.ConnectionAborted);
    await expectIceRpcError(shutdown, IceRpcError.OperationAborted);
  });

  test("Dispatch stream writes abort cancels the hung response payload read", async () => {
    // The response payload never yields: the server is stuck pulling it when the caller gives up.
    const responsePayload = fixture.payload([], "hold");
    const { sut } = await connectPair(fixture, {
      server: { dispatcher: { dispatch: () => new OutgoingResponse({ payload: responsePayload }) } },
    });
    const controller = new AbortController();
    const invocation = handledLater(sut.client.invoke(newRequest(), controller.signal));
    await responsePayload.nextCalled();

    controller.abort(new Error("The test canceled the invocation."));

    await expectRejectsWith(invocation, controller.signal.reason);
    expect(await fixture.eventually(responsePayload.completed, "the server to stop pulling the response payload")).toBe(
      "returned",
    );
  });

  for (const part of ["payload", "payload continuation"] as const) {
    test(`Invocation cancellation while sending the ${part} completes the input request payload`, async () => {
      const { dispatch, reading } = payloadReadingDispatcher();
      const { sut } = await connectPair(fixture, { server: { dispatcher: { dispatch } } });
      const payload = fixture.payload([new Uint8Array(10)], "hold");
      const request = part === "payload" ? newRequest({ payload }) : newRequest({ payloadContinuation: payload });
      const controller = new AbortController();
      const invocation = handledLater(sut.client.invoke(request, controller.signal));
      await reading.firstChunk;

      controller.abort(new Error("The test canceled the invocation."));

      const readFailure = await fixture.eventually(reading.outcome, "the dispatch's payload read to end");
      expect(describeError(readFailure)).toMatch(/^IceRpcException\(TruncatedData\)/);
      await expectRejectsWith(fixture.eventually(invocation, "the canceled invocation to fail"), controller.signal.reason);
    });
  }

  test("Invocation cancellation after receive response does not complete the incoming request payload", async () => {
    // C# detaches the payload from the request to read it after the response; a dispatch cannot do that in
    // TypeScript, so a raw server answers first and then reads the rest of the payload.
    const sut = await ClientServerProtocolConnection.create(fixture);
    const connect = sut.client.connect();
    const rawServer = fixture.track(await RawPeer.accept(sut.listener));
    await rawServer.handshake();
    await connect;
    const continuation = fixture.payload([new Uint8Array(10)], "hold");
    const controller = new AbortController();
    const invocation = handledLater(sut.client.invoke(newRequest({ payloadContinuation: continuation }), controller.signal));
    const incoming = await rawServer.acceptRequest();
    await rawServer.respond(incoming.stream, responseHeader({ statusCode: StatusCode.Ok }));
    await invocation;

    controller.abort(new Error("The test canceled the invocation after its response."));
    continuation.push(new Uint8Array(10));
    continuation.end();

    expect((await incoming.reader.readToEnd()).length).toBe(20);
  });

  for (const shutdown of [true, false]) {
    for (const clientSide of [true, false]) {
      const action = `${clientSide ? "client" : "server"} ${shutdown ? "shutdown" : "dispose"}`;
      test(`Invocation refused if waiting on create stream and connection is shutdown or disposed (${action})`, async () => {
        const { sut, client, server } = await connectPair(fixture);
        void shutdownWhenRequested(sut.server, server);
        void shutdownWhenRequested(sut.client, client);
        sut.clientConnection.operations.hold("createStream");
        const invocation = handledLater(sut.client.invoke(newRequest()));
        await sut.clientConnection.operations.blocked("createStream");

        const connection = clientSide ? sut.client : sut.server;
        await (shutdown ? connection.shutdown() : connection.dispose());

        await expectIceRpcError(invocation, IceRpcError.InvocationRefused);
      });
    }
  }

  const payloadFailures: Array<[string, () => Error]> = [
    ["InvalidOperationError", () => new InvalidOperationError("The payload producer failed.")],
    ["AbortError", () => new DOMException("The payload producer was aborted.", "AbortError")],
  ];
  for (const [name, createError] of payloadFailures) {
    test(`Invocation payload read failure triggers incoming request truncated data exception (${name})`, async () => {
      const { dispatch, reading } = payloadReadingDispatcher();
      const { sut } = await connectPair(fixture, { server: { dispatcher: { dispatch } } });
      // Initial data, so that the request reaches the server before the producer fails.
      const payload = fixture.payload([new Uint8Array(10)], "hold");
      const invocation = handledLater(sut.client.invoke(newRequest({ payload })));
      expect((await reading.firstChunk)?.length).toBe(10);
      const error = createError();

      payload.fail(error);

      const readFailure = await fixture.eventually(reading.outcome, "the dispatch's payload read to end");
      expect(describeError(readFailure)).toMatch(/^IceRpcException\(TruncatedData\)/);
      // The producer's error reaches the caller unchanged, not wrapped.
      await expectRejectsWith(invocation, error);
    });

    test(`Invocation payload continuation read failure triggers incoming request truncated data exception (${name})`, async () => {
      const { dispatch, reading } = payloadReadingDispatcher();
      const { sut } = await connectPair(fixture, { server: { dispatcher: { dispatch } } });
      const continuation = fixture.payload([new Uint8Array(10)], "hold");
      const invocation = handledLater(sut.client.invoke(newRequest({ payloadContinuation: continuation })));
      expect((await reading.firstChunk)?.length).toBe(10);

      continuation.fail(createError());

      const readFailure = await fixture.eventually(reading.outcome, "the dispatch's payload read to end");
      expect(describeError(readFailure)).toMatch(/^IceRpcException\(TruncatedData\)/);
      // The continuation fails in the background: the invocation gets the response of the failed dispatch.
      expect((await invocation).statusCode).toBe(StatusCode.TruncatedPayload);
    });
  }

  for (const operation of ["createStream", "streamWrite", "streamRead"] as const) {
    test(`Invocation exception handling on transport failure (${operation})`, async () => {
      const failure = new IceRpcException(IceRpcError.IceRpcError, "The test failed this stream operation.");
      const { sut, client } = await connectPair(fixture);
      if (operation === "createStream") {
        sut.clientConnection.operations.fail(operation);
      } else {
        sut.clientConnection.streamFaults = { fail: [operation], failure };
      }

      const invocation = handledLater(sut.client.invoke(newRequest()));

      if (operation === "createStream") {
        await expectIceRpcError(invocation, IceRpcError.InvocationRefused);
      } else {
        await expectRejectsWith(invocation, failure);
        // A failed stream is not a failed connection.
        await fixture.expectPending(client.shutdownRequested, "the client's shutdown request");
      }
    });
  }

  for (const operation of ["createStream", "streamWrite", "streamRead"] as const) {
    test(`Invocation cancellation on transport hang (${operation})`, async () => {
      const { sut, client } = await connectPair(fixture);
      if (operation === "createStream") {
        sut.clientConnection.operations.hold(operation);
      } else {
        sut.clientConnection.streamFaults = { hold: [operation] };
      }
      const controller = new AbortController();
      const invocation = handledLater(sut.client.invoke(newRequest(), controller.signal));
      await sut.clientConnection.log.blocked(operation);

      controller.abort(new Error("The test canceled the invocation."));

      await expectRejectsWith(invocation, controller.signal.reason);
      await fixture.expectPending(client.shutdownRequested, "the client's shutdown request");
    });
  }

  test("Invocation is aborted on connection dispose", async () => {
    const dispatcher = fixture.dispatcher({ holdCount: 1 });
    const { sut } = await connectPair(fixture, { server: { dispatcher } });

    // Invoke and dispose concurrently, as C# does from two threads.
    const invocation = handledLater(sut.client.invoke(newRequest()));
    await sut.client.dispose();

    const error = await rejectionOf(invocation);
    expect(error instanceof IceRpcException || error instanceof ObjectDisposedError).toBe(true);
  });

  const notDispatchedCases: Array<[boolean, TransportOperation, IceRpcError]> = [
    [false, "createStream", IceRpcError.InvocationRefused],
    [true, "createStream", IceRpcError.InvocationRefused],
    [false, "acceptStream", IceRpcError.InvocationCanceled],
    [false, "streamWrite", IceRpcError.InvocationCanceled],
    [true, "streamWrite", IceRpcError.InvocationCanceled],
  ];
  for (const [isOneway, held, expected] of notDispatchedCases) {
    const name = `${isOneway ? "one-way" : "two-way"}, ${held} held, ${IceRpcError[expected]}`;
    test(`Not dispatched request gets invocation canceled on server connection shutdown (${name})`, async () => {
      const dispatcher = fixture.dispatcher({ holdCount: 1 });
      const { sut, client } = await connectPair(fixture, { server: { dispatcher } });
      void shutdownWhenRequested(sut.client, client);
      const dispatched = sut.client.invoke(newRequest());
      await dispatcher.dispatchStart;

      let blocked: Promise<void>;
      switch (held) {
        case "acceptStream":
          // The server's accept loop already waits in the transport: the second check holds the stream it gets.
          sut.serverConnection.operations.hold(held);
          blocked = sut.serverConnection.operations.blocked(held);
          break;
        case "createStream":
          sut.clientConnection.operations.hold(held);
          blocked = sut.clientConnection.operations.blocked(held);
          break;
        default:
          sut.clientConnection.streamFaults = { hold: [held] };
          blocked = sut.clientConnection.log.blocked(held);
      }
      const notDispatched = sut.client.invoke(newRequest({ isOneway }));
      await blocked;

      const dispatchedState = trackSettlement(dispatched);
      const shutdown = sut.server.shutdown();
      // Handled now, so that a failing assertion below does not also report it as unhandled.
      shutdown.catch(() => {});

      await expectIceRpcError(fixture.eventually(notDispatched, "the second invocation to fail"), expected);
      expect(dispatchedState.settled).toBe(false);
      dispatcher.releaseDispatch();
      const response = await dispatched;
      await response.payload.readAll();
      await fixture.eventually(shutdown, "the server's shutdown");
    });
  }

  test("Oneway invocation with continuation canceled by server shutdown", async () => {
    const dispatcher = fixture.dispatcher({ holdCount: 1 });
    const { sut, client } = await connectPair(fixture, { server: { dispatcher } });
    void shutdownWhenRequested(sut.client, client);
    const twoway = sut.client.invoke(newRequest());
    await dispatcher.dispatchStart;
    sut.serverConnection.operations.hold("acceptStream");
    const acceptBlocked = sut.serverConnection.operations.blocked("acceptStream");
    const continuation = fixture.payload([], "hold");
    await sut.client.invoke(newRequest({ isOneway: true, payloadContinuation: continuation }));
    await continuation.nextCalled();
    await acceptBlocked;
    const twowayState = trackSettlement(twoway);

    const shutdown = sut.server.shutdown();

    // C# observes the InvocationCanceled that stops the copy; what a TypeScript producer sees is being closed.
    expect(await fixture.eventually(continuation.completed, "the continuation to be closed")).toBe("returned");
    await fixture.expectPending(shutdown, "the server's shutdown, which waits for the dispatch");
    expect(twowayState.settled).toBe(false);
    dispatcher.releaseDispatch();
    await (await twoway).payload.readAll();
    await fixture.eventually(shutdown, "the server's shutdown");
  });
}
