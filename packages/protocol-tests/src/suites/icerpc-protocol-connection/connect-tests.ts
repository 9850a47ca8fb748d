// IceRpcProtocolConnectionTests: establishment (reference §2.1, §4.6).
import { expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException, InvalidDataError } from "@icerpc-ts/core";
import { SliceEncoder } from "@icerpc-ts/core/codec";

import type { TransportOperation } from "../../faulty-transport/transport-operation.js";
import { RawPeer } from "../../raw-peer/raw-peer.js";
import { controlFrame, ControlFrameType, encodeBytes, settingsBody, varUInt62Max } from "../../raw-peer/wire-format.js";
import { ClientServerProtocolConnection } from "../../support/client-server-protocol-connection.js";
import { expectIceRpcError, expectRejectsWith } from "../../support/expectations.js";
import { rejectionOf } from "@icerpc-ts/transport-conformance";
import type { ProtocolFixture } from "../../support/protocol-fixture.js";

/** A control frame whose body size is on 4 bytes, as the frames of C#'s test cases. */
function frameWith4ByteSize(type: number, encode: (encoder: SliceEncoder) => void): Uint8Array {
  return controlFrame(type, encodeBytes(encode), 4);
}

/** The malformed Settings frames of C#'s `InvalidSettingsFrames`. */
export const invalidSettingsFrames: ReadonlyArray<readonly [string, Uint8Array]> = [
  ["bogus frame type", Uint8Array.of(0xff)],
  ["body larger than the Settings limit", Uint8Array.of(0x00, 0x02, 0x00, 0x02, 0x00)],
  ["bogus dictionary size", frameWith4ByteSize(ControlFrameType.settings, (e) => e.encodeVarUInt62(varUInt62Max))],
  ["truncated dictionary", frameWith4ByteSize(ControlFrameType.settings, (e) => e.encodeVarUInt62(3))],
  [
    "bytes after the dictionary",
    frameWith4ByteSize(ControlFrameType.settings, (e) => {
      e.encodeVarUInt62(0);
      e.encodeVarUInt62(varUInt62Max);
    }),
  ],
  ["MaxHeaderSize out of range", frameWith4ByteSize(ControlFrameType.settings, (e) => e.encodeBytes(settingsBody([[0, varUInt62Max]])))],
];

/** Checks that a connect failed as icerpc reports a malformed Settings frame: ConnectionAborted with the cause. */
async function expectInvalidSettingsRejection(connect: Promise<unknown>): Promise<void> {
  const error = await expectIceRpcError(connect, IceRpcError.ConnectionAborted);
  expect(error.cause).toBeInstanceOf(InvalidDataError);
}

type Side = "client" | "server";

export function declareConnectTests(fixture: ProtocolFixture): void {
  test("Dispose aborts connect", async () => {
    const sut = await ClientServerProtocolConnection.create(fixture, { faults: { client: { hold: ["connect"] } } });
    const connect = sut.client.connect();
    await sut.clientConnection.operations.blocked("connect");

    await sut.client.dispose();

    await expectIceRpcError(connect, IceRpcError.OperationAborted);
  });

  for (const [description, frame] of invalidSettingsFrames) {
    test(`Connect exception handling on invalid settings frame from peer (client sends ${description})`, async () => {
      // As C#: the client's transport connection is used by hand, its icerpc connection never connects.
      const sut = await ClientServerProtocolConnection.create(fixture);
      const accept = sut.acceptServer();
      await sut.clientConnection.connect();
      const rawClient = new RawPeer(sut.clientConnection);

      await rawClient.openControlStream(frame);

      await expectInvalidSettingsRejection(accept);
    });

    // Not in C#: the same frames sent by a server, which the client must reject the same way.
    test(`Connect exception handling on invalid settings frame from peer (server sends ${description})`, async () => {
      const sut = await ClientServerProtocolConnection.create(fixture);
      const connect = sut.client.connect();
      const rawServer = fixture.track(await RawPeer.accept(sut.listener));

      await rawServer.openControlStream(frame);

      await expectInvalidSettingsRejection(connect);
    });
  }

  // Not in C#: Settings keys this version does not know are ignored (reference §1.4).
  test("Connect ignores unknown settings keys", async () => {
    const sut = await ClientServerProtocolConnection.create(fixture);
    const accept = sut.acceptServer();
    await sut.clientConnection.connect();
    const rawClient = new RawPeer(sut.clientConnection);

    await rawClient.openControlStream(controlFrame(ControlFrameType.settings, settingsBody([[7, 42], [1000, 1]])));

    await expect(accept).resolves.toBeDefined();
  });

  // Not in C#: the first stream a peer opens must be its unidirectional control stream (reference §2.1).
  test("Connect exception handling when the peer's first stream is not a control stream", async () => {
    const sut = await ClientServerProtocolConnection.create(fixture);
    const accept = sut.acceptServer();
    await sut.clientConnection.connect();
    const bidirectional = await sut.clientConnection.createStream(true);
    bidirectional.output.write(Uint8Array.of(ControlFrameType.settings, 0x05, 0x00, 0x00));
    await bidirectional.output.flush();

    await expectIceRpcError(accept, IceRpcError.ConnectionAborted);
  });

  const failingOperations: TransportOperation[] = ["connect", "createStream", "acceptStream", "streamRead", "streamWrite"];
  const failureCases: Array<[Side, TransportOperation, "IceRpcException" | "TLS error"]> = [];
  for (const side of ["client", "server"] as const) {
    for (const operation of failingOperations) {
      failureCases.push([side, operation, "IceRpcException"]);
    }
    // C#'s AuthenticationException case: a TLS failure surfaces as a plain Error from the transport's connect.
    failureCases.push([side, "connect", "TLS error"]);
  }
  for (const [side, operation, kind] of failureCases) {
    test(`Connect exception handling on transport failure (${side} ${operation}, ${kind})`, async () => {
      const failure =
        kind === "TLS error"
          ? new Error("The TLS handshake failed: the peer's certificate is not trusted.")
          : new IceRpcException(IceRpcError.ConnectionRefused);
      const faults = { [side]: { fail: [operation], failure } };
      const sut = await ClientServerProtocolConnection.create(fixture, { faults });

      if (side === "server") {
        await expectRejectsWith(sut.connect(), failure);
      } else {
        void sut.acceptServer().catch(() => {});
        await expectRejectsWith(sut.client.connect(), failure);
      }
    });
  }

  const hangingOperations: TransportOperation[] = ["connect", "createStream", "acceptStream", "streamRead", "streamWrite"];
  for (const side of ["client", "server"] as const) {
    for (const operation of hangingOperations) {
      test(`Connect cancellation on transport hang (${side} ${operation})`, async () => {
        const sut = await ClientServerProtocolConnection.create(fixture, { faults: { [side]: { hold: [operation] } } });
        const controller = new AbortController();
        const transport = side === "client" ? sut.transports.client : sut.transports.server;

        let connect: Promise<unknown>;
        if (side === "server") {
          connect = sut.connect(controller.signal);
        } else {
          void sut.acceptServer().catch(() => {});
          connect = sut.client.connect(controller.signal);
        }
        await transport.log.blocked(operation);
        controller.abort(new Error("The test canceled the connect."));

        await expectRejectsWith(connect, controller.signal.reason);
      });
    }
  }

  test("Connect exception handling on protocol error", async () => {
    // C# replaces the client's stream input with the byte 0xFF; here a raw server sends it as its Settings.
    const sut = await ClientServerProtocolConnection.create(fixture);
    const connect = sut.client.connect();
    const rawServer = fixture.track(await RawPeer.accept(sut.listener));

    await rawServer.openControlStream(Uint8Array.of(0xff));

    await expectIceRpcError(connect, IceRpcError.ConnectionAborted);
  });

  test("Shutdown fails if connect fails", async () => {
    const sut = await ClientServerProtocolConnection.create(fixture, { faults: { client: { fail: ["connect"] } } });
    const connect = sut.client.connect();

    expect((await rejectionOf(sut.client.shutdown())) as Error).toMatchObject({ name: "InvalidOperationError" });
    await expect(connect).rejects.toBeInstanceOf(IceRpcException);
  });
}
