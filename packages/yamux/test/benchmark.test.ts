// Measures over a real loopback TCP socket, with both ends in this process and a raw-socket baseline measured in
// the same run: one-stream throughput, and round trips of a 32-byte request and response on a new stream each time
// and on one stream. (Jest's module VM slows JavaScript down noticeably: a plain Node run of the same code is faster.)
import { once } from "node:events";

import { afterEach, expect, test } from "@jest/globals";

import type { YamuxStream } from "../src/index.js";
import { disposeSessions, pattern, readAll, tcpSessionPair } from "./support/sessions.js";
import { socketPair } from "./support/socket-channel.js";

afterEach(disposeSessions);

const noKeepAlive = { client: { keepAliveInterval: 0 }, server: { keepAliveInterval: 0 } };

const report = (line: string) => console.log(line);

test("throughput of one stream, against a raw socket", async () => {
  const total = 512 * 1024 * 1024;
  const block = pattern(1024 * 1024);

  const [rawClient, rawServer] = await socketPair();
  let rawBegan = performance.now();
  let rawReceived = 0;
  const rawDone = new Promise<void>((resolve) =>
    rawServer.on("data", (bytes: Buffer) => {
      rawReceived += bytes.length;
      if (rawReceived === total) {
        resolve();
      }
    }),
  );
  rawBegan = performance.now();
  for (let sent = 0; sent < total; sent += block.length) {
    if (!rawClient.write(block)) {
      await once(rawClient, "drain");
    }
  }
  await rawDone;
  const rawSeconds = (performance.now() - rawBegan) / 1000;
  rawClient.destroy();
  rawServer.destroy();

  const { client, server } = await tcpSessionPair(noKeepAlive);
  const began = performance.now();
  const sending = (async () => {
    const stream = await client.openStream();
    for (let sent = 0; sent < total; sent += block.length) {
      await stream.write(block); // the same bytes again: the stream never modifies what it writes
    }
    await stream.end();
  })();
  const stream = await server.acceptStream();
  let received = 0;
  for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) {
    received += chunk.length;
  }
  await sending;
  const seconds = (performance.now() - began) / 1000;
  report(
    `throughput, 512 MiB in 1 MiB writes: yamux stream ${(512 / seconds).toFixed(0)} MiB/s ` +
      `(receive window ${stream.receiveWindow / 1024} KiB); raw socket ${(512 / rawSeconds).toFixed(0)} MiB/s`,
  );
  expect(received).toBe(total);
}, 120_000);

/** Round trips per second of `roundTrip`, run `count` times in sequence. */
async function measure(count: number, roundTrip: () => Promise<void>): Promise<number> {
  const began = performance.now();
  for (let i = 0; i < count; i++) {
    await roundTrip();
  }
  return count / ((performance.now() - began) / 1000);
}

test("round trips of 32 bytes, against a raw socket", async () => {
  const request = pattern(32, 1);
  const response = pattern(32, 2);

  // Baseline: 32 bytes each way over a raw socket, one in flight.
  const [rawClient, rawServer] = await socketPair();
  rawServer.on("data", () => rawServer.write(response));
  const rawRate = await measure(20_000, async () => {
    rawClient.write(request);
    let received = 0;
    while (received < 32) {
      const [bytes] = (await once(rawClient, "data")) as [Buffer];
      received += bytes.length;
    }
  });
  rawClient.destroy();
  rawServer.destroy();

  const { client, server } = await tcpSessionPair(noKeepAlive);
  // One stream per request: open, request with FIN, response with FIN.
  const serving = (async () => {
    for (;;) {
      let stream: YamuxStream;
      try {
        stream = await server.acceptStream();
      } catch {
        return;
      }
      readAll(stream).then(
        () => {
          void stream.write(response);
          void stream.end();
        },
        () => {}, // the session ended
      );
    }
  })();
  let wrongSizes = 0;
  const newStreamRate = await measure(20_000, async () => {
    const stream = await client.openStream();
    void stream.write(request);
    void stream.end();
    if ((await readAll(stream)).length !== 32) {
      wrongSizes++;
    }
  });

  const streamsLeft = client.streamCount + server.streamCount;
  await client.close();
  await serving;

  // One stream for all requests, on a session of its own.
  const pair = await tcpSessionPair(noKeepAlive);
  const echoing = (async () => {
    const stream = await pair.server.acceptStream();
    for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) {
      void stream.write(chunk);
    }
    await stream.end();
  })();
  const stream = await pair.client.openStream();
  const oneStreamRate = await measure(50_000, async () => {
    void stream.write(request);
    let received = 0;
    while (received < 32) {
      received += (await stream.read())!.length;
    }
  });
  await stream.end();
  await echoing;
  report(
    `round trips of 32 bytes: new yamux stream each ${newStreamRate.toFixed(0)}/s, ` +
      `one yamux stream ${oneStreamRate.toFixed(0)}/s, raw socket ${rawRate.toFixed(0)}/s`,
  );
  expect(wrongSizes).toBe(0);
  expect(streamsLeft).toBe(0);
}, 120_000);
