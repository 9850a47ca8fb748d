// One named test per defect of yamux-js 0.2.0 (the only published version, see
// /work/shared/reference/dependencies.md), each showing that this implementation does not have it.
import { afterEach, describe, expect, jest, test } from "@jest/globals";
import { concatBytes } from "@icerpc-ts/primitives";

import { initialStreamWindow } from "../src/index.js";
import { Flag, FrameType, decodeFrames, digest, frame, splitRandomly } from "./support/frames.js";
import { RawPeer } from "./support/raw-peer.js";
import {
  decode,
  disposeSessions,
  memorySessionPair,
  noKeepAlive,
  pattern,
  readAll,
  stillPending,
  tcpSessionPair,
  text,
} from "./support/sessions.js";

afterEach(() => {
  jest.restoreAllMocks();
  disposeSessions();
});

describe("yamux-js defects", () => {
  test("frames split across reads were dropped: a 1 MiB write crosses a real TCP socket intact", async () => {
    const { client, server } = await tcpSessionPair({ client: noKeepAlive, server: noKeepAlive });
    const data = pattern(1024 * 1024, 3);
    const stream = await client.openStream();
    void stream.write(data);
    void stream.end();
    expect(digest(await readAll(await server.acceptStream()))).toBe(digest(data));
  });

  test("frames split across reads were dropped: 20 concurrent streams over a channel cutting bytes anywhere", async () => {
    let seed = 0;
    const split = (bytes: Uint8Array) => splitRandomly(bytes, ++seed, 100);
    const { client, server } = memorySessionPair({
      client: { ...noKeepAlive, maxFrameSize: 1000 },
      server: { ...noKeepAlive, maxFrameSize: 1000 },
      clientChannel: { split },
      serverChannel: { split },
    });
    const echoing = (async () => {
      for (let i = 0; i < 20; i++) {
        const stream = await server.acceptStream();
        void readAll(stream).then(async (request) => {
          await stream.write(request);
          await stream.end();
        });
      }
    })();
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const stream = await client.openStream();
        const data = pattern(10_000 + i * 997, i);
        void stream.write(data);
        void stream.end();
        return digest(await readAll(stream)) === digest(data);
      }),
    );
    await echoing;
    expect(results).toEqual(Array(20).fill(true));
  });

  test("flags were compared with ===: SYN|FIN and ACK|FIN both count (hostile.test.ts tries all 16 combinations)", async () => {
    const peer = new RawPeer("server");
    peer.send(frame(FrameType.Data, Flag.Syn | Flag.Fin, 1, text("syn+fin")));
    const first = await peer.session.acceptStream();
    expect(decode(await readAll(first))).toBe("syn+fin");

    const client = new RawPeer("client");
    const stream = await client.session.openStream();
    await stream.write(text("request"));
    client.send(frame(FrameType.Data, Flag.Ack | Flag.Fin, 1, text("response")));
    expect(decode(await readAll(stream))).toBe("response");
    expect(await stream.remoteClosed).toBe("fin");
  });

  test("end() sent no FIN: end sends one, right after the last Data frame, and the peer reads the end", async () => {
    const { client, server, clientChannel } = memorySessionPair({
      client: noKeepAlive,
      server: noKeepAlive,
      clientChannel: { record: true },
    });
    const stream = await client.openStream();
    await stream.write(text("a"));
    void stream.write(text("b"));
    await stream.end();
    const accepted = await server.acceptStream();
    expect(decode(await readAll(accepted))).toBe("ab");
    // The FIN on a WindowUpdate of its own, as hashicorp/yamux sends it (session-stream.ts says why).
    expect(decodeFrames(clientChannel.recorded).map((f) => [f.type, f.flags])).toEqual([
      [FrameType.Data, Flag.Syn],
      [FrameType.Data, 0],
      [FrameType.WindowUpdate, Flag.Fin],
    ]);
  });

  test("a FIN was ignored unless it rode on a WindowUpdate: a FIN on a Data frame ends the stream", async () => {
    const peer = new RawPeer("server");
    peer.send(frame(FrameType.Data, Flag.Syn, 1, text("first ")), frame(FrameType.Data, Flag.Fin, 1, text("last")));
    const stream = await peer.session.acceptStream();
    expect(decode(await readAll(stream))).toBe("first last");
    expect(await stream.remoteClosed).toBe("fin");
  });

  test("data carried on a SYN frame was dropped: it is delivered", async () => {
    const peer = new RawPeer("server");
    peer.send(frame(FrameType.Data, Flag.Syn, 1, text("data on the SYN")));
    const stream = await peer.session.acceptStream();
    expect(decode((await stream.read())!)).toBe("data on the SYN");
  });

  test("streams were never removed, so stream 257 was reset: 10,000 sequential streams over TCP leave none behind", async () => {
    const { client, server } = await tcpSessionPair({ client: noKeepAlive, server: noKeepAlive });
    const serving = (async () => {
      for (let i = 0; i < 10_000; i++) {
        const stream = await server.acceptStream();
        const request = await readAll(stream);
        void stream.write(request);
        void stream.end();
      }
    })();
    let intact = 0;
    for (let i = 0; i < 10_000; i++) {
      const stream = await client.openStream();
      void stream.write(text(`request ${i}`));
      void stream.end();
      if (decode(await readAll(stream)) === `request ${i}`) {
        intact++;
      }
      await stream.closed;
    }
    await serving;
    expect(intact).toBe(10_000);
    expect(client.streamCount).toBe(0);
    expect(server.streamCount).toBe(0);
  }, 60_000);

  test("credit was returned on arrival: a reader that does not read holds one window and stops the sender", async () => {
    const { client, server, serverChannel } = memorySessionPair({
      client: noKeepAlive,
      server: noKeepAlive,
      serverChannel: { record: true },
    });
    const stream = await client.openStream();
    const data = pattern(4 * 1024 * 1024);
    const writing = stream.write(data);
    void stream.end();
    const accepted = await server.acceptStream();
    while (accepted.bufferedBytes < initialStreamWindow) {
      await client.ping(); // each round trip lets more frames through, until the window is full
    }
    await client.ping();
    expect(accepted.bufferedBytes).toBe(initialStreamWindow);
    expect(stream.sendCredit).toBe(0);
    expect(await stillPending(writing)).toBe("pending");
    // The WindowUpdates of the server that grant credit (its ACK carries none).
    const grants = () =>
      decodeFrames(serverChannel.recorded).filter((f) => f.type === FrameType.WindowUpdate && f.length > 0);
    expect(grants()).toEqual([]);

    // Reading returns the credit: the whole transfer completes, never buffering more than the window.
    const received: Uint8Array[] = [];
    for (let chunk = await accepted.read(); chunk !== null; chunk = await accepted.read()) {
      expect(accepted.bufferedBytes + chunk.length).toBeLessThanOrEqual(accepted.receiveWindow);
      received.push(chunk);
    }
    await writing;
    expect(digest(concatBytes(received))).toBe(digest(data));
    expect(grants().length).toBeGreaterThan(0);
  });

  test("a sender with an exhausted window polled every 100 ms: it resumes on the WindowUpdate, with no timer", async () => {
    // A window that never grows: 16 MiB exhaust it 64 times. yamux-js polls every 100 ms; here no timer may run.
    const { client, server } = memorySessionPair({
      client: noKeepAlive,
      server: { ...noKeepAlive, maxStreamWindowSize: initialStreamWindow },
    });
    const setTimeoutSpy = jest.spyOn(globalThis, "setTimeout");
    const setIntervalSpy = jest.spyOn(globalThis, "setInterval");
    const stream = await client.openStream();
    const data = pattern(16 * 1024 * 1024);
    void stream.write(data);
    void stream.end();
    const accepted = await server.acceptStream();
    const received = await readAll(accepted);
    expect(digest(received)).toBe(digest(data));
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(setIntervalSpy).not.toHaveBeenCalled();
  });

});
