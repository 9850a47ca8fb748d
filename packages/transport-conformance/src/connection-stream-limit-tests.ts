import { expect, test } from "@jest/globals";
import { IceRpcError } from "@icerpc-ts/core";
import { MultiplexedConnectionCloseError, type MultiplexedStream } from "@icerpc-ts/core/transport";

import { patternBytes } from "./byte-pattern.js";
import { closeCases } from "./close-cases.js";
import type { ConformanceFixture } from "./conformance-fixture.js";
import { expectIceRpcError } from "./operation-outcomes.js";
import { readAll } from "./read-all.js";
import { serveStreams } from "./serve-streams.js";
import { completeStream, completions } from "./stream-completion.js";

/** Declares the connection tests about the peer's stream limits (`maxBidirectionalStreams`...). */
export function declareConnectionStreamLimitTests(fixture: ConformanceFixture): void {
  test("Connect reports the stream limits the peer advertised", async () => {
    const serverLimits = { maxBidirectionalStreams: 7, maxUnidirectionalStreams: 9 };
    // A client connection without dispatcher: no stream for requests, one unidirectional for its control stream.
    const clientLimits = { maxBidirectionalStreams: 0, maxUnidirectionalStreams: 1 };
    const sut = await fixture.listen(serverLimits, clientLimits);

    const information = await sut.acceptAndConnect();

    expect(information.client.peerStreamLimits).toEqual(serverLimits);
    expect(information.server.peerStreamLimits).toEqual(clientLimits);
  });

  for (const completion of completions) {
    test(`Completing an unidirectional stream allows accepting a new one (${completion})`, async () => {
      const sut = await fixture.connect({ maxUnidirectionalStreams: 1 });
      const first = await sut.createAndAcceptStream({ bidirectional: false });
      const creating = sut.client.createStream(false);
      await fixture.expectPending(creating);
      await completeStream(first, completion);
      await creating;
    });
  }

  for (const completion of completions) {
    test(`Completing a bidirectional stream allows accepting a new one (${completion})`, async () => {
      const sut = await fixture.connect({ maxBidirectionalStreams: 1 });
      const first = await sut.createAndAcceptStream();
      const creating = sut.client.createStream(true);
      await fixture.expectPending(creating);
      await completeStream(first, completion);
      await creating;
    });
  }

  test("Cancel create stream which is blocked after max streams has been reached", async () => {
    const sut = await fixture.connect({ maxBidirectionalStreams: 1 });
    const first = await sut.createAndAcceptStream();
    const controller = new AbortController();
    const creating = sut.client.createStream(true, controller.signal);
    await fixture.expectPending(creating);
    const reason = new Error("The test canceled createStream.");
    controller.abort(reason);
    await expect(creating).rejects.toBe(reason);
    // The canceled creation did not take the slot that the first stream frees.
    await completeStream(first, "graceful");
    await sut.client.createStream(true);
  });

  test("Create stream which is waiting on streams semaphore fails when connection is closed", async () => {
    const sut = await fixture.connect({ maxBidirectionalStreams: 1 });
    await sut.createAndAcceptStream();
    const creating = sut.client.createStream(true);
    await fixture.expectPending(creating);
    await sut.client.close(MultiplexedConnectionCloseError.NoError);
    await expectIceRpcError(creating, IceRpcError.OperationAborted);
  });

  for (const completion of completions) {
    test(`Max bidirectional streams (${completion})`, async () => {
      const sut = await fixture.connect({ maxBidirectionalStreams: 1 });
      const first = await sut.createAndAcceptStream();
      const second = sut.createAndAcceptStream();
      await fixture.expectPending(second);
      await completeStream(first, completion);
      await second;
    });
  }

  test("Max bidirectional stream stress test", async () => {
    const maxStreams = 16;
    const streamCount = 32;
    const sut = await fixture.connect({ maxBidirectionalStreams: maxStreams });
    const payload = patternBytes(0, 0, 16 * 1024);
    const activity = new ActiveStreamCounter();

    const clientSide = async (): Promise<void> => {
      const stream = await sut.client.createStream(true);
      stream.output.write(payload);
      await stream.output.flush();
      activity.started();
      await stream.output.end();
      await readAll(stream.input);
    };
    const serverSide = async (stream: MultiplexedStream): Promise<void> => {
      await readAll(stream.input);
      activity.finished();
      stream.output.write(payload);
      await stream.output.end();
    };

    await Promise.all([
      serveStreams(sut.server, streamCount, serverSide),
      ...Array.from({ length: streamCount }, clientSide),
    ]);
    expect(activity.maxActive).toBeLessThanOrEqual(maxStreams);
  });

  test("Max unidirectional stream stress test", async () => {
    const maxStreams = 16;
    const streamCount = 32;
    const sut = await fixture.connect({ maxUnidirectionalStreams: maxStreams });
    const payload = patternBytes(0, 0, 16 * 1024);
    const activity = new ActiveStreamCounter();

    const clientSide = async (): Promise<void> => {
      const stream = await sut.client.createStream(false);
      stream.output.write(payload);
      await stream.output.flush();
      activity.started();
      // Enough further data that the stream cannot finish before the accepting side starts reading it.
      for (let i = 0; i < 4; i++) {
        stream.output.write(payload);
        await stream.output.flush();
      }
      await stream.output.end();
    };
    const serverSide = async (stream: MultiplexedStream): Promise<void> => {
      // Counted as finished on acceptance: the stream may be released as soon as its last byte is read.
      activity.finished();
      await readAll(stream.input);
    };

    await Promise.all([
      serveStreams(sut.server, streamCount, serverSide),
      ...Array.from({ length: streamCount }, clientSide),
    ]);
    expect(activity.maxActive).toBeLessThanOrEqual(maxStreams);
  });

  for (const { code, label, peerError } of closeCases) {
    test(`Pending create stream fails with peer close error code on connection close (${label})`, async () => {
      const sut = await fixture.connect({ maxBidirectionalStreams: 1 });
      const first = await sut.client.createStream(true);
      first.output.write(Uint8Array.of(0xff));
      await first.output.flush();
      const creating = sut.client.createStream(true);
      await fixture.expectPending(creating);
      await sut.server.close(code);
      await expectIceRpcError(creating, peerError);
    });
  }

  test("Stream creation hangs until remote data is consumed", async () => {
    const sut = await fixture.connect({ maxBidirectionalStreams: 1 });
    const local = await sut.client.createStream(true);
    local.output.write(Uint8Array.of(0xff));
    await local.output.end();
    const remote = await sut.server.acceptStream();
    await remote.output.end();
    // Everything is done except that the accepted end has not read what it received.
    expect(await local.input.read()).toBeNull();

    const creating = sut.client.createStream(true);
    await fixture.expectPending(creating);
    // Consuming the data releases the stream.
    expect(Array.from(await readAll(remote.input))).toEqual([0xff]);
    await creating;
  });
}

/** Counts the streams a stress test considers active, and the most that ever were at once. */
class ActiveStreamCounter {
  #active = 0;
  #maxActive = 0;

  get maxActive(): number {
    return this.#maxActive;
  }

  started(): void {
    this.#active++;
    this.#maxActive = Math.max(this.#maxActive, this.#active);
  }

  finished(): void {
    this.#active--;
  }
}
