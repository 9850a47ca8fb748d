// Per-stream flow control: credit only for bytes read (a slow reader bounds memory at its window), a sender that
// never exceeds its credit and resumes on the WindowUpdate itself, and window growth for fast readers.
import { afterEach, describe, expect, test } from "@jest/globals";

import { initialStreamWindow } from "../src/index.js";
import { Flag, FrameType, decodeFrames, digest, frame } from "./support/frames.js";
import { RawPeer } from "./support/raw-peer.js";
import { disposeSessions, memorySessionPair, noKeepAlive, pattern, readAll, stillPending } from "./support/sessions.js";

afterEach(disposeSessions);

describe("receiving", () => {
  test("the credit outstanding never exceeds the window, with a reader always waiting for data", async () => {
    const maxStreamWindowSize = 512 * 1024;
    const peer = new RawPeer("server", { maxStreamWindowSize });
    peer.send(frame(FrameType.WindowUpdate, Flag.Syn, 1, 0));
    const stream = await peer.session.acceptStream();
    let received = 0;
    const reading = (async () => {
      for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) {
        received += chunk.length;
      }
    })();
    const granted = (frames: { type: FrameType; length: number }[]) =>
      initialStreamWindow +
      frames.filter((f) => f.type === FrameType.WindowUpdate).reduce((size, f) => size + f.length, 0);
    const total = 8 * 1024 * 1024;
    let sent = 0;
    let credit = initialStreamWindow;
    while (sent < total) {
      while (sent < credit && sent < total) {
        const size = Math.min(16 * 1024, credit - sent, total - sent);
        peer.send(frame(FrameType.Data, 0, 1, pattern(size)));
        sent += size;
      }
      if (sent < total) {
        credit = granted(await peer.waitFor((frames) => granted(frames) > credit));
        expect(credit - sent).toBeLessThanOrEqual(maxStreamWindowSize);
      }
    }
    peer.send(frame(FrameType.Data, Flag.Fin, 1, 0));
    await reading;
    expect(received).toBe(total);
    expect(stream.receiveWindow).toBe(maxStreamWindowSize); // the sender stalled on every window: it grew
  });

  test("a slow reader keeps its window at the initial size", async () => {
    // The scripted sender always uses all its credit and the session buffers it before the reader reads a chunk: the
    // reader is slower than the sender at every step, by events rather than by a sleep.
    const peer = new RawPeer("server");
    peer.send(frame(FrameType.WindowUpdate, Flag.Syn, 1, 0));
    const stream = await peer.session.acceptStream();
    const granted = (frames: { type: FrameType; length: number }[]) =>
      initialStreamWindow +
      frames.filter((f) => f.type === FrameType.WindowUpdate).reduce((size, f) => size + f.length, 0);
    const total = 2 * 1024 * 1024;
    let sent = 0;
    let received = 0;
    let maxBuffered = 0;
    while (received < total) {
      await peer.sync(); // any grant owed for what the reader took has reached the peer
      const credit = Math.min(granted(peer.frames()), total);
      while (sent < credit) {
        const size = Math.min(16 * 1024, credit - sent);
        sent += size;
        peer.send(frame(FrameType.Data, sent === total ? Flag.Fin : 0, 1, pattern(size)));
      }
      await peer.sync(); // the session has buffered everything sent
      maxBuffered = Math.max(maxBuffered, stream.bufferedBytes);
      received += (await stream.read())!.length;
    }
    expect(await stream.read()).toBeNull();
    expect(stream.receiveWindow).toBe(initialStreamWindow);
    expect(maxBuffered).toBeLessThanOrEqual(initialStreamWindow);
    expect(granted(peer.frames())).toBeGreaterThanOrEqual(total); // credit came back as the reader read
  });

  test("a fast reader behind a slow network grows its window, up to maxStreamWindowSize", async () => {
    // A 100 ms round trip, long beside what the CPU takes per window even on a loaded machine: the window, not the
    // CPU, is what holds each transfer back (with 20 ms, a CI run once saw the CPU take over).
    const latency = 50;
    const data = pattern(4 * 1024 * 1024);
    const transfer = async (maxStreamWindowSize: number) => {
      const { client, server, serverChannel } = memorySessionPair({
        client: noKeepAlive,
        server: { ...noKeepAlive, maxStreamWindowSize },
        clientChannel: { latency },
        serverChannel: { latency, record: true },
      });
      const stream = await client.openStream();
      void stream.write(data);
      void stream.end();
      const accepted = await server.acceptStream();
      const start = performance.now();
      const received = await readAll(accepted);
      const milliseconds = Math.round(performance.now() - start);
      expect(digest(received)).toBe(digest(data));
      const grants = decodeFrames(serverChannel.recorded).filter(
        (f) => f.type === FrameType.WindowUpdate && f.length > 0,
      );
      return { window: accepted.receiveWindow, milliseconds, grants: grants.length };
    };
    const fixed = await transfer(initialStreamWindow);
    const capped = await transfer(1024 * 1024);
    const growing = await transfer(16 * 1024 * 1024);
    const roundTrip = 2 * latency;
    // One object, so that a failure shows every measurement.
    expect({
      fixed,
      capped,
      growing,
      // 256 KiB per round trip make 4 MiB take 16 round trips (15 once the stream is accepted): the fixed window is
      // what limits that transfer. Each simulated delay starts no earlier than the one before it ended, so this holds
      // on any machine; the one round trip of slack is for the delay between the first delivery and `start`.
      fixedIsSlow: fixed.milliseconds >= 14 * roundTrip,
      // A grant carries at most one window, so the fixed window needs at least 15...
      fixedGrants: fixed.grants >= 15,
      // ... while a growing one needs fewer round trips (counted rather than timed: the time also depends on the
      // machine).
      growingNeedsFewerGrants: growing.grants < fixed.grants,
      // It doubled at least twice. Beyond 1 MiB (what the sender writes in one go), growth relies on a window's data
      // arriving as one burst, which a loaded machine does not always give (see the receive-window's limits).
      growingReached1MiB: growing.window >= 1024 * 1024 && growing.window <= 16 * 1024 * 1024,
    }).toEqual({
      fixed: { window: initialStreamWindow, milliseconds: expect.any(Number), grants: expect.any(Number) },
      capped: { window: 1024 * 1024, milliseconds: expect.any(Number), grants: expect.any(Number) },
      growing: expect.any(Object),
      fixedIsSlow: true,
      fixedGrants: true,
      growingNeedsFewerGrants: true,
      growingReached1MiB: true,
    });
  }, 30_000);
});

describe("sending", () => {
  test("a sender never sends beyond the credit it was granted", async () => {
    const peer = new RawPeer("client");
    const stream = await peer.session.openStream();
    const writing = stream.write(pattern(1024 * 1024));
    const dataSent = (frames: { type: FrameType; length: number }[]) =>
      frames.filter((f) => f.type === FrameType.Data).reduce((size, f) => size + f.length, 0);
    await peer.waitFor((frames) => dataSent(frames) === initialStreamWindow);
    await peer.sync();
    expect(dataSent(peer.frames())).toBe(initialStreamWindow);
    expect(await stillPending(writing)).toBe("pending");

    peer.send(frame(FrameType.WindowUpdate, Flag.Ack, 1, 1000));
    await peer.waitFor((frames) => dataSent(frames) === initialStreamWindow + 1000);
    await peer.sync();
    expect(dataSent(peer.frames())).toBe(initialStreamWindow + 1000);
    expect(stream.sendCredit).toBe(0);
  });
});
