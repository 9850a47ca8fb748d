// IceRpcProtocolConnectionTests: malformed request and response headers from a hostile peer (reference §1.5, §1.6,
// §2.3). A malformed request is refused (its stream aborted) and the connection stays up; a malformed response fails
// its invocation with IceRpcError.
import { expect, test } from "@jest/globals";
import { IceRpcError, InvalidDataError, RequestFieldKey, StatusCode, type IncomingResponse } from "@icerpc-ts/core";
import type { MultiplexedStream } from "@icerpc-ts/core/transport";

import { RawPeer, sendRawStream, type StreamFinish } from "../../raw-peer/raw-peer.js";
import { encodeBytes, requestHeader, responseHeader, sizePrefixed } from "../../raw-peer/wire-format.js";
import { ClientServerProtocolConnection, connectPair } from "../../support/client-server-protocol-connection.js";
import { expectIceRpcError } from "../../support/expectations.js";
import type { ProtocolFixture } from "../../support/protocol-fixture.js";
import { newRequest } from "../../support/requests.js";

/** A field count whose double overflows a 32-bit int (C#'s `int.MaxValue / 2 + 1`). */
const overflowingFieldCount = 2 ** 30;

/** A real client connection to a raw server that completed the Settings exchange. */
async function connectToRawServer(fixture: ProtocolFixture, clientMaxHeaderSize?: number): Promise<{
  sut: ClientServerProtocolConnection;
  rawServer: RawPeer;
}> {
  const sut = await ClientServerProtocolConnection.create(
    fixture,
    clientMaxHeaderSize === undefined ? {} : { client: { maxHeaderSize: clientMaxHeaderSize } },
  );
  const connect = sut.client.connect();
  const rawServer = fixture.track(await RawPeer.accept(sut.listener));
  await rawServer.handshake();
  await connect;
  return { sut, rawServer };
}

/** Invokes `icerpc:/` on the real client and has the raw server answer with `responseBytes`. */
async function invokeWithRawResponse(
  sut: ClientServerProtocolConnection,
  rawServer: RawPeer,
  responseBytes: Uint8Array,
): Promise<{ invocation: Promise<IncomingResponse> }> {
  const invocation = sut.client.invoke(newRequest());
  const { stream } = await rawServer.acceptRequest();
  await rawServer.respond(stream, responseBytes);
  return { invocation };
}

/**
 * Sends `requestBytes` as a request on the real client's transport connection, then checks the server refused it
 * (its stream aborted, so the caller reads TruncatedData), never dispatched it, and still serves the next request.
 */
async function expectRequestRefused(fixture: ProtocolFixture, requestBytes: Uint8Array, finish: StreamFinish = "end"): Promise<void> {
  const dispatcher = fixture.dispatcher();
  const { sut } = await connectPair(fixture, { server: { dispatcher } });

  const stream: MultiplexedStream = await sendRawStream(sut.clientConnection, requestBytes, { finish });

  await expectIceRpcError(stream.input.read(), IceRpcError.TruncatedData);
  const response = await sut.client.invoke(newRequest());
  expect(response.statusCode).toBe(StatusCode.Ok);
  expect(dispatcher.requests.length).toBe(1);
}

/** A request header with `path` and operation `op`, its size on 4 bytes as in C#'s test. */
function requestWithPath(path: string): Uint8Array {
  return requestHeader({ path, operation: "op" }, 4);
}

export function declareHostileHeaderTests(fixture: ProtocolFixture): void {
  test("Dispatch exception handling on protocol error", async () => {
    // C# replaces the server's stream input with the byte 0xFF; here the client's transport sends it as a request.
    await expectRequestRefused(fixture, Uint8Array.of(0xff));
  });

  const invalidRequests: Array<[string, Uint8Array, StreamFinish]> = [
    ["[13], ended", Uint8Array.of(13), "end"],
    ["[13, 3, 4], ended", Uint8Array.of(13, 3, 4), "end"],
    ["[13, 3, 4], aborted", Uint8Array.of(13, 3, 4), "abort"],
    ["[0], ended", Uint8Array.of(0), "end"],
  ];
  for (const [description, bytes, finish] of invalidRequests) {
    test(`Invalid request refused (${description})`, async () => {
      await expectRequestRefused(fixture, bytes, finish);
    });
  }

  test("Request with duplicate field key is refused", async () => {
    const oneByte = (value: number): Uint8Array => Uint8Array.of(value);
    await expectRequestRefused(
      fixture,
      requestHeader({
        path: "/foo",
        operation: "op",
        fields: [
          [RequestFieldKey.Context, oneByte(0)],
          [RequestFieldKey.Context, oneByte(1)],
        ],
      }),
    );
  });

  for (const [description, path] of [
    ["CR LF in path", "/foo\r\nINJECTED"],
    ["NUL in path", "/foo\0"],
    ["path without leading slash", "foo"],
  ] as const) {
    test(`Request with invalid path is rejected (${description})`, async () => {
      await expectRequestRefused(fixture, requestWithPath(path));
    });
  }

  test("Request with overflowing field count is rejected", async () => {
    const header = encodeBytes((encoder) => {
      encoder.encodeString("/");
      encoder.encodeString("op");
      encoder.encodeVarUInt62(overflowingFieldCount);
    });
    await expectRequestRefused(fixture, sizePrefixed(header, 4));
  });

  // Not in C#: a peer that ignores this side's MaxHeaderSize gets its request refused.
  test("Request with header size larger than max header size from the peer is refused", async () => {
    const dispatcher = fixture.dispatcher();
    const { sut } = await connectPair(fixture, { server: { dispatcher, maxHeaderSize: 100 } });

    const stream = await sendRawStream(sut.clientConnection, requestHeader({ path: "/", operation: "x".repeat(200) }));

    await expectIceRpcError(stream.input.read(), IceRpcError.TruncatedData);
    expect((await sut.client.invoke(newRequest())).statusCode).toBe(StatusCode.Ok);
    expect(dispatcher.requests.length).toBe(1);
  });

  test("Response with overflowing field count is rejected", async () => {
    const { sut, rawServer } = await connectToRawServer(fixture);
    const header = encodeBytes((encoder) => {
      encoder.encodeVarUInt62(StatusCode.Ok);
      encoder.encodeVarUInt62(overflowingFieldCount);
    });

    const { invocation } = await invokeWithRawResponse(sut, rawServer, sizePrefixed(header, 4));

    const error = await expectIceRpcError(invocation, IceRpcError.IceRpcError);
    expect(error.cause).toBeInstanceOf(InvalidDataError);
  });

  test("Invocation exception handling on protocol error", async () => {
    // C# replaces the client's stream input with the byte 0xFF; here a raw server answers with it.
    const { sut, rawServer } = await connectToRawServer(fixture);

    const { invocation } = await invokeWithRawResponse(sut, rawServer, Uint8Array.of(0xff));

    await expectIceRpcError(invocation, IceRpcError.IceRpcError);
  });

  // Not in C#: an invalid response fails its invocation only; the connection serves the next one.
  test("Invalid response fails the invocation and the connection stays usable", async () => {
    const { sut, rawServer } = await connectToRawServer(fixture);

    const { invocation: invalid } = await invokeWithRawResponse(
      sut,
      rawServer,
      responseHeader({ statusCode: StatusCode.Ok, fields: [[2, Uint8Array.of(1)], [2, Uint8Array.of(2)]] }),
    );
    await expectIceRpcError(invalid, IceRpcError.IceRpcError);

    const { invocation: valid } = await invokeWithRawResponse(sut, rawServer, responseHeader({ statusCode: StatusCode.Ok }));
    await expect(valid).resolves.toMatchObject({ statusCode: StatusCode.Ok });
  });

  // Not in C#: a peer that ignores this side's MaxHeaderSize fails the invocation, not the connection.
  test("Response with header size larger than max header size from the peer fails the invocation", async () => {
    const { sut, rawServer } = await connectToRawServer(fixture, 100);

    const { invocation } = await invokeWithRawResponse(
      sut,
      rawServer,
      responseHeader({ statusCode: StatusCode.Ok, fields: [[3, new Uint8Array(200)]] }),
    );

    await expectIceRpcError(invocation, IceRpcError.IceRpcError);
  });

  // Not in C#: a response with an error status carries its message to the caller unchanged.
  test("Response with an error status from the peer is delivered with its message", async () => {
    const { sut, rawServer } = await connectToRawServer(fixture);

    const { invocation } = await invokeWithRawResponse(
      sut,
      rawServer,
      responseHeader({ statusCode: StatusCode.ApplicationError, errorMessage: "boom" }),
    );

    await expect(invocation).resolves.toMatchObject({ statusCode: StatusCode.ApplicationError, errorMessage: "boom" });
  });
}
