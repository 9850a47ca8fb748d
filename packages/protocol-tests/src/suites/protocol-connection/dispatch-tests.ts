// ProtocolConnectionTests (icerpc): dispatch, MaxDispatches and flow control (reference §2.3).
import { expect, test } from "@jest/globals";
import {
  DispatchException,
  IceRpcError,
  IceRpcException,
  InvalidDataError,
  InvalidOperationError,
  OutgoingResponse,
  Pipeline,
  RequestFieldKey,
  StatusCode,
  type IncomingRequest,
} from "@icerpc-ts/core";
import { SliceDecoder } from "@icerpc-ts/core/codec";
import { Deferred } from "@icerpc-ts/primitives";

import { connectPair } from "../../support/client-server-protocol-connection.js";
import { expectIceRpcError, expectSameBytes, trackSettlement, yieldToEventLoop } from "../../support/expectations.js";
import type { ProtocolFixture } from "../../support/protocol-fixture.js";
import { newRequest, patternBytes } from "../../support/requests.js";

export function declareDispatchTests(fixture: ProtocolFixture): void {
  for (const maxDispatches of [1, 70, 200]) {
    test(`Connection dispatches requests concurrently up to max dispatches (${maxDispatches})`, async () => {
      let running = 0;
      let maxRunning = 0;
      const started: Deferred<void>[] = Array.from({ length: maxDispatches + 1 }, () => new Deferred<void>());
      let startCount = 0;
      const work = new Deferred<void>();
      fixture.onCleanup(() => work.resolve());
      const dispatcher = {
        async dispatch(request: IncomingRequest): Promise<OutgoingResponse> {
          running++;
          maxRunning = Math.max(maxRunning, running);
          started[startCount++]?.resolve();
          await Promise.race([work.promise, new Promise((_, reject) => request.signal.addEventListener("abort", reject))]);
          running--;
          return new OutgoingResponse();
        },
      };
      // More streams than dispatches, so that the stream limit does not stand in for MaxDispatches.
      const { sut } = await connectPair(fixture, {
        server: { dispatcher, maxDispatches, maxBidirectionalStreams: maxDispatches + 100 },
      });

      const invocations = Array.from({ length: maxDispatches + 1 }, () => sut.client.invoke(newRequest()));
      await Promise.all(started.slice(0, maxDispatches).map((s) => s.promise));

      const states = invocations.map(trackSettlement);
      await fixture.expectPending(started[maxDispatches]!.promise, "the dispatch beyond MaxDispatches");
      expect(states.every((state) => !state.settled)).toBe(true);
      work.resolve();
      await Promise.all(invocations);
      expect(maxRunning).toBe(maxDispatches);
    });
  }

  test("Connection with max dispatches stops new invocations on flow control", async () => {
    const dispatcher = fixture.dispatcher({ holdCount: 1 });
    const { sut } = await connectPair(fixture, { server: { dispatcher, maxDispatches: 1 } });
    const payload = new Uint8Array(64 * 1024);
    const invocations: Promise<unknown>[] = [];
    const failures: unknown[] = [];

    for (let i = 0; i < 1000; i++) {
      const invocation = sut.client.invoke(newRequest({ isOneway: true, payload }));
      invocation.catch((error: unknown) => failures.push(error));
      invocations.push(invocation);
      if (i === 0) {
        await dispatcher.dispatchStart;
      }
    }

    // If every invocation completed, the server would have buffered 64 MB for a single held dispatch.
    await fixture.expectPending(invocations.at(-1)!, "the last one-way invocation");
    expect(failures).toEqual([]);
    dispatcher.releaseAll();
    await fixture.eventually(Promise.all(invocations), "every invocation to complete");
  });

  test("Connection with dispatches waiting for dispatch unblocks on dispose", async () => {
    const dispatcher = fixture.dispatcher({ holdCount: 1 });
    const { sut } = await connectPair(fixture, { server: { dispatcher, maxDispatches: 1 } });
    const first = sut.client.invoke(newRequest());
    await dispatcher.dispatchStart;
    const second = sut.client.invoke(newRequest());
    // The second request reached the server: it waits for the dispatch slot (C# waits 500 ms for this).
    const secondStream = await sut.serverConnection.acceptedStreams.at(2);
    await secondStream.operations.finished("streamRead");
    await yieldToEventLoop();

    await fixture.eventually(sut.server.dispose(), "the server connection's dispose");

    await expectIceRpcError(first, IceRpcError.ConnectionAborted, IceRpcError.TruncatedData);
    await expectIceRpcError(second, IceRpcError.ConnectionAborted, IceRpcError.TruncatedData);
  });

  const thrownErrors: Array<[string, () => unknown, StatusCode]> = [
    // C#'s "unexpected OperationCanceledException": an AbortError the dispatch was not asked for.
    ["AbortError", () => new DOMException("Unexpected abort.", "AbortError"), StatusCode.InternalError],
    ["InvalidOperationError", () => new InvalidOperationError("Unexpected state."), StatusCode.InternalError],
    ["InvalidDataError", () => new InvalidDataError("invalid data"), StatusCode.InvalidData],
    ["IceRpcException(TruncatedData)", () => new IceRpcException(IceRpcError.TruncatedData, "truncated data message"), StatusCode.TruncatedPayload],
    // Not in C#'s list, the exception made for it: its status code.
    ["DispatchException(Unauthorized)", () => new DispatchException(StatusCode.Unauthorized), StatusCode.Unauthorized],
  ];
  for (const [name, createError, statusCode] of thrownErrors) {
    test(`Dispatcher throws exception (${name})`, async () => {
      const { sut } = await connectPair(fixture, {
        server: {
          dispatcher: {
            dispatch: () => {
              throw createError();
            },
          },
        },
      });

      const response = await sut.client.invoke(newRequest());

      expect(response.statusCode).toBe(statusCode);
    });
  }

  test("An unexpected dispatch error reaches the peer as its status code alone; onDispatchError gets the detail", async () => {
    const secret = new Error("connect ECONNREFUSED db.internal:5432 (user=billing password=hunter2)");
    const reported: Array<[unknown, string]> = [];
    const { sut } = await connectPair(fixture, {
      server: {
        dispatcher: {
          dispatch: () => {
            throw secret;
          },
        },
        onDispatchError: (error, request) => reported.push([error, request.operation]),
      },
    });

    const response = await sut.client.invoke(newRequest({ operation: "charge" }));

    expect(response.statusCode).toBe(StatusCode.InternalError);
    expect(response.errorMessage).toBe("The dispatch failed with status code InternalError.");
    expect(reported).toEqual([[secret, "charge"]]);
  });

  test("sendUnexpectedErrorDetail sends an unexpected dispatch error's type and message", async () => {
    const { sut } = await connectPair(fixture, {
      server: {
        dispatcher: {
          dispatch: () => {
            throw new TypeError("x is undefined");
          },
        },
        sendUnexpectedErrorDetail: true,
      },
    });

    const response = await sut.client.invoke(newRequest());

    expect(response.errorMessage).toBe(
      "The dispatch failed with status code InternalError. The failure was caused by an exception of type " +
        "'TypeError' with message: x is undefined",
    );
  });

  test("A DispatchException's message is sent as given and is not reported as unexpected", async () => {
    const reported: unknown[] = [];
    const { sut } = await connectPair(fixture, {
      server: {
        dispatcher: {
          dispatch: () => {
            throw new DispatchException(StatusCode.Unauthorized, "Sign in first.");
          },
        },
        onDispatchError: (error) => reported.push(error),
      },
    });

    const response = await sut.client.invoke(newRequest());

    expect(response.statusCode).toBe(StatusCode.Unauthorized);
    expect(response.errorMessage).toBe("Sign in first.");
    expect(reported).toEqual([]);
  });

  test("An onDispatchError that throws does not stop the response", async () => {
    const { sut } = await connectPair(fixture, {
      server: {
        dispatcher: {
          dispatch: () => {
            throw new Error("first failure");
          },
        },
        onDispatchError: () => {
          throw new Error("the logger failed too");
        },
      },
    });

    const response = await sut.client.invoke(newRequest());

    expect(response.statusCode).toBe(StatusCode.InternalError);
  });

  for (const isOneway of [false, true]) {
    test(`Dispatch cancellation token is not canceled (${isOneway ? "one-way" : "two-way"})`, async () => {
      const aborted = new Deferred<boolean>();
      const { sut } = await connectPair(fixture, {
        server: {
          dispatcher: {
            dispatch: (request) => {
              aborted.resolve(request.signal.aborted);
              return new OutgoingResponse();
            },
          },
        },
      });

      await sut.client.invoke(newRequest({ isOneway }));

      expect(await aborted.promise).toBe(false);
    });
  }

  test("Interceptor can set request to oneway", async () => {
    const dispatcher = fixture.dispatcher();
    const { sut } = await connectPair(fixture, { server: { dispatcher } });
    const pipeline = new Pipeline()
      .use((next) => ({
        invoke: (request, signal) => {
          request.isOneway = true;
          return next.invoke(request, signal);
        },
      }))
      .into(sut.client);

    await pipeline.invoke(newRequest());

    expect((await dispatcher.dispatchStart).isOneway).toBe(true);
  });

  test("Dispatch returns response not matching request response", async () => {
    // C# requires the response created for the request; a TypeScript dispatcher can return anything, and a value
    // that is not an OutgoingResponse (a forgotten return, a JavaScript caller) must give InternalError, not a crash.
    const { sut } = await connectPair(fixture, {
      server: { dispatcher: { dispatch: () => undefined as unknown as OutgoingResponse } },
    });

    const response = await sut.client.invoke(newRequest());

    expect(response.statusCode).toBe(StatusCode.InternalError);
  });

  test("Receive payload", async () => {
    const expectedPayload = patternBytes(4096);
    const { sut } = await connectPair(fixture, {
      server: {
        dispatcher: {
          dispatch: async (request) => {
            await request.payload.readAll();
            return new OutgoingResponse({ payload: expectedPayload });
          },
        },
      },
    });

    const response = await sut.client.invoke(newRequest({ payload: expectedPayload }));

    expectSameBytes(await response.payload.readAll(), expectedPayload);
  });

  test("Send payload", async () => {
    const expectedPayload = patternBytes(4096);
    const received = new Deferred<Uint8Array>();
    const { sut } = await connectPair(fixture, {
      server: {
        dispatcher: {
          dispatch: async (request) => {
            received.resolve(await request.payload.readAll());
            return new OutgoingResponse();
          },
        },
      },
    });

    await sut.client.invoke(newRequest({ payload: expectedPayload }));

    expectSameBytes(await received.promise, expectedPayload);
  });

  test("Request with large header", async () => {
    // A Slice2-encoded request context with a 4 KiB value.
    const context = new Map([["ctx", "C".repeat(4096)]]);
    const field = new Deferred<Uint8Array | undefined>();
    const { sut } = await connectPair(fixture, {
      server: {
        dispatcher: {
          dispatch: (request) => {
            field.resolve(request.fields.get(RequestFieldKey.Context));
            return new OutgoingResponse();
          },
        },
      },
    });

    await sut.client.invoke(
      newRequest({
        fields: new Map([
          [
            RequestFieldKey.Context,
            (encoder) =>
              encoder.encodeDictionary(
                context,
                (e, key) => e.encodeString(key),
                (e, value) => e.encodeString(value),
              ),
          ],
        ]),
      }),
    );

    const value = await field.promise;
    expect(value).toBeDefined();
    const decoded = new SliceDecoder(value!).decodeDictionary(
      (d) => d.decodeString(),
      (d) => d.decodeString(),
    );
    expect(decoded).toEqual(context);
  });

  for (const isOneway of [false, true]) {
    const kind = isOneway ? "one-way" : "two-way";
    test(`Payload completed on valid request (${kind})`, async () => {
      const { sut } = await connectPair(fixture);
      const payload = fixture.payload([]);

      const invocation = sut.client.invoke(newRequest({ isOneway, payload }));

      expect(await fixture.eventually(payload.completed, "the request payload to be read to its end")).toBe("ended");
      await invocation;
    });
  }

  test("Payload completed on valid response", async () => {
    const payload = fixture.payload([]);
    const { sut } = await connectPair(fixture, { server: { dispatcher: { dispatch: () => new OutgoingResponse({ payload }) } } });

    const invocation = sut.client.invoke(newRequest());

    expect(await fixture.eventually(payload.completed, "the response payload to be read to its end")).toBe("ended");
    await invocation;
  });
}
