// Frames a broken or hostile peer might send. Each ends the session with a protocol-error GoAway and a typed
// error (YamuxError(ProtocolError)), never a crash, a hang, or memory that grows with the input.
import { afterEach, describe, expect, test } from "@jest/globals";
import { concatBytes } from "@icerpc-ts/primitives";

import { initialStreamWindow, YamuxError, YamuxErrorCode } from "../src/index.js";
import { Flag, FrameType, GoAwayCode, frame } from "./support/frames.js";
import { RawPeer } from "./support/raw-peer.js";
import { disposeSessions, outcome, pattern, stillPending } from "./support/sessions.js";

afterEach(disposeSessions);

/**
 * Sends the bytes `prepare` returns (after it set the scene) to a fresh session of `role`, and checks that the
 * session fails with a protocol error matching `message`, sends GoAway protocol-error, ends the channel, and fails
 * its pending and later operations with the same error.
 */
async function expectProtocolError(
  role: "client" | "server",
  prepare: (peer: RawPeer) => Promise<Uint8Array> | Uint8Array,
  message: RegExp,
): Promise<void> {
  const peer = new RawPeer(role);
  const bytes = await prepare(peer);
  const pendingPing = outcome(peer.session.ping());
  peer.send(bytes);
  const error = await peer.session.closed;
  expect(error).toBeInstanceOf(YamuxError);
  expect(error.code).toBe(YamuxErrorCode.ProtocolError);
  expect(error.message).toMatch(message);
  const frames = await peer.waitForEnd();
  expect(frames.at(-1)).toEqual({
    type: FrameType.GoAway,
    flags: 0,
    streamId: 0,
    length: GoAwayCode.ProtocolError,
  });
  expect((await pendingPing).error).toBe(error);
  await expect(peer.session.openStream()).rejects.toBe(error);
  await expect(peer.session.acceptStream()).rejects.toBe(error);
}

/** Opens stream 1 on a server session as its peer would, and lets the session accept it. */
async function openStreamOne(peer: RawPeer, withData: Uint8Array = new Uint8Array(0)): Promise<void> {
  peer.send(frame(FrameType.Data, Flag.Syn, 1, withData));
  await peer.session.acceptStream();
}

describe("headers", () => {
  test("a version other than 0", () =>
    expectProtocolError("server", () => frame(FrameType.Ping, Flag.Syn, 0, 1, { version: 1 }), /version 1/));

  test("an unknown frame type", () =>
    expectProtocolError("server", () => frame(FrameType.Ping, 0, 0, 0, { type: 7 }), /unknown type 7/));

  test("a Ping or GoAway on a stream other than 0", async () => {
    await expectProtocolError("server", () => frame(FrameType.Ping, Flag.Syn, 1, 1), /Ping frame for stream 1/);
    await expectProtocolError("client", () => frame(FrameType.GoAway, 0, 2, 0), /GoAway frame for stream 2/);
  });

  test("a Data or WindowUpdate frame for stream 0", () =>
    expectProtocolError("server", () => frame(FrameType.WindowUpdate, Flag.Syn, 0, 0), /stream 0/));
});

describe("stream ids", () => {
  test("a frame for a stream the peer never opened", () =>
    expectProtocolError("server", () => frame(FrameType.Data, 0, 7, pattern(10)), /stream 7, which was never opened/));

  test("a frame for a local stream id this side never used", () =>
    expectProtocolError(
      "client",
      () => frame(FrameType.WindowUpdate, Flag.Ack, 1, 0),
      /stream 1, which was never opened/,
    ));

  test("a SYN with this side's parity", () =>
    expectProtocolError("server", () => frame(FrameType.WindowUpdate, Flag.Syn, 2, 0), /ids of that parity/));

  test("a SYN for a stream that is open", () =>
    expectProtocolError(
      "server",
      async (peer) => {
        await openStreamOne(peer);
        return frame(FrameType.WindowUpdate, Flag.Syn, 1, 0);
      },
      /already open/,
    ));

  test("frames for a closed stream are ignored, within the largest window this side grants", async () => {
    const peer = new RawPeer("server");
    await openStreamOne(peer);
    peer.send(frame(FrameType.Data, Flag.Rst, 1, 0));
    await peer.sync();
    expect(peer.session.streamCount).toBe(0);
    peer.send(
      frame(FrameType.Data, 0, 1, pattern(1000)),
      frame(FrameType.WindowUpdate, Flag.Fin, 1, 5),
      frame(FrameType.Ping, Flag.Syn, 0, 42),
    );
    await peer.waitForFrame((f) => f.type === FrameType.Ping && f.length === 42);
    expect(peer.session.streamCount).toBe(0);
    peer.send(frame(FrameType.Data, 0, 1, 16 * 1024 * 1024 + 1));
    const error = await peer.session.closed;
    expect(error.message).toMatch(/closed stream 1, more than this side ever grants/);
  });
});

describe("flow control", () => {
  test("data beyond the stream's window", () =>
    expectProtocolError(
      "server",
      async (peer) => {
        await openStreamOne(peer, pattern(initialStreamWindow - 10));
        return frame(FrameType.Data, 0, 1, pattern(11));
      },
      /beyond its receive window \(10 bytes of credit left\)/,
    ));

  test("a Data header announcing more than the window, before any payload arrives", () =>
    expectProtocolError("server", () => frame(FrameType.Data, Flag.Syn, 1, 0xffffffff), /beyond its receive window/));

  test("a WindowUpdate that overflows the send window past 2^32 - 1", () =>
    expectProtocolError(
      "server",
      async (peer) => {
        await openStreamOne(peer);
        return frame(FrameType.WindowUpdate, 0, 1, 0xffffffff - initialStreamWindow + 1);
      },
      /overflows its window/,
    ));

  test("WindowUpdates up to exactly 2^32 - 1 are fine", async () => {
    const peer = new RawPeer("server");
    await openStreamOne(peer);
    peer.send(frame(FrameType.WindowUpdate, 0, 1, 0xffffffff - initialStreamWindow));
    peer.send(frame(FrameType.Ping, Flag.Syn, 0, 1));
    await peer.waitForFrame((f) => f.type === FrameType.Ping);
    expect(peer.session.streamCount).toBe(1);
  });
});

describe("flags", () => {
  test("data after the stream's FIN", () =>
    expectProtocolError(
      "server",
      async (peer) => {
        await openStreamOne(peer);
        return concatBytes([frame(FrameType.WindowUpdate, Flag.Fin, 1, 0), frame(FrameType.Data, 0, 1, pattern(1))]);
      },
      /after its FIN/,
    ));

  test("a second FIN", () =>
    expectProtocolError(
      "server",
      async (peer) => {
        await openStreamOne(peer);
        return concatBytes([frame(FrameType.Data, Flag.Fin, 1, 0), frame(FrameType.WindowUpdate, Flag.Fin, 1, 0)]);
      },
      /second FIN/,
    ));

  test("every combination of the four flags on Data and WindowUpdate frames opening a stream", async () => {
    for (const type of [FrameType.Data, FrameType.WindowUpdate]) {
      for (let flags = Flag.Syn; flags < 16; flags += 2) {
        const peer = new RawPeer("server");
        const payload = type === FrameType.Data ? pattern(5, flags) : 0;
        peer.send(frame(type, flags, 1, payload));
        const stream = await peer.session.acceptStream();
        // FIN is applied before RST: the peer's data is complete, and the RST only stops this side's writes.
        const expectedClose = flags & Flag.Fin ? "fin" : flags & Flag.Rst ? "reset" : undefined;
        if (expectedClose !== undefined) {
          expect(await stream.remoteClosed).toBe(expectedClose);
        }
        if (type === FrameType.WindowUpdate && expectedClose === undefined) {
          expect(await stillPending(stream.read())).toBe("pending"); // an open stream without data yet
          expect(peer.session.streamCount).toBe(1);
          peer.session.dispose();
          continue;
        }
        const read = await outcome(stream.read());
        if (flags & Flag.Rst && !(flags & Flag.Fin)) {
          expect(read.error).toMatchObject({ code: YamuxErrorCode.RemoteReset });
        } else if (type === FrameType.Data) {
          expect(read.value).toEqual(pattern(5, flags));
        } else {
          expect(read.value).toBeNull();
        }
        expect(peer.session.streamCount).toBe(flags & Flag.Rst ? 0 : 1);
        peer.session.dispose();
      }
    }
  });
});

describe("resources", () => {
  test("a peer that floods pings without reading the answers pauses the session's input", async () => {
    const peer = new RawPeer("server", {}, { highWaterMark: 1024 });
    peer.channel.pause(); // the peer reads nothing
    // 20 bursts of 1,000 pings, one per event-loop turn: the answers (12 bytes each) pile up behind the
    // backpressure, and past 64 KiB of them the session stops reading.
    for (let burst = 0; burst < 20; burst++) {
      const pings = [];
      for (let i = 0; i < 1000; i++) {
        pings.push(frame(FrameType.Ping, Flag.Syn, 0, burst * 1000 + i));
      }
      peer.send(concatBytes(pings));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(peer.sessionChannel.pauseCount).toBeGreaterThan(0);
    expect(peer.sessionChannel.undeliveredBytes).toBeGreaterThan(0); // pings the session has not read yet
    peer.channel.resume();
    const frames = await peer.waitFor((all) => all.length === 20_000);
    expect(frames.every((f, i) => f.type === FrameType.Ping && f.flags === Flag.Ack && f.length === i)).toBe(true);
  });

  test("with a channel that cannot pause, a peer that keeps flooding without reading ends the session", async () => {
    const peer = new RawPeer("server", {}, { highWaterMark: 1024, pausable: false });
    peer.channel.pause(); // the peer reads nothing
    const pings = concatBytes(Array.from({ length: 10_000 }, (_, i) => frame(FrameType.Ping, Flag.Syn, 0, i)));
    for (let burst = 0; burst < 20 && peer.sessionChannel.closed === false; burst++) {
      peer.send(pings);
      await new Promise((resolve) => setImmediate(resolve)); // one burst per event-loop turn, as from a socket
    }
    const error = await peer.session.closed;
    expect(error.code).toBe(YamuxErrorCode.ProtocolError);
    expect(error.message).toMatch(/does not read the answers/);
    expect(peer.sessionChannel.closed).toBe(true);
  });

  test("SYNs beyond the limits are refused with RST and leave nothing behind", async () => {
    const peer = new RawPeer("server", { maxInboundStreams: 4, acceptBacklog: 4 });
    const syns = [];
    for (let id = 1; id < 2000; id += 2) {
      syns.push(frame(FrameType.Data, Flag.Syn, id, pattern(100)));
    }
    peer.send(concatBytes(syns));
    const frames = await peer.waitFor((all) => all.length === 996);
    expect(frames.every((f) => f.type === FrameType.WindowUpdate && f.flags === Flag.Rst)).toBe(true);
    expect(frames.map((f) => f.streamId)).toEqual(Array.from({ length: 996 }, (_, i) => 9 + 2 * i));
    expect(peer.session.streamCount).toBe(4);
  });
});
