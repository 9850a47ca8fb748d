import { expect, test } from "@jest/globals";
import { IceRpcError, InvalidOperationError } from "@icerpc-ts/core";

import { closeCases } from "./close-cases.js";
import type { ConformanceFixture } from "./conformance-fixture.js";
import { asPromise, expectIceRpcError, handledLater } from "./operation-outcomes.js";
import { completions } from "./stream-completion.js";

const streamTypes = [
  { bidirectional: true, label: "bidirectional" },
  { bidirectional: false, label: "unidirectional" },
] as const;

/** Declares the stream tests about ids, ends, aborts, cancellation and the state after a connection closes. */
export function declareStreamStateTests(fixture: ConformanceFixture): void {
  test("Create stream before calling connect fails", async () => {
    const sut = await fixture.listen();
    await expect(asPromise(() => sut.client.createStream(true))).rejects.toBeInstanceOf(InvalidOperationError);
  });

  for (const serverInitiated of [false, true]) {
    for (const { bidirectional, label } of streamTypes) {
      for (const streamCount of [1, 4]) {
        // RFC 9000 ids: bit 0 is the initiator, bit 1 the direction, and each type counts up by 4.
        const expectedId = 4 * (streamCount - 1) + (bidirectional ? 0 : 2) + (serverInitiated ? 1 : 0);
        const stream = `${serverInitiated ? "server" : "client"} ${label} stream #${streamCount}`;
        test(`Created stream has expected id (${stream} is ${expectedId})`, async () => {
          const sut = await fixture.connect();
          for (let i = 1; i < streamCount; i++) {
            await sut.createAndAcceptStream({ bidirectional, serverInitiated });
          }
          const { local, remote } = await sut.createAndAcceptStream({ bidirectional, serverInitiated });
          expect(local.id).toBe(expectedId);
          expect(remote.id).toBe(expectedId);
        });
      }
    }
  }

  // C# runs this case for every close code but Refused; the contract makes no exception, so Refused is included.
  for (const { code, label, peerError } of closeCases) {
    test(`Pending stream read fails with peer close error code on connection close (${label})`, async () => {
      const sut = await fixture.connect();
      const { local } = await sut.createAndAcceptStream();
      const reading = handledLater(local.input.read());
      await sut.server.close(code);
      await expectIceRpcError(reading, peerError);
    });
  }

  test("Stream abort read", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    remote.input.abort();
    // Wait until the writer learned that its peer stopped reading (C# sleeps 50 ms instead).
    await local.writesClosed;
    local.output.write(new Uint8Array(1024));
    expect(await local.output.flush()).toBe("writesClosed");
  });

  test("aborting the input rejects its pending read with OperationAborted", async () => {
    const sut = await fixture.connect();
    const { remote } = await sut.createAndAcceptStream();
    const reading = handledLater(remote.input.read());
    remote.input.abort();
    await expectIceRpcError(reading, IceRpcError.OperationAborted);
  });

  test("Stream abort write", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    local.output.abort();
    await expectIceRpcError(remote.input.read(), IceRpcError.TruncatedData);
  });

  // StreamInput has a single way to stop reading early, abort(); the two C# cases (completing the input with or
  // without an exception) become aborting it with nothing left unread ("graceful") or with received data unread
  // ("abort").
  for (const { bidirectional, label } of streamTypes) {
    for (const completion of completions) {
      test(`Stream local writes are closed when remote input is completed (${label}, ${completion})`, async () => {
        const sut = await fixture.connect();
        const { local, remote } = await sut.createAndAcceptStream({ bidirectional });
        if (completion === "abort") {
          local.output.write(new Uint8Array(1024));
          await local.output.flush();
        }
        remote.input.abort();
        await local.writesClosed;
      });
    }
  }

  for (const { bidirectional, label } of streamTypes) {
    for (const completion of completions) {
      test(`Stream local writes are closed when local output completed (${label}, ${completion})`, async () => {
        const sut = await fixture.connect();
        const { local } = await sut.createAndAcceptStream({ bidirectional });
        if (completion === "graceful") {
          await local.output.end();
        } else {
          local.output.abort();
        }
        await local.writesClosed;
      });
    }
  }

  // C# also checks IsStarted, which this contract does not have: a local stream has its id from its creation.
  test("Stream properties readable after input and output completed", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    await local.output.end();
    local.input.abort();
    await local.writesClosed;
    await remote.output.end();
    remote.input.abort();
    await remote.writesClosed;

    expect(remote.id).toBe(local.id);
    expect(local.isBidirectional).toBe(true);
    expect(remote.isBidirectional).toBe(true);
    expect(local.isRemote).toBe(false);
    expect(remote.isRemote).toBe(true);
  });

  test("Stream read cancellation", async () => {
    const sut = await fixture.connect();
    const { local } = await sut.createAndAcceptStream();
    const controller = new AbortController();
    const reading = local.input.read(controller.signal);
    const reason = new Error("The test canceled the read.");
    controller.abort(reason);
    await expect(reading).rejects.toBe(reason);
  });

  // Replaces the C# case where CancelPendingRead before ReadAsync makes that read return a canceled result and the
  // next one the data: here, a read whose signal is already aborted fails even though data is waiting, and the data
  // is still there for the next read.
  test("Stream read returns canceled read result after cancel pending read", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    remote.output.write(Uint8Array.of(0xab));
    await remote.output.flush();
    const reason = new Error("The test canceled the read.");
    await expect(local.input.read(AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(Array.from((await local.input.read()) ?? [])).toEqual([0xab]);
  });

  // Replaces the C# case where CancelPendingRead during a ReadAsync returns a canceled result: here, aborting the
  // signal of a pending read fails it, and, the abort being transient, the next read gets the data sent afterwards.
  // (C# tolerates OperationAborted for that next read; this contract does not.)
  test("Stream read returns canceled read result on cancel pending read", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    const controller = new AbortController();
    const reading = local.input.read(controller.signal);
    const reason = new Error("The test canceled the read.");
    controller.abort(reason);
    await expect(reading).rejects.toBe(reason);
    remote.output.write(Uint8Array.of(0xab));
    await remote.output.flush();
    expect(Array.from((await local.input.read()) ?? [])).toEqual([0xab]);
  });

  test("Stream read with canceled token fails", async () => {
    const sut = await fixture.connect();
    const { local } = await sut.createAndAcceptStream();
    const reason = new Error("The test canceled the read.");
    await expect(local.input.read(AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  test("Stream remote read returns completed result when local output is completed", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    await local.output.end();
    expect(await remote.input.read()).toBeNull();
  });

  test("Stream remote write returns completed flush result when local input is completed", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    local.input.abort();
    // Wait until the writer learned that its peer stopped reading (C# sleeps 50 ms instead).
    await remote.writesClosed;
    remote.output.write(Uint8Array.of(1));
    expect(await remote.output.flush()).toBe("writesClosed");
  });

  test("Stream remote flush returns completed flush result when local input is completed", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    // Written before the peer stops reading, flushed after.
    remote.output.write(Uint8Array.of(1));
    local.input.abort();
    await remote.writesClosed;
    expect(await remote.output.flush()).toBe("writesClosed");
  });

  // Not in the C# suite: the contract's rule for a flush or end that waits for the peer's window when the output aborts.
  for (const operation of ["flush", "end"] as const) {
    test(`aborting the output rejects its pending ${operation} with OperationAborted`, async () => {
      const sut = await fixture.connect();
      const { local } = await sut.createAndAcceptStream();
      // More than any transport's window and socket buffers hold while the peer reads nothing.
      local.output.write(new Uint8Array(32 * 1024 * 1024));
      const sending = handledLater(local.output[operation]());
      await fixture.expectPending(sending);

      local.output.abort();

      await expectIceRpcError(sending, IceRpcError.OperationAborted);
    });
  }

  test("Stream write with canceled token fails", async () => {
    const sut = await fixture.connect();
    const { local } = await sut.createAndAcceptStream();
    local.output.write(Uint8Array.of(0xab));
    const reason = new Error("The test canceled the flush.");
    await expect(local.output.flush(AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  // Not in the C# suite: the contract's rules for the half a unidirectional stream lacks.
  test("the missing half of a unidirectional stream throws InvalidOperationError", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream({ bidirectional: false });
    await expect(asPromise(() => local.input.read())).rejects.toBeInstanceOf(InvalidOperationError);
    expect(() => remote.output.write(Uint8Array.of(1))).toThrow(InvalidOperationError);
    // A stream without output cannot write, so its writes are closed from the start.
    await remote.writesClosed;
  });

  // Not in the C# suite: the contract's rules for an output after end() and an input after abort().
  test("an ended output and an aborted input throw InvalidOperationError", async () => {
    const sut = await fixture.connect();
    const { local, remote } = await sut.createAndAcceptStream();
    await local.output.end();
    expect(() => local.output.write(Uint8Array.of(1))).toThrow(InvalidOperationError);
    await expect(asPromise(() => local.output.flush())).rejects.toBeInstanceOf(InvalidOperationError);
    await expect(asPromise(() => local.output.end())).rejects.toBeInstanceOf(InvalidOperationError);
    remote.input.abort();
    await expect(asPromise(() => remote.input.read())).rejects.toBeInstanceOf(InvalidOperationError);
  });
}
