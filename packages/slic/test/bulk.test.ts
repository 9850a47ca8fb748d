// Slic connections over channels that cut the bytes anywhere, and volume (1 GiB on one stream, 10,000 icerpc
// requests): every byte arrives, in order.
import { afterEach, expect, test } from "@jest/globals";
import type { MultiplexedStream } from "@icerpc-ts/core/transport";
import { icerpcVolumeTests } from "@icerpc-ts/protocol-tests";
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

let volumeListenerCount = 0;

icerpcVolumeTests({
  name: "slic",
  createTransports: () => {
    const transport = new MemorySlicTransport();
    return { client: transport, server: transport };
  },
  listenAddress: () => ({ host: `volume-${++volumeListenerCount}`, port: 0, transport: transportName, params: {} }),
});
