// 1 GiB through one stream over a real loopback TCP socket, checked end to end with SHA-256.
import { createHash } from "node:crypto";

import { afterEach, expect, test } from "@jest/globals";

import { disposeSessions, pattern, tcpSessionPair } from "./support/sessions.js";

afterEach(disposeSessions);

test("1 GiB over one stream arrives intact (SHA-256 on both ends)", async () => {
  const { client, server } = await tcpSessionPair({
    client: { keepAliveInterval: 0 },
    server: { keepAliveInterval: 0 },
  });
  const blockSize = 1024 * 1024;
  const blocks = 1024;
  const base = pattern(blockSize, 42);
  const sent = createHash("sha256");
  const start = performance.now();
  const sending = (async () => {
    const stream = await client.openStream();
    for (let i = 0; i < blocks; i++) {
      // A fresh block each time (a write takes ownership of its bytes), each one different.
      const block = new Uint8Array(base);
      new DataView(block.buffer).setUint32((i * 4093) % (blockSize - 4), i);
      sent.update(block);
      await stream.write(block);
    }
    await stream.end();
  })();
  const stream = await server.acceptStream();
  const received = createHash("sha256");
  let size = 0;
  for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) {
    received.update(chunk);
    size += chunk.length;
  }
  await sending;
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `1 GiB over one yamux stream (loopback TCP, both ends in this process, SHA-256 on both): ` +
      `${(1024 / seconds).toFixed(0)} MiB/s; receive window grew to ${stream.receiveWindow / 1024} KiB`,
  );
  expect(size).toBe(blocks * blockSize);
  expect(received.digest("hex")).toBe(sent.digest("hex"));
  await stream.end();
  await stream.closed;
  expect(server.streamCount).toBe(0);
}, 300_000);
