// Payloads and payload continuations streamed both ways with backpressure (reference §1.8), and callbacks over the
// same connection (reference §1.3).
import { expect, test } from "@jest/globals";
import { OutgoingResponse, StatusCode } from "@icerpc-ts/core";
import { Deferred, concatBytes } from "@icerpc-ts/primitives";

import { connectPair } from "../../support/client-server-protocol-connection.js";
import { expectSameBytes } from "../../support/expectations.js";
import type { ProtocolFixture } from "../../support/protocol-fixture.js";
import { newRequest, patternBytes } from "../../support/requests.js";

const chunkSize = 64 * 1024;
/** 16 MiB: more than any transport buffers for one stream, so a producer that is not held back shows. */
const chunkCount = 256;

/** A continuation that produces `chunkCount` pattern chunks on demand and says when it produced the last one. */
function streamedContinuation(seed: number): { chunks: AsyncIterable<Uint8Array>; produced: Promise<void> } {
  const produced = new Deferred<void>();
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < chunkCount; i++) {
      yield patternBytes(chunkSize, seed, i * chunkSize);
    }
    produced.resolve();
  }
  return { chunks: chunks(), produced: produced.promise };
}

/** Checks that `received` is `prefix` followed by the `chunkCount` pattern chunks of `seed`. */
function expectPattern(received: Uint8Array, seed: number, prefix: Uint8Array = new Uint8Array(0)): void {
  expectSameBytes(received, concatBytes([prefix, patternBytes(chunkSize * chunkCount, seed)]));
}

export function declareStreamingTests(fixture: ProtocolFixture): void {
  test("Request payload continuation is streamed with backpressure", async () => {
    const firstRead = new Deferred<void>();
    const resume = new Deferred<void>();
    fixture.onCleanup(() => resume.resolve());
    const received = new Deferred<Uint8Array>();
    const { sut } = await connectPair(fixture, {
      server: {
        dispatcher: {
          dispatch: async (request) => {
            const first = (await request.payload.read())!;
            firstRead.resolve();
            await resume.promise;
            const rest = await request.payload.readAll();
            received.resolve(concatBytes([first, rest]));
            return new OutgoingResponse();
          },
        },
      },
    });
    const prefix = Uint8Array.of(1, 2, 3);
    const { chunks, produced } = streamedContinuation(7);

    const invocation = sut.client.invoke(newRequest({ payload: prefix, payloadContinuation: chunks }));
    await firstRead.promise;

    // The dispatch stopped reading: the producer must be held back by flow control.
    await fixture.expectPending(produced, "the continuation producer while nobody reads");
    resume.resolve();
    expect((await invocation).statusCode).toBe(StatusCode.Ok);
    expectPattern(await received.promise, 7, prefix);
  });

  test("Response payload continuation is streamed with backpressure", async () => {
    const { chunks, produced } = streamedContinuation(11);
    const prefix = Uint8Array.of(4, 5);
    const { sut } = await connectPair(fixture, {
      server: { dispatcher: { dispatch: () => new OutgoingResponse({ payload: prefix, payloadContinuation: chunks }) } },
    });

    const response = await sut.client.invoke(newRequest());
    const first = (await response.payload.read())!;

    await fixture.expectPending(produced, "the response continuation producer while the caller does not read");
    const rest = await response.payload.readAll();
    expectPattern(concatBytes([first, rest]), 11, prefix);
  });

  test("One-way request with payload and payload continuation", async () => {
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
    const continuation = fixture.payload([patternBytes(1000, 3, 10), patternBytes(5000, 3, 1010)]);

    await sut.client.invoke(newRequest({ isOneway: true, payload: patternBytes(10, 3), payloadContinuation: continuation }));

    expectSameBytes(await received.promise, patternBytes(6010, 3));
  });

  test("Two-way request with payload and payload continuation both ways", async () => {
    const { sut } = await connectPair(fixture, {
      server: {
        dispatcher: {
          dispatch: async (request) => {
            const echoed = await request.payload.readAll();
            const half = echoed.length >> 1;
            return new OutgoingResponse({
              payload: echoed.subarray(0, half),
              payloadContinuation: (async function* () {
                yield echoed.subarray(half);
              })(),
            });
          },
        },
      },
    });
    const continuation = fixture.payload([patternBytes(70_000, 5, 100)]);

    const response = await sut.client.invoke(newRequest({ payload: patternBytes(100, 5), payloadContinuation: continuation }));

    expectSameBytes(await response.payload.readAll(), patternBytes(70_100, 5));
  });

  test("Connection can dispatch callbacks", async () => {
    // ClientConnectionTests' case at the protocol level: the server calls the client back on the same connection.
    const callbackDispatcher = fixture.dispatcher();
    const { sut } = await connectPair(fixture, {
      client: { dispatcher: callbackDispatcher },
      server: {
        dispatcher: {
          dispatch: async (request) => {
            const callback = await request.connectionContext.invoker.invoke(newRequest({ operation: "callback" }));
            await callback.payload.readAll();
            return new OutgoingResponse({ statusCode: callback.statusCode === StatusCode.Ok ? StatusCode.Ok : StatusCode.InternalError });
          },
        },
      },
    });

    const response = await sut.client.invoke(newRequest());

    expect(response.statusCode).toBe(StatusCode.Ok);
    expect((await callbackDispatcher.dispatchStart).operation).toBe("callback");
  });
}
