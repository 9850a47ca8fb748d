import { afterEach, describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException, ObjectDisposedError } from "@icerpc-ts/core";

import { patternBytes, patternMismatch } from "./byte-pattern.js";
import { ConformanceFixture } from "./conformance-fixture.js";
import { asPromise, expectIceRpcError, handledLater } from "./operation-outcomes.js";
import { readAll } from "./read-all.js";
import type { TransportUnderTest } from "./transport-under-test.js";

/** Declares "<name> multiplexed listener conformance": the listener tests of IceRPC's conformance suite. */
export function multiplexedListenerConformanceTests(transport: TransportUnderTest): void {
  describe(`${transport.name} multiplexed listener conformance`, () => {
    const fixture = new ConformanceFixture(transport);
    afterEach(() => fixture.disposeAll());

    test("Call accept on a disposed listener fails with object disposed exception", async () => {
      const sut = await fixture.listen();
      await sut.listener.dispose();
      await expect(sut.listener.accept()).rejects.toBeInstanceOf(ObjectDisposedError);
    });

    test("Call accept on a listener accepts a connection", async () => {
      const sut = await fixture.listen();
      const accepting = sut.listener.accept();
      const connecting = handledLater(sut.client.connect());
      const { connection } = await accepting;
      fixture.track(connection);
      await connection.connect();
      await connecting;
    });

    test("Disposing the listener does not affect existing connections", async () => {
      const sut = await fixture.connect();
      const { local, remote } = await sut.createAndAcceptStream();
      await sut.listener.dispose();
      const reading = handledLater(readAll(remote.input));
      local.output.write(patternBytes(0, 0, 1024));
      expect(await local.output.end()).toBe("flushed");
      const received = await reading;
      expect(received.length).toBe(1024);
      expect(patternMismatch(received, 0, 0)).toBeUndefined();
    });

    test(
      "Call accept on a listener and then cancel the cancellation source fails with operation canceled exception",
      async () => {
        const sut = await fixture.listen();
        const controller = new AbortController();
        const accepting = sut.listener.accept(controller.signal);
        const reason = new Error("The test canceled accept.");
        controller.abort(reason);
        await expect(accepting).rejects.toBe(reason);
      },
    );

    test("Call accept on a listener and then dispose it fails with object disposed exception", async () => {
      const sut = await fixture.listen();
      const accepting = handledLater(sut.listener.accept());
      await sut.listener.dispose();
      await expect(accepting).rejects.toBeInstanceOf(ObjectDisposedError);
    });

    test(
      "Call accept on a listener with a canceled cancellation token fails with operation canceled exception",
      async () => {
        const sut = await fixture.listen();
        const reason = new Error("The test canceled accept.");
        await expect(sut.listener.accept(AbortSignal.abort(reason))).rejects.toBe(reason);
      },
    );

    test("Connect fails if listener is disposed", async () => {
      const sut = await fixture.connect();
      const connection = fixture.track(sut.clientTransport.createConnection(sut.listener.address, sut.options));
      await sut.listener.dispose();
      await sut.dispose();
      await expect(connection.connect()).rejects.toBeInstanceOf(IceRpcException);
    });

    test("Listen twice on the same address fails with a transport exception", async () => {
      const sut = await fixture.listen();
      const listening = asPromise(() => sut.serverTransport.listen(sut.listener.address, sut.options));
      await expectIceRpcError(
        listening.then((listener) => fixture.track(listener)),
        IceRpcError.AddressInUse,
      );
    });
  });
}
