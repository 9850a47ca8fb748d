import { expect, test } from "@jest/globals";
import { IceRpcError, ObjectDisposedError } from "@icerpc-ts/core";
import { MultiplexedConnectionCloseError } from "@icerpc-ts/core/transport";

import { closeCases } from "./close-cases.js";
import type { ConformanceFixture } from "./conformance-fixture.js";
import { asPromise, expectIceRpcError, handledLater } from "./operation-outcomes.js";

/** Declares the connection tests about closing, disposing and losing connections. */
export function declareConnectionCloseTests(fixture: ConformanceFixture): void {
  for (const { code, label, peerError } of closeCases) {
    test(`Accept stream fails on close (${label})`, async () => {
      const sut = await fixture.connect();
      const accepting = handledLater(sut.server.acceptStream());
      await sut.client.close(code);
      await expectIceRpcError(accepting, peerError);
    });
  }

  for (const { code, label, peerError } of closeCases) {
    test(`Cannot create streams with a closed connection (${label})`, async () => {
      const sut = await fixture.connect();
      await sut.server.close(code);
      await expectIceRpcError(sut.client.acceptStream(), peerError);
      await expectIceRpcError(asPromise(() => sut.client.createStream(true)), peerError);
    });
  }

  for (const disposedSide of ["client", "server"] as const) {
    test(`Cannot create streams with a disposed connection (${disposedSide} disposed)`, async () => {
      const sut = await fixture.connect();
      const [disposed, peer] = disposedSide === "server" ? [sut.server, sut.client] : [sut.client, sut.server];
      const peerStream = await peer.createStream(true);
      peerStream.output.write(Uint8Array.of(0xff));
      await peerStream.output.flush();

      await disposed.dispose();

      await expect(asPromise(() => disposed.createStream(true))).rejects.toBeInstanceOf(ObjectDisposedError);
      // The peer finds out that the connection is gone: its stream's writes close and writing fails.
      await peerStream.writesClosed;
      peerStream.output.write(Uint8Array.of(0xff));
      await expectIceRpcError(peerStream.output.flush(), IceRpcError.ConnectionAborted);
    });
  }

  test("Close connection", async () => {
    const sut = await fixture.connect();
    await sut.client.close(MultiplexedConnectionCloseError.NoError);
    await sut.server.close(MultiplexedConnectionCloseError.NoError);
  });

  test("Close connection simultaneously on both sides", async () => {
    const sut = await fixture.connect();
    await Promise.all([
      sut.client.close(MultiplexedConnectionCloseError.NoError),
      sut.server.close(MultiplexedConnectionCloseError.NoError),
    ]);
  });

  test("Connection operations fail with connection aborted error after close", async () => {
    const sut = await fixture.connect();
    const { local } = await sut.createAndAcceptStream();
    await sut.client.close(MultiplexedConnectionCloseError.NoError);
    local.output.write(Uint8Array.of(0xff));
    await expectIceRpcError(local.output.flush(), IceRpcError.ConnectionAborted);
    await expectIceRpcError(local.input.read(), IceRpcError.ConnectionAborted);
  });

  test("Connection operations fail with connection aborted error after dispose", async () => {
    const sut = await fixture.connect();
    const { local } = await sut.createAndAcceptStream();
    await sut.client.dispose();
    await expect(asPromise(() => sut.client.createStream(true))).rejects.toBeInstanceOf(ObjectDisposedError);
    await expect(asPromise(() => sut.client.acceptStream())).rejects.toBeInstanceOf(ObjectDisposedError);
    // IceRPC C# reports ConnectionAborted here; this project's contract documents OperationAborted for stream
    // operations on a connection disposed locally (see StreamInput.read and MultiplexedConnection.dispose).
    local.output.write(Uint8Array.of(0xff));
    await expectIceRpcError(local.output.flush(), IceRpcError.OperationAborted);
    await expectIceRpcError(local.input.read(), IceRpcError.OperationAborted);
  });

  test("Connection dispose aborts pending operations with object disposed exception", async () => {
    const sut = await fixture.connect({ maxBidirectionalStreams: 1 });
    const { local } = await sut.createAndAcceptStream();
    const accepting = sut.client.acceptStream();
    const creating = sut.client.createStream(true);
    const reading = local.input.read();
    await fixture.expectPending(Promise.race([accepting, creating, reading]));

    await sut.client.dispose();

    await expect(accepting).rejects.toBeInstanceOf(ObjectDisposedError);
    await expect(creating).rejects.toBeInstanceOf(ObjectDisposedError);
    await expectIceRpcError(reading, IceRpcError.OperationAborted);
  });

  test("Disposing the client connection aborts the server connection", async () => {
    const sut = await fixture.connect();
    await sut.client.dispose();
    await expectIceRpcError(sut.server.acceptStream(), IceRpcError.ConnectionAborted);
  });

  test("Disposing the connection closes the streams", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    await sut.server.dispose();
    await remote.writesClosed;
    await local.writesClosed;
  });

  for (const { code, label, peerError } of closeCases) {
    test(`Pending accept stream fails with peer close error code on connection close (${label})`, async () => {
      const sut = await fixture.connect();
      const accepting = handledLater(sut.client.acceptStream());
      await sut.server.close(code);
      await expectIceRpcError(accepting, peerError);
    });
  }
}
