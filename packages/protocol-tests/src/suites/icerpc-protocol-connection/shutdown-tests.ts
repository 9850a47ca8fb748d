// IceRpcProtocolConnectionTests: GoAway and shutdown (reference §1.4, §2.4), including malformed GoAway frames and
// what a connection's `closed` promise reports.
import { expect, test } from "@jest/globals";
import { IceRpcError, InvalidDataError } from "@icerpc-ts/core";
import { SliceEncoder } from "@icerpc-ts/core/codec";

import { controlFrame, ControlFrameType, encodeBytes, goAwayFrame, varUInt62Max } from "../../raw-peer/wire-format.js";
import { connectPair, shutdownWhenRequested } from "../../support/client-server-protocol-connection.js";
import { expectIceRpcError, expectRejectsWith } from "../../support/expectations.js";
import type { ProtocolFixture } from "../../support/protocol-fixture.js";
import { newRequest } from "../../support/requests.js";

function goAwayWith4ByteSize(encode: (encoder: SliceEncoder) => void): Uint8Array {
  return controlFrame(ControlFrameType.goAway, encodeBytes(encode), 4);
}

/** The malformed GoAway frames of C#'s `InvalidGoAwayFrames`; empty means "the control stream ends instead". */
const invalidGoAwayFrames: ReadonlyArray<readonly [string, Uint8Array]> = [
  ["control stream ended", new Uint8Array(0)],
  ["bogus frame type", Uint8Array.of(0xff)],
  ["body larger than the GoAway limit", Uint8Array.of(0x01, 0x02, 0x00, 0x02, 0x00)],
  ["truncated body", goAwayWith4ByteSize((e) => e.encodeVarUInt62(varUInt62Max))],
  [
    "bytes after the stream ids",
    goAwayWith4ByteSize((e) => {
      e.encodeVarUInt62(varUInt62Max);
      e.encodeVarUInt62(varUInt62Max);
      e.encodeVarUInt62(varUInt62Max);
    }),
  ],
];

export function declareShutdownTests(fixture: ProtocolFixture): void {
  for (const [description, frame] of invalidGoAwayFrames) {
    test(`Shutdown exception handling on invalid go away frame from peer (${description})`, async () => {
      const { sut } = await connectPair(fixture);
      // The client's control stream, written by hand while its icerpc connection sits idle.
      const clientControlStream = await sut.clientConnection.createdStreams.at(0);

      const shutdown = sut.server.shutdown();
      if (frame.length === 0) {
        await clientControlStream.output.end();
      } else {
        clientControlStream.output.write(frame);
        await clientControlStream.output.flush();
      }

      const error = await expectIceRpcError(shutdown, IceRpcError.IceRpcError);
      expect(error.cause).toBeInstanceOf(InvalidDataError);
      // The connection reports why it closed.
      expect(await sut.server.closed).toMatchObject({ error: IceRpcError.IceRpcError });
    });
  }

  // Not in C#: after its GoAway, a peer may only end its control stream (reference §1.4).
  test("Shutdown exception handling on data after the go away frame from peer", async () => {
    const { sut } = await connectPair(fixture);
    const clientControlStream = await sut.clientConnection.createdStreams.at(0);

    const shutdown = sut.server.shutdown();
    // What a client that accepted nothing says, followed by one byte too many.
    clientControlStream.output.write(goAwayFrame(1, 7));
    clientControlStream.output.write(Uint8Array.of(0));
    await clientControlStream.output.end();

    await expectIceRpcError(shutdown, IceRpcError.IceRpcError);
  });

  test("Shutdown cancellation with hung server transport", async () => {
    const { sut, server } = await connectPair(fixture);
    // The server's reads of the client's control stream are held: it never sees the client's GoAway.
    (await sut.serverConnection.acceptedStreams.at(0)).operations.hold("streamRead");
    void shutdownWhenRequested(sut.server, server);
    const controller = new AbortController();

    const shutdown = sut.client.shutdown(controller.signal);
    await sut.serverConnection.log.blocked("streamRead");
    controller.abort(new Error("The test canceled the shutdown."));

    await expectRejectsWith(shutdown, controller.signal.reason);
  });

  // Not in C#: the GoAway frames a client and a server send, byte for byte (reference §1.4 examples).
  test("GoAway frames carry the first stream ids not accepted", async () => {
    const { sut, server } = await connectPair(fixture);
    for (let i = 0; i < 3; i++) {
      await (await sut.client.invoke(newRequest())).payload.readAll();
    }
    const serverControlStream = await sut.serverConnection.createdStreams.at(0);
    const clientControlStream = await sut.clientConnection.createdStreams.at(0);
    const sent: Uint8Array[] = [];
    for (const stream of [clientControlStream, serverControlStream]) {
      const write = stream.output.write.bind(stream.output);
      stream.output.write = (data) => {
        sent.push(data.slice());
        write(data);
      };
    }
    void shutdownWhenRequested(sut.server, server);

    await sut.client.shutdown();

    // The client accepted nothing: bidi 1, uni 3 + 4. The server accepted streams 0, 4 and 8: bidi 12, uni 2 + 4.
    expect(sent).toContainEqual(Uint8Array.of(0x01, 0x09, 0x00, 0x04, 0x1c));
    expect(sent).toContainEqual(Uint8Array.of(0x01, 0x09, 0x00, 0x30, 0x18));
  });

  // Not in C#: `closed` says why a connection closed.
  test("Closed resolves with undefined after a graceful shutdown", async () => {
    const { sut, server } = await connectPair(fixture);
    void shutdownWhenRequested(sut.server, server);

    await sut.client.shutdown();

    expect(await sut.client.closed).toBeUndefined();
    expect(await fixture.eventually(sut.server.closed, "the server connection to close")).toBeUndefined();
  });

  test("Closed resolves with OperationAborted after dispose", async () => {
    const { sut } = await connectPair(fixture);

    await sut.client.dispose();

    expect(await sut.client.closed).toMatchObject({ error: IceRpcError.OperationAborted });
  });

  test("Closed resolves with ConnectionAborted when the peer is lost", async () => {
    const { sut } = await connectPair(fixture);

    await sut.client.dispose();

    expect(await fixture.eventually(sut.server.closed, "the server connection to close")).toMatchObject({
      error: IceRpcError.ConnectionAborted,
    });
  });
}
