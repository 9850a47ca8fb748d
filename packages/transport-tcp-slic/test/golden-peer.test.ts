// The bytes an IceRPC C# client sent to an IceRPC C# server over tcp, replayed over a real socket to a Server of
// this package's tcp transport: it answers with the bytes the C# server sent, frame for frame, from the connection
// establishment to the client-initiated shutdown (golden file: @icerpc-ts/slic's test/golden, from IceRPC C#).
import { readFileSync } from "node:fs";

import { afterEach, expect, test } from "@jest/globals";
import { type IncomingRequest, OutgoingResponse, Server, TransportRegistry } from "@icerpc-ts/core";
import { concatBytes } from "@icerpc-ts/primitives";

import { TcpTransport } from "../src/index.js";
import { RawTcpPeer } from "./support/raw-tcp-peer.js";

interface GoldenFrame {
  readonly dir: "c2s" | "s2c";
  readonly hex?: string;
}

const golden = JSON.parse(
  readFileSync(new URL("../../slic/test/golden/csharp-icerpc.json", import.meta.url), "utf8"),
) as { entries: { id: string; hex?: string; frames?: GoldenFrame[] }[] };

function entry(id: string): { hex?: string; frames?: GoldenFrame[] } {
  const found = golden.entries.find((candidate) => candidate.id === id);
  if (found === undefined) {
    throw new Error(`The golden file has no entry '${id}'.`);
  }
  return found;
}

function frames(id: string, dir: GoldenFrame["dir"]): string[] {
  return entry(id).frames!.filter((frame) => frame.dir === dir).map((frame) => frame.hex!);
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

test("a C# client's bytes get a C# server's answers: establishment, an echo, and the client-initiated shutdown", async () => {
  // The C# server of the recording: an echo dispatcher, default options.
  const server = new Server({
    serverAddress: "icerpc://127.0.0.1:0?transport=tcp",
    transports: new TransportRegistry().register(new TcpTransport()),
    dispatcher: async (request: IncomingRequest) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of request.payload) {
        chunks.push(chunk);
      }
      return new OutgoingResponse({ payload: concatBytes(chunks) });
    },
  });
  cleanups.push(() => server.dispose());
  const peer = await RawTcpPeer.connect(await server.listen());
  cleanups.push(() => peer.dispose());

  const [initialize, clientSettings] = frames("sequence.connection-establishment", "c2s");
  const [initializeAck, serverSettings] = frames("sequence.connection-establishment", "s2c");
  peer.send(initialize!);
  expect(await peer.nextFrame()).toBe(initializeAck); // the same limits, window, frame size and idle timeout
  expect(await peer.nextFrame()).toBe(serverSettings);
  peer.send(clientSettings!);

  peer.send(entry("slic.streamLast.request-echo-with-context").hex!);
  expect(await peer.nextFrame()).toBe(entry("slic.streamLast.response-ok").hex);
  expect(await peer.nextFrame()).toBe(entry("slic.streamReadsClosed.after-response").hex);

  const [clientGoAway, readsClosed, controlEnd, close] = frames("sequence.client-initiated-shutdown", "c2s");
  peer.send(clientGoAway!);
  // The server accepted bidirectional stream 0 only, where C#'s had accepted 0, 4, 8 and 12: its GoAway names the
  // next stream ids, bidirectional 4 and unidirectional 6 (C#'s: 16 and 10); the rest is byte for byte.
  expect(await peer.nextFrame()).toBe("071a0000000c0109001018");
  const [, serverControlEnd, serverReadsClosed, serverClose] = frames("sequence.client-initiated-shutdown", "s2c");
  expect(await peer.nextFrame()).toBe(serverControlEnd);
  peer.send(readsClosed!);
  peer.send(controlEnd!);
  peer.send(close!);
  peer.end();
  expect(await peer.nextFrame()).toBe(serverReadsClosed);
  expect(await peer.nextFrame()).toBe(serverClose);
  await peer.ended();
});
