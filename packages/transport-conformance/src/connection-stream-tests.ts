import { expect, test } from "@jest/globals";
import type { MultiplexedConnection, MultiplexedStream, TransportAddress } from "@icerpc-ts/core/transport";

import { fillPattern, patternBytes, patternMismatch } from "./byte-pattern.js";
import type { ConformanceFixture } from "./conformance-fixture.js";
import { asPromise, handledLater } from "./operation-outcomes.js";
import { readAll } from "./read-all.js";
import { serveStreams } from "./serve-streams.js";

const KiB = 1024;
const MiB = 1024 * KiB;

/** Declares the connection tests about creating, accepting and carrying streams. */
export function declareConnectionStreamTests(fixture: ConformanceFixture): void {
  test("Create client connection with unknown transport address parameter fails", () => {
    const { client } = fixture.transport.createTransports();
    const address = withUnknownParameter(fixture.transport.listenAddress());
    expect(() => fixture.track(client.createConnection(address, fixture.options()))).toThrow(TypeError);
  });

  test("Create listener with unknown transport address parameter fails", async () => {
    const { server } = fixture.transport.createTransports();
    const address = withUnknownParameter(fixture.transport.listenAddress());
    const listening = asPromise(() => server.listen(address, fixture.options()));
    await expect(listening.then((listener) => fixture.track(listener))).rejects.toBeInstanceOf(TypeError);
  });

  for (const serverInitiated of [false, true]) {
    test(`Accept a stream (${serverInitiated ? "server" : "client"} initiated)`, async () => {
      const sut = await fixture.connect();
      const { local, remote } = await sut.createAndAcceptStream({ serverInitiated });
      expect(remote.id).toBe(local.id);
      expect(local.isRemote).toBe(false);
      expect(remote.isRemote).toBe(true);
    });
  }

  test("Accept stream cancellation", async () => {
    const sut = await fixture.connect();
    const controller = new AbortController();
    const accepting = sut.server.acceptStream(controller.signal);
    await fixture.expectPending(accepting);
    const reason = new Error("The test canceled acceptStream.");
    controller.abort(reason);
    await expect(accepting).rejects.toBe(reason);
    // The cancellation is transient: streams created afterwards are still accepted.
    await sut.createAndAcceptStream();
  });

  test(
    "Flow control",
    async () => {
      const sut = await fixture.connect();
      const { local, remote } = await sut.createAndAcceptStream();
      // Only the local-to-remote direction is used.
      local.input.abort();
      await remote.output.end();

      // Write 64 KiB chunks until a flush blocks because the reader does not read. The chunk is reused once its
      // flush settled, which the contract allows.
      const chunk = new Uint8Array(64 * KiB);
      let flushedBytes = 0;
      let blockedFlush: Promise<unknown> | undefined;
      while (blockedFlush === undefined) {
        if (flushedBytes >= 64 * MiB) {
          throw new Error(`The writer flushed ${flushedBytes} bytes to a reader that reads nothing without blocking.`);
        }
        local.output.write(fillPattern(chunk, 0, flushedBytes));
        const flush = local.output.flush();
        if (await fixture.isPending(flush)) {
          blockedFlush = flush;
        } else {
          expect(await flush).toBe("flushed");
          flushedBytes += chunk.length;
        }
      }

      // Reading unblocks the writer.
      const reading = handledLater(readAll(remote.input));
      expect(await blockedFlush).toBe("flushed");
      flushedBytes += chunk.length;
      expect(await local.output.end()).toBe("flushed");
      const received = await reading;
      expect(received.length).toBe(flushedBytes);
      expect(patternMismatch(received, 0, 0)).toBeUndefined();
    },
    30_000,
  );

  test("accepted streams of one type arrive in id order", async () => {
    const sut = await fixture.connect();
    const streamsPerType = 4;
    const created: MultiplexedStream[] = [];
    for (let i = 0; i < streamsPerType; i++) {
      created.push(await sut.client.createStream(true));
      created.push(await sut.client.createStream(false));
    }
    // A stream's id reflects its creation order within its type: client bidirectional ids are 0, 4, 8...,
    // client unidirectional ids 2, 6, 10...
    const expectedIds = (typeBits: number): number[] =>
      Array.from({ length: streamsPerType }, (_, i) => 4 * i + typeBits);
    expect(idsOfType(created, true)).toEqual(expectedIds(0));
    expect(idsOfType(created, false)).toEqual(expectedIds(2));

    // The most recently created stream sends first; each sends the index of its creation.
    for (let index = created.length - 1; index >= 0; index--) {
      const stream = created[index]!;
      stream.output.write(Uint8Array.of(index));
      expect(await stream.output.flush()).toBe("flushed");
    }

    const accepted: MultiplexedStream[] = [];
    for (let i = 0; i < created.length; i++) {
      accepted.push(await sut.server.acceptStream());
    }
    expect(idsOfType(accepted, true)).toEqual(expectedIds(0));
    expect(idsOfType(accepted, false)).toEqual(expectedIds(2));
    for (const stream of accepted) {
      const creationIndex = created.findIndex((candidate) => candidate.id === stream.id);
      expect(Array.from((await stream.input.read()) ?? [])).toEqual([creationIndex]);
    }
  });

  test(
    "1,000 concurrent streams with data intact",
    async () => {
      const streamCount = 1000;
      // The default limit of 100 streams applies: most creations wait for earlier streams to finish.
      const sut = await fixture.connect();
      await Promise.all([
        serveStreams(sut.server, streamCount, echo),
        ...Array.from({ length: streamCount }, (_, seed) => sendAndCheckEcho(sut.client, seed)),
      ]);
    },
    60_000,
  );
}

function withUnknownParameter(address: TransportAddress): TransportAddress {
  return { ...address, params: { ...address.params, "unknown-parameter": "foo" } };
}

function idsOfType(streams: readonly MultiplexedStream[], bidirectional: boolean): number[] {
  return streams.filter((stream) => stream.isBidirectional === bidirectional).map((stream) => stream.id);
}

/** Sends back everything the stream receives, then ends it. */
async function echo(stream: MultiplexedStream): Promise<void> {
  const data = await readAll(stream.input);
  stream.output.write(data);
  await stream.output.end();
}

/** Creates a stream, sends data of its own (size and content derive from `seed`) and checks the echo. */
async function sendAndCheckEcho(connection: MultiplexedConnection, seed: number): Promise<void> {
  const stream = await connection.createStream(true);
  const size = 64 + ((seed * 97) % (4 * KiB));
  stream.output.write(patternBytes(seed, 0, size));
  expect(await stream.output.end()).toBe("flushed");
  const echoed = await readAll(stream.input);
  expect(echoed.length).toBe(size);
  expect(patternMismatch(echoed, seed, 0)).toBeUndefined();
}
