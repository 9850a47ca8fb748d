// IceRpcProtocolConnectionTests: payloads, payload continuations and header sizes (reference §1.5, §1.8). C# checks
// that every PipeReader and PipeWriter is completed; here a PayloadSource records how it was finished, and the
// faulty transport's streams record how their outputs were finished (C#'s payload writers).
import { expect, test } from "@jest/globals";
import { IceRpcError, InvalidOperationError, OutgoingResponse, ResponseFieldKey, StatusCode } from "@icerpc-ts/core";
import { SliceDecoder } from "@icerpc-ts/core/codec";

import { connectPair } from "../../support/client-server-protocol-connection.js";
import { expectIceRpcError, expectRejectsWith, trackSettlement } from "../../support/expectations.js";
import type { ProtocolFixture } from "../../support/protocol-fixture.js";
import { newRequest } from "../../support/requests.js";

/** The index of the first request stream among the streams a connection created or accepted (0 is control). */
const firstRequestStream = 1;

export function declarePayloadTests(fixture: ProtocolFixture): void {
  test("Payload completed on invalid response payload", async () => {
    const payload = fixture.payload([], { fail: new InvalidOperationError("The response payload is invalid.") });
    const { sut } = await connectPair(fixture, { server: { dispatcher: { dispatch: () => new OutgoingResponse({ payload }) } } });

    await expectIceRpcError(sut.client.invoke(newRequest()), IceRpcError.TruncatedData);
    expect(await fixture.eventually(payload.completed, "the response payload to be finished")).toBe("failed");
  });

  test("Payload completed on invalid response payload writer", async () => {
    // C# decorates the response payload writer with one that fails; the TypeScript counterpart of the payload
    // writer is the stream output, so the server's stream writes fail.
    const payload = fixture.payload([new Uint8Array(10)]);
    const { sut } = await connectPair(fixture, { server: { dispatcher: { dispatch: () => new OutgoingResponse({ payload }) } } });
    sut.serverConnection.streamFaults = { fail: ["streamWrite"] };

    await expectIceRpcError(sut.client.invoke(newRequest()), IceRpcError.TruncatedData);
    expect(await fixture.eventually(payload.completed, "the response payload to be finished")).toBe("returned");
    const stream = await sut.serverConnection.acceptedStreams.at(firstRequestStream);
    expect(await stream.outputCompletion).toBe("aborted");
  });

  test("Payload completed on invalid response fields", async () => {
    const payload = fixture.payload([new Uint8Array(10)]);
    const fields = new Map([
      [
        ResponseFieldKey.CompressionFormat,
        () => {
          throw new InvalidOperationError("The response field cannot be encoded.");
        },
      ],
    ]);
    const { sut } = await connectPair(fixture, {
      server: { dispatcher: { dispatch: () => new OutgoingResponse({ payload, fields }) } },
    });

    await expectIceRpcError(sut.client.invoke(newRequest()), IceRpcError.TruncatedData);

    // The payload was never sent, yet it must be finished: OutgoingPayload promises every iterable is.
    expect(await fixture.eventually(payload.completed, "the unsent response payload to be finished")).toBe("returned");
  });

  for (const isOneway of [false, true]) {
    const kind = isOneway ? "one-way" : "two-way";

    test(`PayloadContinuation of outgoing request completed when not read by dispatcher (${kind})`, async () => {
      const dispatcher = fixture.dispatcher();
      const { sut } = await connectPair(fixture, { server: { dispatcher } });
      const continuation = fixture.payload([new Uint8Array(10)], "hold");

      const invocation = sut.client.invoke(newRequest({ isOneway, payloadContinuation: continuation }));

      // The dispatch returns without reading: the server stops reading, which must close the waiting continuation.
      const serverStream = await sut.serverConnection.acceptedStreams.at(firstRequestStream);
      expect(await fixture.eventually(serverStream.inputCompletion, "the server to stop reading")).toBe("aborted");
      expect(await fixture.eventually(continuation.completed, "the unread continuation to be closed")).toBe("returned");
      await invocation;
    });

    test(`PayloadContinuation of outgoing request completed on end stream (${kind})`, async () => {
      const dispatcher = fixture.dispatcher({ holdCount: 1 });
      const { sut } = await connectPair(fixture, { server: { dispatcher } });
      const continuation = fixture.payload([]);

      const invocation = sut.client.invoke(newRequest({ isOneway, payloadContinuation: continuation }));
      const state = trackSettlement(invocation);
      await dispatcher.dispatchStart;

      expect(await fixture.eventually(continuation.completed, "the continuation to be read to its end")).toBe("ended");
      if (!isOneway) {
        expect(state.settled).toBe(false);
      }
      dispatcher.releaseDispatch();
      await invocation;
    });

    test(`Payload completed on invalid request payload continuation (${kind})`, async () => {
      // The dispatch is held so that the continuation's failure, not the response, ends the exchange.
      const dispatcher = fixture.dispatcher({ holdCount: 1 });
      const { sut } = await connectPair(fixture, { server: { dispatcher } });
      const continuation = fixture.payload([], { fail: new InvalidOperationError("The continuation is invalid.") });

      const invocation = sut.client.invoke(newRequest({ isOneway, payloadContinuation: continuation }));

      expect(await fixture.eventually(continuation.completed, "the invalid continuation to be finished")).toBe("failed");
      dispatcher.releaseDispatch();
      // Depending on timing, the aborted request stream fails the invocation before the response arrives.
      await invocation.catch((error: unknown) => expect(error).toMatchObject({ error: IceRpcError.TruncatedData }));
    });
  }

  test("PayloadContinuation completed on valid response", async () => {
    const continuation = fixture.payload([]);
    const { sut } = await connectPair(fixture, {
      server: { dispatcher: { dispatch: () => new OutgoingResponse({ payloadContinuation: continuation }) } },
    });

    const invocation = sut.client.invoke(newRequest());

    expect(await fixture.eventually(continuation.completed, "the response continuation to be read to its end")).toBe("ended");
    await invocation;
  });

  test("PayloadContinuation completed on invalid response payload continuation", async () => {
    const continuation = fixture.payload([], { fail: new InvalidOperationError("The continuation is invalid.") });
    const { sut } = await connectPair(fixture, {
      server: { dispatcher: { dispatch: () => new OutgoingResponse({ payloadContinuation: continuation }) } },
    });

    const invocation = sut.client.invoke(newRequest());

    expect(await fixture.eventually(continuation.completed, "the invalid continuation to be finished")).toBe("failed");
    // The caller never sees the truncated response payload as complete.
    const readToEnd = invocation.then((response) => response.payload.readAll());
    await expectIceRpcError(readToEnd, IceRpcError.TruncatedData);
  });

  test("PayloadWriter completed with valid request", async () => {
    const { sut } = await connectPair(fixture);

    const invocation = sut.client.invoke(newRequest());

    const stream = await sut.clientConnection.createdStreams.at(firstRequestStream);
    expect(await stream.outputCompletion).toBe("ended");
    await invocation;
  });

  test("PayloadWriter completed with valid response", async () => {
    const { sut } = await connectPair(fixture);

    await sut.client.invoke(newRequest());

    const stream = await sut.serverConnection.acceptedStreams.at(firstRequestStream);
    expect(await fixture.eventually(stream.outputCompletion, "the response stream to be finished")).toBe("ended");
  });

  test("PayloadWriter completed with invalid request", async () => {
    const { sut } = await connectPair(fixture);
    const failure = new InvalidOperationError("The request payload is invalid.");

    const invocation = sut.client.invoke(newRequest({ payload: fixture.payload([], { fail: failure }) }));

    await expectRejectsWith(invocation, failure);
    const stream = await sut.clientConnection.createdStreams.at(firstRequestStream);
    expect(await stream.outputCompletion).toBe("aborted");
  });

  test("PayloadWriter completed with invalid response", async () => {
    const payload = fixture.payload([], { fail: new InvalidOperationError("The response payload is invalid.") });
    const { sut } = await connectPair(fixture, { server: { dispatcher: { dispatch: () => new OutgoingResponse({ payload }) } } });

    const invocation = sut.client.invoke(newRequest());

    const stream = await sut.serverConnection.acceptedStreams.at(firstRequestStream);
    expect(await fixture.eventually(stream.outputCompletion, "the response stream to be finished")).toBe("aborted");
    await expectIceRpcError(invocation, IceRpcError.TruncatedData);
  });

  test("Request with header size larger than max header size fails", async () => {
    const { sut } = await connectPair(fixture, { server: { maxHeaderSize: 100 } });

    await expectIceRpcError(sut.client.invoke(newRequest({ operation: "x".repeat(100) })), IceRpcError.LimitExceeded);
  });

  test("Response with header size larger than max header size fails", async () => {
    const fields = new Map([[3, new Uint8Array(200)]]);
    const { sut } = await connectPair(fixture, {
      client: { maxHeaderSize: 100 },
      server: { dispatcher: { dispatch: () => new OutgoingResponse({ fields }) } },
    });

    // The server's LimitExceeded (C# reports it to an observer) makes it abort the response stream.
    await expectIceRpcError(sut.client.invoke(newRequest()), IceRpcError.TruncatedData);
  });

  test("Response with large header", async () => {
    const expectedValue = "A".repeat(16_000);
    const fieldKey = 1000;
    const { sut } = await connectPair(fixture, {
      server: {
        dispatcher: {
          dispatch: () => new OutgoingResponse({ fields: new Map([[fieldKey, (encoder) => encoder.encodeString(expectedValue)]]) }),
        },
      },
    });

    const response = await sut.client.invoke(newRequest());

    const value = response.fields.get(fieldKey);
    expect(value).toBeDefined();
    expect(new SliceDecoder(value!).decodeString()).toBe(expectedValue);
    expect(response.statusCode).toBe(StatusCode.Ok);
  });
}
