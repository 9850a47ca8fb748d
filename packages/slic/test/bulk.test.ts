// Slic connections over channels that cut the bytes anywhere, and volume (1 GiB on one stream, 10,000 icerpc
// requests): every byte arrives, in order.
import { afterEach, expect, test } from "@jest/globals";
import {
  ClientConnection,
  type IncomingRequest,
  OutgoingRequest,
  OutgoingResponse,
  Server,
  ServerAddress,
  ServiceAddress,
  TransportRegistry,
} from "@icerpc-ts/core";
import type { MultiplexedStream } from "@icerpc-ts/core/transport";
import { concatBytes } from "@icerpc-ts/primitives";

import { MemorySlicTransport, transportName } from "./support/memory-slic-transport.js";
import { connectedSlicPair, type SlicPair } from "./support/slic-pair.js";

const pairs: SlicPair[] = [];

afterEach(async () => {
  await Promise.all(pairs.splice(0).map((pair) => pair.dispose()));
});

async function readAll(stream: MultiplexedStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let chunk = await stream.input.read(); chunk !== null; chunk = await stream.input.read()) {
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}

/** Echoes `size` bytes on a new stream through `pair` and checks them. */
async function echo(pair: SlicPair, size: number): Promise<void> {
  const payload = Uint8Array.from({ length: size }, (_, i) => (i * 7) % 256);
  const stream = await pair.client.createStream(true);
  stream.output.write(payload);
  const sending = stream.output.end();
  const serving = (async () => {
    const remote = await pair.server.acceptStream();
    remote.output.write(await readAll(remote));
    await remote.output.end();
  })();
  const echoed = await readAll(stream);
  await Promise.all([sending, serving]);
  expect(echoed.length).toBe(size);
  expect(Buffer.compare(echoed, payload)).toBe(0);
}

function byteByByte(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (byte) => Uint8Array.of(byte));
}

/** Cuts every write at pseudo-random places (a fixed seed: the same cuts on every run). */
function randomCuts(): (bytes: Uint8Array) => Uint8Array[] {
  let seed = 12_345;
  return (bytes) => {
    const pieces: Uint8Array[] = [];
    for (let offset = 0; offset < bytes.length; ) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const size = 1 + (seed % 97);
      pieces.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    return pieces;
  };
}

test("the handshake and a 70,000-byte echo over channels that deliver one byte at a time", async () => {
  const pair = await connectedSlicPair({ split: byteByByte });
  pairs.push(pair);
  await echo(pair, 70_000);
});

test("an echo of 300,000 bytes over channels cut at random places", async () => {
  const pair = await connectedSlicPair({ split: randomCuts() });
  pairs.push(pair);
  await echo(pair, 300_000);
});

test("1 GiB on one stream arrives intact", async () => {
  const pair = await connectedSlicPair();
  pairs.push(pair);
  const chunkSize = 1024 * 1024;
  const chunkCount = 1024;
  const stream = await pair.client.createStream(false);
  const start = performance.now();
  const sending = (async () => {
    const chunk = new Uint8Array(chunkSize);
    for (let i = 0; i < chunkCount; i++) {
      chunk.fill(i % 256);
      stream.output.write(chunk);
      expect(await stream.output.flush()).toBe("flushed");
    }
    await stream.output.end();
  })();
  const remote = await pair.server.acceptStream();
  let received = 0;
  for (let chunk = await remote.input.read(); chunk !== null; chunk = await remote.input.read()) {
    // Every byte of megabyte i is i % 256.
    for (let offset = 0; offset < chunk.length; ) {
      const index = Math.floor((received + offset) / chunkSize);
      const end = Math.min(chunk.length, (index + 1) * chunkSize - received);
      const expected = index % 256;
      if (chunk[offset] !== expected || chunk[end - 1] !== expected) {
        throw new Error(`Byte ${received + offset} is not ${expected}.`);
      }
      offset = end;
    }
    received += chunk.length;
  }
  await sending;
  expect(received).toBe(chunkSize * chunkCount);
  const seconds = (performance.now() - start) / 1000;
  console.log(`1 GiB over one Slic stream (in-memory channels) in ${seconds.toFixed(2)} s: ${(1024 / seconds).toFixed(0)} MiB/s.`);
}, 120_000);

test("10,000 icerpc requests from 100 concurrent callers, over Slic, come back intact", async () => {
  const transports = new TransportRegistry().register(new MemorySlicTransport());
  const server = new Server({
    serverAddress: new ServerAddress({ host: "volume", port: 4062, transport: transportName, params: {} }),
    transports,
    dispatcher: async (request: IncomingRequest) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of request.payload) {
        chunks.push(chunk);
      }
      return new OutgoingResponse({ payload: concatBytes(chunks) });
    },
  });
  const connection = new ClientConnection({ serverAddress: await server.listen(), transports });
  try {
    const echoService = ServiceAddress.parse("icerpc:/echo");
    const mismatches: number[] = [];
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 100 }, async (_, caller) => {
        for (let i = 0; i < 100; i++) {
          const number = caller * 100 + i;
          const payload = new Uint8Array(16 + (number % 200)).fill(number % 256);
          const response = await connection.invoke(new OutgoingRequest(echoService, { operation: "echo", payload }));
          const chunks: Uint8Array[] = [];
          for await (const chunk of response.payload) {
            chunks.push(chunk);
          }
          if (Buffer.compare(concatBytes(chunks), payload) !== 0) {
            mismatches.push(number); // not `expect` here: in jest it would dominate 10,000 round trips
          }
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    expect(mismatches).toEqual([]);
    console.log(`10,000 icerpc requests over Slic (in-memory channels) in ${seconds.toFixed(2)} s.`);
  } finally {
    await connection.dispose();
    await server.dispose();
  }
}, 60_000);
