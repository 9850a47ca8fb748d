// Volume: one stream carries 1 GiB intact, and 10,000 icerpc requests from 100 concurrent callers complete intact.
import { Buffer } from "node:buffer";

import { afterEach, describe, expect, test } from "@jest/globals";
import {
  ClientConnection,
  OutgoingRequest,
  OutgoingResponse,
  Server,
  ServerAddress,
  ServiceAddress,
  TransportRegistry,
  type IncomingRequest,
} from "@icerpc-ts/core";
import {
  defaultMultiplexedConnectionOptions,
  type MultiplexedConnection,
  type StreamInput,
} from "@icerpc-ts/core/transport";
import { concatBytes } from "@icerpc-ts/primitives";
import type { TransportUnderTest } from "@icerpc-ts/transport-conformance";

const MiB = 1024 * 1024;

/**
 * Reads `input` to its end in 1 MiB blocks and compares each with what the writer sent: `expected`, its first
 * 32-bit word replaced by the block's number. The comparison is native (`Buffer.compare`): a loop over every byte
 * would be slow in jest's sandbox. Resolves with the byte count and the number of the first wrong block, if any.
 */
async function readAndCompare(
  input: StreamInput,
  expected: Uint8Array,
): Promise<{ byteCount: number; firstWrongBlock: number | undefined }> {
  const reference = new Uint8Array(expected);
  const referenceNumber = new Uint32Array(reference.buffer, 0, 1);
  const block = new Uint8Array(expected.length);
  let filled = 0;
  let byteCount = 0;
  let blockNumber = 0;
  let firstWrongBlock: number | undefined;
  for (let chunk = await input.read(); chunk !== null; chunk = await input.read()) {
    byteCount += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const taken = Math.min(chunk.length - offset, block.length - filled);
      block.set(chunk.subarray(offset, offset + taken), filled);
      filled += taken;
      offset += taken;
      if (filled === block.length) {
        referenceNumber[0] = blockNumber;
        if (firstWrongBlock === undefined && Buffer.compare(block, reference) !== 0) {
          firstWrongBlock = blockNumber;
        }
        blockNumber++;
        filled = 0;
      }
    }
  }
  return { byteCount, firstWrongBlock: filled === 0 ? firstWrongBlock : (firstWrongBlock ?? blockNumber) };
}

/**
 * Volume over `transport`: 1 GiB on one stream, and 10,000 icerpc requests from 100 concurrent callers, every byte
 * checked. Separate from {@link icerpcProtocolTests}: a transport runs it in a file of its own, next to its other
 * slow tests.
 */
export function icerpcVolumeTests(transport: TransportUnderTest): void {
  describe(`${transport.name} volume`, () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) {
        await cleanup();
      }
    });

    /** A client connection and the server connection it reached, released after the test. */
    async function connectedPair(): Promise<{ client: MultiplexedConnection; server: MultiplexedConnection }> {
      const { client: clientTransport, server: serverTransport } = transport.createTransports();
      const options = { ...defaultMultiplexedConnectionOptions, ...transport.connectionOptions };
      const listener = await serverTransport.listen(transport.listenAddress(), options);
      cleanups.push(() => listener.dispose());
      const client = clientTransport.createConnection(listener.address, options);
      cleanups.push(() => client.dispose());
      const [, server] = await Promise.all([
        client.connect(),
        listener.accept().then(async ({ connection }) => {
          cleanups.push(() => connection.dispose());
          await connection.connect();
          return connection;
        }),
      ]);
      return { client, server };
    }

    test(
      "one stream carries 1 GiB intact",
      async () => {
        const { client, server } = await connectedPair();
        const totalBytes = 1024 * MiB;
        const sending = await client.createStream(false);
        sending.output.write(Uint8Array.of(0));
        await sending.output.flush();
        const receiving = await server.acceptStream();
        expect(Array.from((await receiving.input.read())!)).toEqual([0]);

        // One 1 MiB array, renumbered after each flush settled (which the contract allows): each block gets a number
        // of its own, so a transport that kept a reference to it too long, or lost or reordered blocks, is caught.
        const block = new Uint8Array(MiB);
        for (let i = 0; i < block.length; i++) {
          block[i] = (i * 7 + (i >>> 9)) & 0xff;
        }
        const blockNumber = new Uint32Array(block.buffer, 0, 1);
        const start = performance.now();
        const reading = readAndCompare(receiving.input, block);
        for (let sent = 0; sent < totalBytes; sent += MiB) {
          blockNumber[0] = sent / MiB;
          sending.output.write(block);
          expect(await sending.output.flush()).toBe("flushed");
        }
        await sending.output.end();
        const received = await reading;
        const seconds = (performance.now() - start) / 1000;

        expect(received.byteCount).toBe(totalBytes);
        expect(received.firstWrongBlock).toBeUndefined();
        console.log(
          `1 GiB over one ${transport.name} stream in ${seconds.toFixed(2)} s: ${(1024 / seconds).toFixed(0)} MiB/s ` +
            "(client and server in one process, every block compared).",
        );
      },
      60_000,
    );

    test(
      "10,000 requests from 100 concurrent callers complete intact",
      async () => {
        const { client: clientTransport, server: serverTransport } = transport.createTransports();
        const transports = new TransportRegistry().register(clientTransport, serverTransport);
        // Echoes the request payload.
        const server = new Server({
          serverAddress: new ServerAddress({ transport: transport.name, ...transport.listenAddress() }),
          transports,
          dispatcher: async (request: IncomingRequest) => {
            const chunks: Uint8Array[] = [];
            for await (const chunk of request.payload) {
              chunks.push(chunk);
            }
            return new OutgoingResponse({ payload: concatBytes(chunks) });
          },
        });
        cleanups.push(() => server.dispose());
        const serverAddress = await server.listen();
        const connection = new ClientConnection({ serverAddress, transports });
        cleanups.push(() => connection.dispose());
        const serviceAddress = ServiceAddress.parse("icerpc:/echo");

        const callers = 100;
        const requestsPerCaller = 100;
        const start = performance.now();
        let completed = 0;
        let wrongResponses = 0;
        await Promise.all(
          Array.from({ length: callers }, async (_, caller) => {
            for (let i = 0; i < requestsPerCaller; i++) {
              const payload = new Uint8Array(64 + ((caller * 31 + i) % 64)).fill(i & 0xff);
              new DataView(payload.buffer).setUint32(0, caller * requestsPerCaller + i, true);
              const response = await connection.invoke(new OutgoingRequest(serviceAddress, { operation: "echo", payload }));
              const chunks: Uint8Array[] = [];
              for await (const chunk of response.payload) {
                chunks.push(chunk);
              }
              // Not `expect` in the loop: it is slow enough in jest to dominate 10,000 round trips.
              if (Buffer.compare(concatBytes(chunks), payload) !== 0) {
                wrongResponses++;
              }
              completed++;
            }
          }),
        );
        const seconds = (performance.now() - start) / 1000;
        expect(completed).toBe(callers * requestsPerCaller);
        expect(wrongResponses).toBe(0);
        console.log(
          `10,000 icerpc requests (100 concurrent callers) over ${transport.name} in ${seconds.toFixed(2)} s: ` +
            `${(completed / seconds).toFixed(0)} requests/s.`,
        );
      },
      60_000,
    );
  });
}
