// The adapter's stream rules beyond the shared conformance suite: streams whose first message is an abort, aborts
// that overtake a stream's acceptance, flushes larger than the adapter's pieces, and cancelled flushes.
import { afterEach, describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import type { MultiplexedStream, StreamInput } from "@icerpc-ts/core/transport";
import { concatBytes } from "@icerpc-ts/primitives";

import { TcpYamuxTransport } from "../src/index.js";
import { connectPair, type ConnectedPair } from "./support/connected-pair.js";

const MiB = 1024 * 1024;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

async function pair(options: Parameters<typeof connectPair>[2] = {}): Promise<ConnectedPair> {
  const transport = new TcpYamuxTransport();
  const connected = await connectPair(transport, transport, options);
  cleanups.push(() => connected.dispose());
  return connected;
}

/** Reads `input` until it fails; resolves with the bytes read before and the error. */
async function readUntilFailure(input: StreamInput): Promise<{ byteCount: number; error: unknown }> {
  let byteCount = 0;
  try {
    for (let chunk = await input.read(); chunk !== null; chunk = await input.read()) {
      byteCount += chunk.length;
    }
  } catch (error) {
    return { byteCount, error };
  }
  throw new Error(`The stream ended normally after ${byteCount} bytes.`);
}

function isTruncatedData(error: unknown): boolean {
  return error instanceof IceRpcException && error.error === IceRpcError.TruncatedData;
}

/** `length` bytes numbered from `start` (mod 256). */
function numbered(length: number, start = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    bytes[i] = (start + i) & 0xff;
  }
  return bytes;
}

async function readAll(stream: MultiplexedStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let chunk = await stream.input.read(); chunk !== null; chunk = await stream.input.read()) {
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}

describe("tcp-yamux adapter streams", () => {
  test("a stream whose first message is the abort of its output reaches the peer with its id, reset", async () => {
    const { client, server } = await pair({ maxUnidirectionalStreams: 1 });
    const aborted = await client.createStream(false);
    aborted.output.abort();
    const accepted = await server.acceptStream();
    expect(accepted.id).toBe(aborted.id);
    expect(isTruncatedData((await readUntilFailure(accepted.input)).error)).toBe(true);

    // The reset released the stream's slot, and the next stream gets the next id.
    const next = await client.createStream(false);
    expect(next.id).toBe(6);
    next.output.write(Uint8Array.of(7));
    await next.output.end();
    const nextAccepted = await server.acceptStream();
    expect(nextAccepted.id).toBe(6);
    expect(Array.from(await readAll(nextAccepted))).toEqual([7]);
  });

  test("a stream whose first message is the abort of its input reaches the peer, whose writes then close", async () => {
    const { client, server } = await pair();
    const local = await client.createStream(true);
    local.input.abort();
    const remote = await server.acceptStream();
    expect(remote.id).toBe(local.id);
    await remote.writesClosed;
    remote.output.write(Uint8Array.of(1));
    expect(await remote.output.flush()).toBe("writesClosed");
    // The other direction still works.
    local.output.write(Uint8Array.of(2));
    await local.output.end();
    expect(Array.from(await readAll(remote))).toEqual([2]);
  });

  test("an abort sent right after the first bytes fails the reader with TruncatedData, and the stream is released", async () => {
    const { client, server } = await pair({ maxBidirectionalStreams: 1 });
    const local = await client.createStream(true);
    local.output.write(numbered(1000));
    await local.output.flush();
    local.output.abort();
    const remote = await server.acceptStream();
    const { error } = await readUntilFailure(remote.input);
    expect(isTruncatedData(error)).toBe(true);
    // The peer's output stays usable: the creator reads it to the end.
    remote.output.write(Uint8Array.of(9));
    await remote.output.end();
    expect(Array.from(await readAll(local))).toEqual([9]);
    // Both sides are done: the next stream can be created.
    const next = await client.createStream(true);
    expect(next.id).toBe(4);
  });

  test("a flush of several MiB in one write arrives intact, in order", async () => {
    const { client, server } = await pair();
    const local = await client.createStream(false);
    const data = numbered(5 * MiB + 123);
    local.output.write(data);
    const ending = local.output.end();
    const remote = await server.acceptStream();
    const received = await readAll(remote);
    expect(await ending).toBe("flushed");
    expect(Buffer.compare(received, data)).toBe(0);
  });

  test("a flush cancelled while the peer does not read keeps what it did not send for the next flush", async () => {
    const { client, server } = await pair();
    const local = await client.createStream(false);
    const data = numbered(8 * MiB, 3);
    local.output.write(data);
    const controller = new AbortController();
    const flushing = local.output.flush(controller.signal);
    // Nobody reads: the flush waits for credit.
    const remote = await server.acceptStream();
    const reason = new Error("The test canceled the flush.");
    controller.abort(reason);
    await expect(flushing).rejects.toBe(reason);
    const unflushed = local.output.unflushedBytes;
    expect(unflushed).toBeGreaterThan(0);
    expect(unflushed).toBeLessThan(data.length);
    // The caller may reuse its array once the flush settled: the transport kept a copy of the rest.
    data.fill(0);

    const reading = readAll(remote);
    expect(await local.output.end()).toBe("flushed");
    const received = await reading;
    expect(received.length).toBe(8 * MiB);
    expect(Buffer.compare(received, numbered(8 * MiB, 3))).toBe(0);
  });
});
