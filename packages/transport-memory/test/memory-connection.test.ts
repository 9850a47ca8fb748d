// Connected memory connections: stream ids and halves, flow control and its window bound, aborts in each direction,
// stream slots, and how close and dispose propagate to both ends.
import { getEventListeners } from "node:events";

import { afterEach, describe, expect, test } from "@jest/globals";
import { IceRpcError, InvalidOperationError, ObjectDisposedError } from "@icerpc-ts/core";
import {
  defaultMultiplexedConnectionOptions,
  type MultiplexedConnection,
  type MultiplexedConnectionCloseError,
  type MultiplexedConnectionOptions,
  type MultiplexedStream,
} from "@icerpc-ts/core/transport";
import { concatBytes } from "@icerpc-ts/primitives";

import { MemoryTransport, type MemoryTransportOptions } from "../src/index.js";

interface Pair {
  client: MultiplexedConnection;
  server: MultiplexedConnection;
}

const connections: MultiplexedConnection[] = [];

afterEach(async () => {
  for (const connection of connections.splice(0)) {
    await connection.dispose();
  }
});

/** A connected client and server; `limits` apply to both sides. */
async function connectPair(
  transportOptions: MemoryTransportOptions = {},
  limits: Partial<MultiplexedConnectionOptions> = {},
): Promise<Pair> {
  const transport = new MemoryTransport(transportOptions);
  const options = { ...defaultMultiplexedConnectionOptions, ...limits };
  const address = { host: "server", port: 0, params: {} };
  const listener = await transport.listen(address, options);
  const client = transport.createConnection(address, options);
  const clientConnect = client.connect();
  const { connection: server } = await listener.accept();
  connections.push(client, server);
  await server.connect();
  await clientConnect;
  await listener.dispose();
  return { client, server };
}

/** Creates a stream on `from`, sends one byte so that it is visibly in use, and accepts it on `to`. */
async function createAndAccept(
  from: MultiplexedConnection,
  to: MultiplexedConnection,
  bidirectional = true,
): Promise<{ local: MultiplexedStream; remote: MultiplexedStream }> {
  const local = await from.createStream(bidirectional);
  local.output.write(new Uint8Array([0xff]));
  await local.output.flush();
  const remote = await to.acceptStream();
  expect(await remote.input.read()).toEqual(new Uint8Array([0xff]));
  return { local, remote };
}

/** Reads `stream` to its end; returns the bytes and the size of the largest chunk read. */
async function readAll(stream: MultiplexedStream): Promise<{ bytes: Uint8Array; largestChunk: number }> {
  const chunks: Uint8Array[] = [];
  let largestChunk = 0;
  for (let chunk = await stream.input.read(); chunk !== null; chunk = await stream.input.read()) {
    chunks.push(chunk);
    largestChunk = Math.max(largestChunk, chunk.length);
  }
  return { bytes: concatBytes(chunks), largestChunk };
}

/**
 * True when `promise` is still pending after a short delay. Racing against a timer is the only way to observe that
 * something does not happen; every other wait in these tests is on an event.
 */
async function staysPending(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol("pending");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    promise.then(
      () => "settled",
      () => "settled",
    ),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(pending), 30);
    }),
  ]);
  clearTimeout(timer);
  return outcome === pending;
}

function iceRpcError(error: IceRpcError): unknown {
  return expect.objectContaining({ name: "IceRpcException", error });
}

/** `length` bytes counting 0 to 250 over and over; built by doubling copies, fast even for 64 MiB. */
function bytes(length: number): Uint8Array {
  const result = new Uint8Array(length);
  for (let i = 0; i < Math.min(length, 251); i++) {
    result[i] = i;
  }
  for (let filled = 251; filled < length; filled *= 2) {
    result.copyWithin(filled, 0, Math.min(filled, length - filled));
  }
  return result;
}

describe("stream ids and halves", () => {
  test("ids follow QUIC numbering per initiator and direction, and the peer sees the same ids", async () => {
    const { client, server } = await connectPair();
    const ids: number[] = [];
    for (const [from, to, bidirectional] of [
      [client, server, true],
      [client, server, true],
      [client, server, false],
      [server, client, true],
      [server, client, false],
      [server, client, false],
    ] as const) {
      const { local, remote } = await createAndAccept(from, to, bidirectional);
      expect(remote.id).toBe(local.id);
      expect([local.isRemote, remote.isRemote]).toEqual([false, true]);
      expect(remote.isBidirectional).toBe(bidirectional);
      ids.push(local.id);
    }
    expect(ids).toEqual([0, 4, 2, 1, 3, 7]);
  });

  test("the peer accepts streams of one type in id order, even when a later one writes first", async () => {
    const { client, server } = await connectPair();
    const first = await client.createStream(false);
    const second = await client.createStream(false);
    second.output.write(new Uint8Array([2]));
    await second.output.end();
    first.output.write(new Uint8Array([1]));
    await first.output.end();
    expect((await server.acceptStream()).id).toBe(first.id);
    expect((await server.acceptStream()).id).toBe(second.id);
  });

  test("a unidirectional stream has only an output on its creator and only an input on its acceptor", async () => {
    const { client, server } = await connectPair();
    const { local, remote } = await createAndAccept(client, server, false);
    expect(() => local.input).toThrow(InvalidOperationError);
    expect(() => remote.output).toThrow(InvalidOperationError);
    await remote.writesClosed; // already resolved: it has no output
  });
});

describe("stream data", () => {
  test("bytes flow both ways on a bidirectional stream, each side ending its own direction", async () => {
    const { client, server } = await connectPair();
    const request = await client.createStream(true);
    request.output.write(new Uint8Array([1, 2]));
    request.output.write(new Uint8Array([]));
    request.output.write(new Uint8Array([3]));
    expect(request.output.unflushedBytes).toBe(3);
    expect(await request.output.end()).toBe("flushed");
    expect(request.output.unflushedBytes).toBe(0);
    await request.writesClosed;

    const dispatch = await server.acceptStream();
    expect(await readAll(dispatch)).toEqual({ bytes: new Uint8Array([1, 2, 3]), largestChunk: 3 });
    expect(await dispatch.input.read()).toBeNull(); // the end stays the end
    dispatch.output.write(new Uint8Array([4]));
    await dispatch.output.end();
    expect((await readAll(request)).bytes).toEqual(new Uint8Array([4]));
  });

  test("the sent bytes are copies: the caller may reuse its buffer once the flush settled", async () => {
    const { client, server } = await connectPair();
    const stream = await client.createStream(false);
    const buffer = new Uint8Array([1, 2, 3]);
    stream.output.write(buffer);
    await stream.output.flush();
    buffer.fill(9);
    await stream.output.end();
    expect((await readAll(await server.acceptStream())).bytes).toEqual(new Uint8Array([1, 2, 3]));
  });

  test("a flush waits while the peer holds a full window of unread bytes and resumes as it reads", async () => {
    const { client, server } = await connectPair({ streamWindowSize: 1024 });
    const stream = await client.createStream(false);
    stream.output.write(bytes(1024));
    expect(await stream.output.flush()).toBe("flushed"); // exactly one window
    stream.output.write(bytes(1));
    const blocked = stream.output.flush();
    expect(await staysPending(blocked)).toBe(true);

    const remote = await server.acceptStream();
    expect((await remote.input.read())?.length).toBe(1024);
    expect(await blocked).toBe("flushed");
    expect(await remote.input.read()).toEqual(bytes(1));
  });

  test("a large flush is sent in slices of at most one window, so memory stays bounded", async () => {
    const windowSize = 64 * 1024;
    const { client, server } = await connectPair({ streamWindowSize: windowSize });
    const stream = await client.createStream(false);
    const payload = bytes(64 * 1024 * 1024);
    stream.output.write(payload);
    const end = stream.output.end();
    const { bytes: received, largestChunk } = await readAll(await server.acceptStream());
    expect(await end).toBe("flushed");
    expect(largestChunk).toBe(windowSize);
    expect(received.length).toBe(payload.length);
    expect(Buffer.compare(received, payload)).toBe(0);
  });

  test("thousands of small writes and small chunks arrive intact and in order", async () => {
    const { client, server } = await connectPair({ streamWindowSize: 1000 });
    const stream = await client.createStream(false);
    const payload = bytes(3000);
    // 3000 one-byte writes, flushed at once: sent as three window-sized chunks.
    for (let i = 0; i < payload.length; i++) {
      stream.output.write(payload.subarray(i, i + 1));
    }
    const flush = stream.output.flush();
    const remote = await server.acceptStream();
    for (let i = 0; i < 3; i++) {
      expect(await remote.input.read()).toEqual(payload.subarray(i * 1000, (i + 1) * 1000));
    }
    expect(await flush).toBe("flushed");
    // 1000 one-byte flushes, not read until the end: buffered as 1000 chunks.
    for (let i = 0; i < 1000; i++) {
      stream.output.write(payload.subarray(i, i + 1));
      await stream.output.flush();
    }
    await stream.output.end();
    expect(await readAll(remote)).toEqual({ bytes: payload.subarray(0, 1000), largestChunk: 1 });
  });

  test("a flush aborted by its signal keeps the unsent bytes, copied, for the next flush", async () => {
    const { client, server } = await connectPair({ streamWindowSize: 4 });
    const stream = await client.createStream(false);
    const buffer = bytes(10);
    stream.output.write(buffer);
    const controller = new AbortController();
    const flush = stream.output.flush(controller.signal);
    expect(await staysPending(flush)).toBe(true);
    controller.abort(new Error("stop"));
    await expect(flush).rejects.toThrow("stop");
    expect(stream.output.unflushedBytes).toBe(6);
    buffer.fill(0); // the caller reuses its buffer: the transport kept a copy

    const remote = await server.acceptStream();
    const end = stream.output.end();
    expect((await readAll(remote)).bytes).toEqual(bytes(10));
    expect(await end).toBe("flushed");
    expect(() => stream.output.flush()).toThrow(InvalidOperationError);
  });

  test("a read aborted by its signal is transient", async () => {
    const { client, server } = await connectPair();
    const { local, remote } = await createAndAccept(client, server);
    const controller = new AbortController();
    const read = remote.input.read(controller.signal);
    controller.abort(new Error("stop"));
    await expect(read).rejects.toThrow("stop");
    await expect(remote.input.read(AbortSignal.abort(new Error("early")))).rejects.toThrow("early");
    local.output.write(new Uint8Array([7]));
    await local.output.flush();
    expect(await remote.input.read()).toEqual(new Uint8Array([7]));
  });

  test("overlapping calls and calls after the end are usage errors", async () => {
    const { client, server } = await connectPair({ streamWindowSize: 1 });
    const { local, remote } = await createAndAccept(client, server);
    const read = local.input.read();
    await expect(local.input.read()).rejects.toBeInstanceOf(InvalidOperationError);
    local.output.write(bytes(2));
    const flush = local.output.flush();
    expect(() => local.output.flush()).toThrow(InvalidOperationError);
    expect(() => local.output.end()).toThrow(InvalidOperationError);
    await remote.input.read();
    await flush;
    await local.output.end();
    expect(() => local.output.write(bytes(1))).toThrow(InvalidOperationError);
    expect(() => local.output.flush()).toThrow(InvalidOperationError);
    expect(() => local.output.end()).toThrow(InvalidOperationError);
    local.output.abort(); // does nothing once ended
    expect((await readAll(remote)).bytes).toEqual(bytes(2).subarray(1));
    remote.output.abort();
    await expect(read).rejects.toEqual(iceRpcError(IceRpcError.TruncatedData));
  });
});

describe("stream aborts", () => {
  test("aborting the output discards its bytes: the peer's reads fail with TruncatedData", async () => {
    const { client, server } = await connectPair();
    const { local, remote } = await createAndAccept(client, server);
    local.output.write(new Uint8Array([1]));
    await local.output.flush(); // received but not read: discarded by the abort
    local.output.write(new Uint8Array([2]));
    local.output.abort();
    expect(local.output.unflushedBytes).toBe(0);
    await local.writesClosed;
    expect(() => local.output.write(new Uint8Array([3]))).toThrow(InvalidOperationError);
    expect(() => local.output.flush()).toThrow(InvalidOperationError);
    await expect(remote.input.read()).rejects.toEqual(iceRpcError(IceRpcError.TruncatedData));
    await expect(remote.input.read()).rejects.toEqual(iceRpcError(IceRpcError.TruncatedData));
  });

  test("a pending read fails with TruncatedData when the peer aborts its output", async () => {
    const { client, server } = await connectPair();
    const { local, remote } = await createAndAccept(client, server);
    const read = remote.input.read();
    local.output.abort();
    await expect(read).rejects.toEqual(iceRpcError(IceRpcError.TruncatedData));
  });

  test("aborting the input closes the peer's writes: pending and later flushes report writesClosed", async () => {
    const { client, server } = await connectPair({ streamWindowSize: 1 });
    const { local, remote } = await createAndAccept(client, server);
    local.output.write(bytes(3));
    const pending = local.output.flush();
    remote.input.abort();
    await expect(remote.input.read()).rejects.toBeInstanceOf(InvalidOperationError);
    expect(await pending).toBe("writesClosed");
    await local.writesClosed;
    local.output.write(bytes(1)); // discarded
    expect(local.output.unflushedBytes).toBe(0);
    expect(await local.output.flush()).toBe("writesClosed");
    expect(await local.output.end()).toBe("writesClosed");
  });

  test("a local abort during a flush rejects the flush with OperationAborted, as the contract says", async () => {
    const { client } = await connectPair({ streamWindowSize: 1 });
    const stream = await client.createStream(false);
    stream.output.write(bytes(3));
    const flush = stream.output.flush();
    stream.output.abort();
    await expect(flush).rejects.toMatchObject({ error: IceRpcError.OperationAborted });
  });
});

describe("stream slots", () => {
  test("a stream holds its slot until data received but not read is consumed", async () => {
    const { client, server } = await connectPair({}, { maxBidirectionalStreams: 1 });
    const stream = await client.createStream(true);
    stream.output.write(bytes(16));
    await stream.output.end();
    const remote = await server.acceptStream();
    await remote.output.end();
    expect(await stream.input.read()).toBeNull();

    const next = client.createStream(true);
    expect(await staysPending(next)).toBe(true); // 16 bytes not read yet
    expect((await readAll(remote)).bytes).toEqual(bytes(16));
    expect((await next).id).toBe(4);
  });

  test("a unidirectional slot frees when the acceptor aborts its input, without reading", async () => {
    const { client, server } = await connectPair({}, { maxUnidirectionalStreams: 1 });
    const { local, remote } = await createAndAccept(client, server, false);
    local.output.write(bytes(8));
    await local.output.flush();
    const next = client.createStream(false);
    expect(await staysPending(next)).toBe(true);
    remote.input.abort();
    expect((await next).id).toBe(6);
  });

  test("a slot whose creator aborted its output frees once the acceptor saw the abort", async () => {
    const { client, server } = await connectPair({}, { maxUnidirectionalStreams: 1 });
    const { local, remote } = await createAndAccept(client, server, false);
    const next = client.createStream(false);
    local.output.abort();
    expect(await staysPending(next)).toBe(true); // the acceptor has not read since
    await expect(remote.input.read()).rejects.toEqual(iceRpcError(IceRpcError.TruncatedData));
    expect((await next).id).toBe(6);
  });

  test("a bidirectional slot frees once the acceptor is done, whatever the creator did not read", async () => {
    const { client, server } = await connectPair({}, { maxBidirectionalStreams: 1 });
    const { local, remote } = await createAndAccept(client, server);
    const next = client.createStream(true);
    await local.output.end();
    expect(await remote.input.read()).toBeNull();
    expect(await staysPending(next)).toBe(true); // the acceptor's output is still open
    remote.output.write(bytes(8));
    await remote.output.end();
    expect((await next).id).toBe(4);
    expect((await readAll(local)).bytes).toEqual(bytes(8)); // the creator can still read what was sent
  });

  test("blocked creates get the freed slots in FIFO order and can be aborted", async () => {
    const { client, server } = await connectPair({}, { maxUnidirectionalStreams: 1 });
    const first = await client.createStream(false);
    const controller = new AbortController();
    const aborted = client.createStream(false, controller.signal);
    const second = client.createStream(false);
    const third = client.createStream(false);
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    await first.output.end();
    expect(await (await server.acceptStream()).input.read()).toBeNull();
    const secondStream = await second;
    expect(secondStream.id).toBe(6);
    secondStream.output.abort();
    await expect((await server.acceptStream()).input.read()).rejects.toEqual(iceRpcError(IceRpcError.TruncatedData));
    expect((await third).id).toBe(10);
  });

  test("a limit of 0 forbids the stream type until the connection closes", async () => {
    const { client, server } = await connectPair({}, { maxBidirectionalStreams: 0 });
    const create = server.createStream(true);
    expect(await staysPending(create)).toBe(true);
    await client.close(0);
    await expect(create).rejects.toEqual(iceRpcError(IceRpcError.ConnectionClosedByPeer));
  });

  test("32 streams through 4 slots never exceed the limit", async () => {
    const { client, server } = await connectPair({ streamWindowSize: 256 }, { maxBidirectionalStreams: 4 });
    let open = 0;
    let mostOpen = 0;
    const clients = Array.from({ length: 32 }, async () => {
      const stream = await client.createStream(true);
      open++;
      mostOpen = Math.max(mostOpen, open);
      stream.output.write(bytes(1000));
      await stream.output.end();
      expect((await readAll(stream)).bytes).toEqual(bytes(500));
    });
    const servers = Array.from({ length: 32 }, async () => {
      const stream = await server.acceptStream();
      expect((await readAll(stream)).bytes).toEqual(bytes(1000));
      stream.output.write(bytes(500));
      open--; // counted down before the last direction is done: a conservative count
      await stream.output.end();
    });
    await Promise.all([...clients, ...servers]);
    expect(mostOpen).toBeLessThanOrEqual(4);
  });
});

describe("close", () => {
  test.each([
    [0, IceRpcError.ConnectionClosedByPeer],
    [1, IceRpcError.ConnectionAborted],
    [2, IceRpcError.ConnectionRefused],
    [3, IceRpcError.ServerBusy],
    [255, IceRpcError.ConnectionAborted],
  ])("the peer's operations fail with the error of close code %p", async (code, expected) => {
    const { client, server } = await connectPair({ streamWindowSize: 1 }, { maxBidirectionalStreams: 1 });
    const { local, remote } = await createAndAccept(client, server);
    const accept = client.acceptStream();
    const create = client.createStream(true);
    const read = local.input.read();
    local.output.write(bytes(2));
    const flush = local.output.flush();

    await server.close(code);
    for (const operation of [accept, create, read, flush, client.acceptStream(), client.createStream(false)]) {
      await expect(operation).rejects.toEqual(iceRpcError(expected));
    }
    await local.writesClosed;
    await remote.writesClosed;
  });

  test("locally, blocked creates fail with OperationAborted and stream operations with ConnectionAborted", async () => {
    const { client, server } = await connectPair({}, { maxBidirectionalStreams: 1 });
    const { local } = await createAndAccept(client, server);
    const create = client.createStream(true);
    const read = local.input.read();
    await client.close(0);
    await expect(create).rejects.toEqual(iceRpcError(IceRpcError.OperationAborted));
    await expect(read).rejects.toEqual(iceRpcError(IceRpcError.ConnectionAborted));
    await expect(local.input.read()).rejects.toEqual(iceRpcError(IceRpcError.ConnectionAborted));
    local.output.write(bytes(1));
    await expect(local.output.flush()).rejects.toEqual(iceRpcError(IceRpcError.ConnectionAborted));
    await local.writesClosed;
  });

  test("closing both sides at once succeeds on both; closing again is a no-op", async () => {
    const { client, server } = await connectPair();
    await Promise.all([client.close(0), server.close(0)]);
    await client.close(0);
    await expect(server.acceptStream()).rejects.toEqual(iceRpcError(IceRpcError.OperationAborted));
  });

  test("an invalid close code is a RangeError; an aborted signal rejects without closing", async () => {
    const { client, server } = await connectPair();
    for (const code of [-1, 1.5, Number.NaN]) {
      await expect(client.close(code as MultiplexedConnectionCloseError)).rejects.toBeInstanceOf(RangeError);
    }
    await expect(client.close(0, AbortSignal.abort(new Error("early")))).rejects.toThrow("early");
    await createAndAccept(client, server);
  });
});

describe("dispose", () => {
  test("local pending operations fail with ObjectDisposedError and stream reads with OperationAborted", async () => {
    const { client, server } = await connectPair({ streamWindowSize: 1 }, { maxBidirectionalStreams: 1 });
    const { local, remote } = await createAndAccept(client, server);
    const accept = client.acceptStream();
    const create = client.createStream(true);
    const read = local.input.read();
    local.output.write(bytes(2));
    const flush = local.output.flush();

    await client.dispose();
    await expect(accept).rejects.toBeInstanceOf(ObjectDisposedError);
    await expect(create).rejects.toBeInstanceOf(ObjectDisposedError);
    await expect(read).rejects.toEqual(iceRpcError(IceRpcError.OperationAborted));
    await expect(flush).rejects.toEqual(iceRpcError(IceRpcError.OperationAborted));
    await expect(client.acceptStream()).rejects.toBeInstanceOf(ObjectDisposedError);
    await expect(client.createStream(true)).rejects.toBeInstanceOf(ObjectDisposedError);
    await expect(client.close(0)).rejects.toBeInstanceOf(ObjectDisposedError);
    await local.writesClosed;
    await client.dispose(); // idempotent

    // The peer sees the connection aborted.
    await expect(server.acceptStream()).rejects.toEqual(iceRpcError(IceRpcError.ConnectionAborted));
    await expect(remote.input.read()).rejects.toEqual(iceRpcError(IceRpcError.ConnectionAborted));
    await remote.writesClosed;
  });

  test("after close then dispose, pending operations keep the close error and later ones report the dispose", async () => {
    const { client, server } = await connectPair();
    const { local } = await createAndAccept(client, server);
    const read = local.input.read();
    await client.close(0);
    await expect(read).rejects.toEqual(iceRpcError(IceRpcError.ConnectionAborted));
    await client.dispose();
    await expect(local.input.read()).rejects.toEqual(iceRpcError(IceRpcError.OperationAborted));
    local.output.write(bytes(1));
    await expect(local.output.end()).rejects.toEqual(iceRpcError(IceRpcError.OperationAborted));
    await expect(client.acceptStream()).rejects.toBeInstanceOf(ObjectDisposedError);
    await expect(server.acceptStream()).rejects.toEqual(iceRpcError(IceRpcError.ConnectionClosedByPeer));
  });

  test("streams never accepted are failed too, and their writes closed", async () => {
    const { client, server } = await connectPair();
    const stream = await client.createStream(true);
    await server.dispose();
    await stream.writesClosed;
    await expect(stream.input.read()).rejects.toEqual(iceRpcError(IceRpcError.ConnectionAborted));
  });
});

test("settled operations leave no listener on their signals", async () => {
  const { client, server } = await connectPair({ streamWindowSize: 1 }, { maxUnidirectionalStreams: 1 });
  const signal = new AbortController().signal;
  const first = await client.createStream(false, signal);
  const blockedCreate = client.createStream(false, signal);
  first.output.write(bytes(2));
  const blockedFlush = first.output.flush(signal);
  const remote = await server.acceptStream(signal);
  const pendingAccept = server.acceptStream(signal);
  // The blocked create and flush share one listener (primitives' followAbort); the accept queue keeps its own.
  expect(getEventListeners(signal, "abort").length).toBe(2);
  expect((await remote.input.read(signal))?.length).toBe(1);
  await blockedFlush;
  await first.output.end(signal);
  expect((await readAll(remote)).bytes).toEqual(bytes(2).subarray(1));
  const second = await blockedCreate;
  expect(second.id).toBe(6);
  // The peer learns of the stream with its first message.
  await second.output.end(signal);
  expect((await pendingAccept).id).toBe(6);
  await client.close(0, signal);
  expect(getEventListeners(signal, "abort").length).toBe(0);
});
