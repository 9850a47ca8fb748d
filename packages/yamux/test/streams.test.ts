// Stream semantics between two sessions: opening with or without data, FIN and RST in each direction and in
// combination, removal once done, frame sizes, write coalescing, fairness, and usage errors.
import { afterEach, describe, expect, test } from "@jest/globals";
import { concatBytes } from "@icerpc-ts/primitives";

import { YamuxErrorCode } from "../src/index.js";
import { Flag, FrameType, decodeFrames, digest } from "./support/frames.js";
import {
  decode,
  disposeSessions,
  memorySessionPair,
  noKeepAlive,
  pattern,
  readAll,
  recordingPair,
  stillPending,
  text,
} from "./support/sessions.js";

afterEach(disposeSessions);

describe("opening", () => {
  // The FIN follows the data on a WindowUpdate of its own, never on the Data frame: hashicorp/yamux applies a frame's
  // flags before it stores its payload, and a Go reader in between would lose the data (interop.test.ts).
  test("data written in the same task as openStream rides on the SYN frame, and the FIN follows in the same write", async () => {
    const { client, server, clientChannel } = recordingPair();
    const stream = await client.openStream();
    void stream.write(text("request"));
    void stream.end();
    const accepted = await server.acceptStream();
    expect(decode(await readAll(accepted))).toBe("request");
    expect(clientChannel.recorded.length).toBe(1);
    expect(decodeFrames(clientChannel.recorded)).toEqual([
      { type: FrameType.Data, flags: Flag.Syn, streamId: 1, length: 7, payload: text("request") },
      { type: FrameType.WindowUpdate, flags: Flag.Fin, streamId: 1, length: 0 },
    ]);
  });

  test("a stream opened without data announces itself with a WindowUpdate SYN", async () => {
    const { client, server, clientChannel } = recordingPair();
    await client.openStream();
    const accepted = await server.acceptStream();
    expect(accepted.id).toBe(1);
    expect(accepted.isLocal).toBe(false);
    expect(decodeFrames(clientChannel.recorded)).toEqual([
      { type: FrameType.WindowUpdate, flags: Flag.Syn, streamId: 1, length: 0 },
    ]);
  });

  test("accepting acknowledges on the first frame back, the response data's, and the FIN follows it", async () => {
    const { client, server, serverChannel } = recordingPair();
    const stream = await client.openStream();
    void stream.end();
    const accepted = await server.acceptStream();
    void accepted.write(text("response"));
    void accepted.end();
    expect(decode(await readAll(stream))).toBe("response");
    expect(decodeFrames(serverChannel.recorded)).toEqual([
      { type: FrameType.Data, flags: Flag.Ack, streamId: 1, length: 8, payload: text("response") },
      { type: FrameType.WindowUpdate, flags: Flag.Fin, streamId: 1, length: 0 },
    ]);
  });

  test("client streams have odd ids and server streams even ids, in opening order", async () => {
    const { client, server } = recordingPair();
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await client.openStream()).id, (await server.openStream()).id);
    }
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect([(await server.acceptStream()).id, (await server.acceptStream()).id]).toEqual([1, 3]);
    expect([(await client.acceptStream()).id, (await client.acceptStream()).id]).toEqual([2, 4]);
  });
});

describe("closing", () => {
  test("FIN both ways closes the stream and removes it from both sessions", async () => {
    const { client, server } = recordingPair();
    const stream = await client.openStream();
    void stream.write(text("ping"));
    void stream.end();
    const accepted = await server.acceptStream();
    expect(decode(await readAll(accepted))).toBe("ping");
    expect(await accepted.remoteClosed).toBe("fin");
    expect(server.streamCount).toBe(1); // its own FIN is still to send
    await accepted.write(text("pong"));
    await accepted.end();
    await accepted.closed;
    expect(server.streamCount).toBe(0);
    expect(decode(await readAll(stream))).toBe("pong");
    await stream.closed;
    expect(client.streamCount).toBe(0);
    expect(await stream.read()).toBeNull(); // and again
  });

  test("after its FIN, a side still reads what the other keeps writing", async () => {
    const { client, server } = recordingPair();
    const stream = await client.openStream();
    await stream.end();
    const accepted = await server.acceptStream();
    expect(await accepted.read()).toBeNull();
    for (let i = 0; i < 3; i++) {
      await accepted.write(text(`part ${i};`));
    }
    await accepted.end();
    expect(decode(await readAll(stream))).toBe("part 0;part 1;part 2;");
  });

  test("end(data) sends the data after what was written, then the FIN, and fails if the stream can no longer send", async () => {
    const { client, server, clientChannel } = recordingPair();
    const stream = await client.openStream();
    void stream.write(text("one "));
    await stream.end(text("two"));
    const accepted = await server.acceptStream();
    expect(decode(await readAll(accepted))).toBe("one two");
    expect(decodeFrames(clientChannel.recorded)).toEqual([
      { type: FrameType.Data, flags: Flag.Syn, streamId: 1, length: 7, payload: text("one two") },
      { type: FrameType.WindowUpdate, flags: Flag.Fin, streamId: 1, length: 0 },
    ]);

    const reset = await client.openStream();
    reset.reset();
    await expect(reset.end(text("late"))).rejects.toMatchObject({ code: YamuxErrorCode.LocalReset });
  });

  test("tryRead takes what is received without a promise, returns null at the end and undefined when read would wait", async () => {
    const { client, server } = recordingPair();
    const stream = await client.openStream();
    await stream.write(text("ab"));
    const accepted = await server.acceptStream();
    await client.ping(); // the data is in
    expect(decode(accepted.tryRead()!)).toBe("ab");
    expect(accepted.tryRead()).toBeUndefined(); // nothing more yet: read would wait
    const pending = accepted.read();
    await stream.end(text("c"));
    expect(accepted.tryRead()).toBeUndefined(); // a read is pending: it gets the bytes
    expect(decode((await pending)!)).toBe("c");
    expect(accepted.tryRead()).toBeNull();
  });

  test("a FIN without data goes on a WindowUpdate frame", async () => {
    const { client, server, clientChannel } = recordingPair();
    const stream = await client.openStream();
    await stream.write(text("data"));
    await stream.end();
    const accepted = await server.acceptStream();
    expect(decode(await readAll(accepted))).toBe("data");
    const frames = decodeFrames(clientChannel.recorded);
    expect(frames.at(-1)).toEqual({ type: FrameType.WindowUpdate, flags: Flag.Fin, streamId: 1, length: 0 });
  });

  test("a reset by the writer fails the peer's reads with RemoteReset and removes the stream", async () => {
    const { client, server } = recordingPair();
    const stream = await client.openStream();
    await stream.write(text("partial"));
    const accepted = await server.acceptStream();
    expect(decode((await accepted.read())!)).toBe("partial");
    const pendingRead = accepted.read();
    stream.reset();
    await expect(pendingRead).rejects.toMatchObject({ code: YamuxErrorCode.RemoteReset });
    await expect(accepted.write(text("late"))).rejects.toMatchObject({ code: YamuxErrorCode.RemoteReset });
    expect(await accepted.remoteClosed).toBe("reset");
    await accepted.closed;
    expect(server.streamCount).toBe(0);
    expect(client.streamCount).toBe(0);
    expect(await stream.remoteClosed).toBe("aborted");
  });

  test("a local reset fails this side's pending read and write with LocalReset", async () => {
    const { client, server } = recordingPair();
    const stream = await client.openStream();
    const pendingRead = stream.read();
    await server.acceptStream(); // the server does not read: the write below waits for credit beyond 256 KiB
    const pendingWrite = stream.write(pattern(512 * 1024));
    expect(await stillPending(pendingWrite)).toBe("pending");
    stream.reset();
    await expect(pendingRead).rejects.toMatchObject({ code: YamuxErrorCode.LocalReset });
    await expect(pendingWrite).rejects.toMatchObject({ code: YamuxErrorCode.LocalReset });
    await expect(stream.read()).rejects.toMatchObject({ code: YamuxErrorCode.LocalReset });
    await expect(stream.end()).rejects.toMatchObject({ code: YamuxErrorCode.LocalReset });
    expect(client.streamCount).toBe(0);
  });

  test("a reset before the SYN left sends nothing at all", async () => {
    const { client, clientChannel, server } = recordingPair();
    const stream = await client.openStream();
    void stream.write(text("never sent"));
    stream.reset();
    await (await client.openStream()).end();
    const accepted = await server.acceptStream();
    expect(accepted.id).toBe(3);
    expect(decodeFrames(clientChannel.recorded).map((f) => f.streamId)).toEqual([3]);
  });

  test("an accepted stream reset right away answers with ACK|RST", async () => {
    const { client, server, serverChannel } = recordingPair();
    const stream = await client.openStream();
    await stream.write(text("x"));
    const accepted = await server.acceptStream();
    accepted.reset();
    expect(await stream.remoteClosed).toBe("reset");
    expect(decodeFrames(serverChannel.recorded)).toEqual([
      { type: FrameType.WindowUpdate, flags: Flag.Ack | Flag.Rst, streamId: 1, length: 0 },
    ]);
  });

  test("a RST after the peer's FIN leaves the peer's complete data readable and stops this side's writes", async () => {
    const { client, server } = recordingPair();
    const stream = await client.openStream();
    await stream.write(text("complete"));
    await stream.end();
    const accepted = await server.acceptStream();
    expect(await accepted.remoteClosed).toBe("fin"); // nothing read yet
    const pendingWrite = accepted.write(pattern(1024 * 1024));
    stream.reset(); // the client still could: it had not received the server's FIN
    await expect(pendingWrite).rejects.toMatchObject({ code: YamuxErrorCode.RemoteReset });
    await accepted.closed;
    expect(server.streamCount).toBe(0);
    expect(decode(await readAll(accepted))).toBe("complete");
    await expect(accepted.write(text("more"))).rejects.toMatchObject({ code: YamuxErrorCode.RemoteReset });
  });
});

describe("writing", () => {
  test("a large write leaves in frames of maxFrameSize", async () => {
    const { client, server, clientChannel } = recordingPair({ client: { maxFrameSize: 1000 } });
    const stream = await client.openStream();
    const data = pattern(10_500);
    void stream.write(data);
    void stream.end();
    const accepted = await server.acceptStream();
    expect(digest(await readAll(accepted))).toBe(digest(data));
    const frames = decodeFrames(clientChannel.recorded);
    expect(frames.map((f) => f.length)).toEqual([...Array(10).fill(1000), 500, 0]); // the last: the FIN
    expect(frames.at(-1)).toEqual({ type: FrameType.WindowUpdate, flags: Flag.Fin, streamId: 1, length: 0 });
  });

  test("frames produced in the same task leave in one channel write", async () => {
    const { client, server, clientChannel } = recordingPair();
    const streams = await Promise.all(Array.from({ length: 50 }, () => client.openStream()));
    for (const stream of streams) {
      void stream.write(text(`request ${stream.id}`));
      void stream.end();
    }
    const ping = client.ping();
    for (let i = 0; i < 50; i++) {
      const accepted = await server.acceptStream();
      expect(decode(await readAll(accepted))).toBe(`request ${accepted.id}`);
    }
    await ping;
    expect(clientChannel.recorded.length).toBe(1);
    expect(decodeFrames(clientChannel.recorded).length).toBe(101); // a Data frame and a FIN per stream, a ping
  });

  test("the channel's backpressure holds back further writes until it lifts", async () => {
    const { client, server, clientChannel, serverChannel } = memorySessionPair({
      client: noKeepAlive,
      server: noKeepAlive,
      clientChannel: { record: true, highWaterMark: 64 * 1024 },
    });
    serverChannel.pause(); // the server's side takes nothing in: the client's channel fills up
    const streams = await Promise.all(Array.from({ length: 8 }, () => client.openStream()));
    const writes = streams.map((stream, i) => stream.write(pattern(256 * 1024, i)));
    expect(await stillPending(Promise.all(writes))).toBe("pending");
    // One write of at most 1 MiB went out; the channel pushed back, and nothing more was written since.
    expect(clientChannel.recorded.length).toBe(1);
    expect(clientChannel.recorded[0]!.length).toBeLessThanOrEqual(1024 * 1024 + 64 * 12);
    serverChannel.resume();
    await Promise.all(writes);
    for (const stream of streams) {
      void stream.end();
    }
    for (let i = 0; i < 8; i++) {
      const accepted = await server.acceptStream();
      expect(digest(await readAll(accepted))).toBe(digest(pattern(256 * 1024, (accepted.id - 1) / 2)));
    }
  });

  test("streams share the channel: their frames interleave", async () => {
    const { client, server, clientChannel } = recordingPair({ client: { maxFrameSize: 16 * 1024 } });
    const first = await client.openStream();
    const second = await client.openStream();
    void first.write(pattern(200 * 1024, 1));
    void second.write(pattern(200 * 1024, 2));
    void first.end();
    void second.end();
    const [a, b] = [await server.acceptStream(), await server.acceptStream()];
    const [dataA, dataB] = await Promise.all([readAll(a), readAll(b)]);
    expect(digest(dataA)).toBe(digest(pattern(200 * 1024, 1)));
    expect(digest(dataB)).toBe(digest(pattern(200 * 1024, 2)));
    const order = decodeFrames(clientChannel.recorded)
      .filter((f) => f.type === FrameType.Data)
      .map((f) => f.streamId);
    expect(order.slice(0, 6)).toEqual([1, 3, 1, 3, 1, 3]);
  });

  test("bytes arrive in order across many writes of all sizes", async () => {
    const { client, server } = recordingPair({ client: { maxFrameSize: 4096 } });
    const stream = await client.openStream();
    const parts = [0, 1, 7, 4095, 4096, 4097, 100_000, 3, 300_000].map((size, i) => pattern(size, i));
    for (const part of parts) {
      void stream.write(part);
    }
    void stream.end();
    const accepted = await server.acceptStream();
    expect(digest(await readAll(accepted))).toBe(digest(concatBytes(parts)));
  });

  test("an empty write resolves at once and sends nothing", async () => {
    const { client, clientChannel } = recordingPair();
    const stream = await client.openStream();
    await stream.write(new Uint8Array(0));
    await client.ping();
    expect(decodeFrames(clientChannel.recorded).filter((f) => f.type === FrameType.Data)).toEqual([]);
  });

  test("an aborted write withdraws its unsent bytes; the bytes already sent stay sent", async () => {
    const { client, server } = recordingPair();
    const stream = await client.openStream();
    const controller = new AbortController();
    const big = stream.write(pattern(1024 * 1024), controller.signal); // 256 KiB fit in the initial window
    const accepted = await server.acceptStream();
    expect(await stillPending(big)).toBe("pending");
    controller.abort(new Error("give up"));
    await expect(big).rejects.toThrow("give up");
    void stream.write(text("after"));
    void stream.end();
    const received = await readAll(accepted);
    expect(received.length).toBe(256 * 1024 + 5);
    expect(digest(received.subarray(0, 256 * 1024))).toBe(digest(pattern(1024 * 1024).subarray(0, 256 * 1024)));
    expect(decode(received.subarray(256 * 1024))).toBe("after");
  });

  test("withdrawWrites gives up what is unsent without a RST: the FIN already requested still leaves, after the bytes sent", async () => {
    const { client, server } = recordingPair();
    const stream = await client.openStream();
    const big = stream.write(pattern(1024 * 1024)); // 256 KiB fit in the initial window
    const ending = stream.end();
    const accepted = await server.acceptStream();
    expect(await stillPending(big)).toBe("pending");
    stream.withdrawWrites(new Error("stopped"));
    await expect(big).rejects.toThrow("stopped");
    await expect(ending).rejects.toThrow("stopped");
    const received = await readAll(accepted);
    expect(received.length).toBe(256 * 1024);
    expect(await accepted.remoteClosed).toBe("fin");
  });
});

describe("reading", () => {
  test("an aborted read is transient: no data is lost", async () => {
    const { client, server } = recordingPair();
    const stream = await client.openStream();
    await stream.write(text("a"));
    const accepted = await server.acceptStream();
    expect(decode((await accepted.read())!)).toBe("a");
    const controller = new AbortController();
    const read = accepted.read(controller.signal);
    controller.abort(new Error("not now"));
    await expect(read).rejects.toThrow("not now");
    await stream.write(text("b"));
    expect(decode((await accepted.read())!)).toBe("b");
  });

  test("usage errors: overlapping reads, writes after end, a second end", async () => {
    const { client } = recordingPair();
    const stream = await client.openStream();
    const read = stream.read();
    await expect(stream.read()).rejects.toMatchObject({ code: YamuxErrorCode.UsageError });
    void stream.end();
    await expect(stream.write(text("x"))).rejects.toMatchObject({ code: YamuxErrorCode.UsageError });
    await expect(stream.end()).rejects.toMatchObject({ code: YamuxErrorCode.UsageError });
    stream.reset();
    await expect(read).rejects.toMatchObject({ code: YamuxErrorCode.LocalReset });
  });
});
