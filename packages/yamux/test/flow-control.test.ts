// Per-stream flow control: credit only for bytes read (a slow reader bounds memory at its window), a sender that
// never exceeds its credit and resumes on the WindowUpdate itself, and window growth for fast readers behind a long
// round trip, within the session's budget.
import { afterEach, describe, expect, test } from "@jest/globals";

import { initialStreamWindow } from "../src/index.js";
import type { YamuxStream } from "../src/index.js";
import { Flag, type Frame, FrameType, digest, frame } from "./support/frames.js";
import { RawPeer } from "./support/raw-peer.js";
import { disposeSessions, noKeepAlive, pattern, readAll, stillPending, tcpSessionPair } from "./support/sessions.js";

afterEach(disposeSessions);

/** The credit the session granted on `streamId`: the initial window plus its WindowUpdates. */
function granted(frames: Frame[], streamId: number): number {
  return frames
    .filter((f) => f.type === FrameType.WindowUpdate && f.streamId === streamId)
    .reduce((size, f) => size + f.length, initialStreamWindow);
}

/**
 * Plays a sender that always uses all its credit at once: sends `total` bytes on each of `streamIds` (opened by the
 * peer already), each Data frame as soon as credit allows, then FIN. `check` sees each stream's credit and bytes sent.
 */
async function sendWithinCredit(
  peer: RawPeer,
  streamIds: number[],
  total: number,
  check: (credit: number, sent: number) => void = () => {},
): Promise<void> {
  const sent = new Map(streamIds.map((id) => [id, 0]));
  for (;;) {
    const frames = peer.frames();
    for (const id of streamIds) {
      const credit = granted(frames, id);
      check(credit, sent.get(id)!);
      const limit = Math.min(credit, total);
      for (let done = sent.get(id)!; done < limit; ) {
        const size = Math.min(16 * 1024, limit - done);
        done += size;
        peer.send(frame(FrameType.Data, done === total ? Flag.Fin : 0, id, pattern(size)));
        sent.set(id, done);
      }
    }
    if (streamIds.every((id) => sent.get(id) === total)) {
      return;
    }
    const before = streamIds.map((id) => granted(frames, id));
    await peer.waitFor((next) => streamIds.some((id, i) => granted(next, id) > before[i]!));
  }
}

async function readCount(stream: YamuxStream): Promise<number> {
  let received = 0;
  for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) {
    received += chunk.length;
  }
  return received;
}

describe("receiving", () => {
  test("the credit outstanding never exceeds the window, with a reader always waiting for data", async () => {
    // 50 ms from the session to the peer, which answers pings and grants at once: a 50 ms round trip.
    const maxStreamWindowSize = 512 * 1024;
    const peer = new RawPeer("server", { maxStreamWindowSize }, { latency: 50 });
    peer.answerPings();
    peer.send(frame(FrameType.WindowUpdate, Flag.Syn, 1, 0));
    const stream = await peer.session.acceptStream();
    const reading = readCount(stream);
    const total = 4 * 1024 * 1024;
    await sendWithinCredit(peer, [1], total, (credit, sent) =>
      expect(credit - sent).toBeLessThanOrEqual(maxStreamWindowSize),
    );
    expect(await reading).toBe(total);
    // The sender waited a round trip for each window: the window limited the transfer, and it grew.
    expect(stream.receiveWindow).toBe(maxStreamWindowSize);
  });

  test("a slow reader keeps its window at the initial size, though the round trip is known", async () => {
    // The scripted sender always uses all its credit and the session buffers it before the reader reads a chunk: the
    // reader is slower than the sender at every step, by events rather than by a sleep. Each step waits for two
    // round trips of 20 ms, so a grant (every 8 steps) falls due long after the two round trips that make it grow.
    const peer = new RawPeer("server", {}, { latency: 20 });
    peer.answerPings();
    peer.send(frame(FrameType.WindowUpdate, Flag.Syn, 1, 0));
    const stream = await peer.session.acceptStream();
    const total = 512 * 1024;
    let sent = 0;
    let received = 0;
    let maxBuffered = 0;
    while (received < total) {
      await peer.sync(); // any grant owed for what the reader took has reached the peer
      const credit = Math.min(granted(peer.frames(), 1), total);
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
    const frames = peer.frames();
    expect({
      window: stream.receiveWindow,
      maxBuffered: maxBuffered <= initialStreamWindow,
      creditCameBack: granted(frames, 1) >= total, // as the reader read
      roundTripMeasured: frames.some((f) => f.type === FrameType.Ping && f.flags === Flag.Syn),
    }).toEqual({ window: initialStreamWindow, maxBuffered: true, creditCameBack: true, roundTripMeasured: true });
  });

  test("a fast reader behind a long path grows its window, up to maxStreamWindowSize, and beats the initial window twice over", async () => {
    // Real sockets through a relay that delivers each chunk 50 ms later, in the pieces TCP gives: a 100 ms round
    // trip, long beside what the CPU takes per window even on a loaded machine.
    const latency = 50;
    const data = pattern(4 * 1024 * 1024);
    const transfer = async (maxStreamWindowSize: number) => {
      const { client, server } = await tcpSessionPair({
        client: noKeepAlive,
        server: { ...noKeepAlive, maxStreamWindowSize },
        latency,
      });
      const stream = await client.openStream();
      void stream.write(data);
      void stream.end();
      const accepted = await server.acceptStream();
      const start = performance.now();
      const received = await readAll(accepted);
      const milliseconds = Math.round(performance.now() - start);
      expect(digest(received)).toBe(digest(data));
      return { window: accepted.receiveWindow, milliseconds };
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
      // what limits that transfer. Timers never fire early, so this holds on any machine.
      fixedIsWindowBound: fixed.milliseconds >= 15 * roundTrip,
      // Growth takes a few round trips, then the window no longer limits the transfer.
      growingAtLeast2MiB: growing.window >= 2 * 1024 * 1024,
      growingTwiceAsFast: growing.milliseconds < fixed.milliseconds / 2,
    }).toEqual({
      fixed: { window: initialStreamWindow, milliseconds: expect.any(Number) },
      capped: { window: 1024 * 1024, milliseconds: expect.any(Number) },
      growing: expect.any(Object),
      fixedIsWindowBound: true,
      growingAtLeast2MiB: true,
      growingTwiceAsFast: true,
    });
  }, 30_000);

  test("the windows of a session grow within maxWindowGrowth, which a stream gives back when it ends", async () => {
    const peer = new RawPeer(
      "server",
      { maxStreamWindowSize: 1024 * 1024, maxWindowGrowth: initialStreamWindow },
      { latency: 50 },
    );
    peer.answerPings();
    peer.send(frame(FrameType.WindowUpdate, Flag.Syn, 1, 0), frame(FrameType.WindowUpdate, Flag.Syn, 3, 0));
    const first = await peer.session.acceptStream();
    const second = await peer.session.acceptStream();
    const total = 2 * 1024 * 1024;
    const reading = Promise.all([readCount(first), readCount(second)]);
    await sendWithinCredit(peer, [1, 3], total);
    expect(await reading).toEqual([total, total]);
    const growth = first.receiveWindow + second.receiveWindow - 2 * initialStreamWindow;

    // Both streams end (FIN both ways): their growth returns, and a new stream can use all of it.
    await Promise.all([first.end(), second.end()]);
    await Promise.all([first.closed, second.closed]);
    peer.send(frame(FrameType.WindowUpdate, Flag.Syn, 5, 0));
    const third = await peer.session.acceptStream();
    const readingThird = readCount(third);
    await sendWithinCredit(peer, [5], total);
    expect(await readingThird).toBe(total);
    expect({ growth, third: third.receiveWindow }).toEqual({
      growth: initialStreamWindow,
      third: 2 * initialStreamWindow,
    });
  });
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
