// Session lifecycle: accept order and limits, ping, keep-alive, GoAway, close, dispose, the end of the channel with
// and without GoAway, channel failures, and how every pending operation learns the session's error.
import { afterEach, describe, expect, test } from "@jest/globals";

import { memoryChannelPair } from "@icerpc-ts/net-test-support";

import { GoAwayCode, YamuxError, YamuxErrorCode, YamuxSession, defaultYamuxSessionOptions } from "../src/index.js";
import { Flag, FrameType, decodeFrames, frame } from "./support/frames.js";
import { RawPeer } from "./support/raw-peer.js";
import {
  decode,
  disposeSessions,
  memorySessionPair,
  noKeepAlive,
  outcome,
  readAll,
  recordingPair,
  stillPending,
  tcpSessionPair,
  text,
} from "./support/sessions.js";

afterEach(disposeSessions);

describe("options", () => {
  test("defaults", () => {
    expect(defaultYamuxSessionOptions).toEqual({
      maxStreamWindowSize: 16 * 1024 * 1024,
      maxWindowGrowth: 64 * 1024 * 1024,
      maxFrameSize: 64 * 1024,
      acceptBacklog: 256,
      maxInboundStreams: 1024,
      maxUnacknowledgedStreams: 256,
      keepAliveInterval: 30_000,
      keepAliveTimeout: 10_000,
    });
  });

  test.each([
    ["maxStreamWindowSize", 256 * 1024 - 1],
    ["maxStreamWindowSize", 2 ** 31],
    ["maxWindowGrowth", -1],
    ["maxWindowGrowth", 2 ** 53],
    ["maxFrameSize", 0],
    ["acceptBacklog", 0],
    ["maxInboundStreams", 1.5],
    ["maxUnacknowledgedStreams", -1],
    ["keepAliveInterval", -1],
    ["keepAliveTimeout", 0],
  ])("%s = %d is a RangeError", (name, value) => {
    const [channel] = memoryChannelPair();
    expect(() => new YamuxSession(channel, "client", { [name]: value })).toThrow(RangeError);
    expect(() => new YamuxSession(channel, "client", { [name]: value })).toThrow(name);
  });

  test("a GoAway code outside 32 bits is a RangeError", () => {
    const { client } = recordingPair();
    expect(() => client.goAway(2 ** 32)).toThrow(RangeError);
    expect(() => client.goAway(-1)).toThrow(RangeError);
  });
});

describe("accepting", () => {
  test("streams beyond the accept backlog are refused with RST; the others are accepted later", async () => {
    const { client, server } = recordingPair({ server: { acceptBacklog: 2 } });
    const streams = [];
    for (let i = 0; i < 3; i++) {
      const stream = await client.openStream();
      void stream.write(text(`stream ${i}`));
      void stream.end();
      streams.push(stream);
    }
    expect(await streams[2]!.remoteClosed).toBe("reset");
    await expect(streams[2]!.read()).rejects.toMatchObject({ code: YamuxErrorCode.RemoteReset });
    for (let i = 0; i < 2; i++) {
      const accepted = await server.acceptStream();
      expect(decode(await readAll(accepted))).toBe(`stream ${i}`);
    }
    expect(client.streamCount).toBe(2); // waiting for the server's FIN
  });

  test("streams beyond maxInboundStreams are refused with RST until one closes", async () => {
    const { client, server } = recordingPair({ server: { maxInboundStreams: 2 } });
    const first = await client.openStream();
    const second = await client.openStream();
    const third = await client.openStream();
    await third.write(text("x"));
    const [a] = [await server.acceptStream(), await server.acceptStream()];
    expect(await third.remoteClosed).toBe("reset");
    // Closing the first stream both ways frees a slot.
    await first.end();
    expect(await a!.read()).toBeNull();
    await a!.end();
    await a!.closed;
    const fourth = await client.openStream();
    await fourth.write(text("y"));
    expect((await server.acceptStream()).id).toBe(fourth.id);
    expect(second.id).toBe(3);
  });

  test("openStream waits while maxUnacknowledgedStreams streams await their ACK", async () => {
    const { client, server } = recordingPair({ client: { maxUnacknowledgedStreams: 2 } });
    await client.openStream();
    await client.openStream();
    const third = client.openStream();
    expect(await stillPending(third)).toBe("pending"); // the server has not accepted (acknowledged) any
    await server.acceptStream();
    expect((await third).id).toBe(5);
  });

  test("tryOpenStream opens at once, in id order with openStream, returns undefined where openStream would wait and throws what it would reject with", async () => {
    const { client, server } = recordingPair({ client: { maxUnacknowledgedStreams: 2 } });
    const first = client.tryOpenStream();
    expect(first?.id).toBe(1);
    expect((await client.openStream()).id).toBe(3);
    expect(client.tryOpenStream()).toBeUndefined(); // two streams await their ACK
    await first!.write(text("x"));
    expect((await server.acceptStream()).id).toBe(1);
    await client.ping(); // the ACK has arrived
    expect(client.tryOpenStream()?.id).toBe(5);
    server.goAway();
    await client.ping();
    expect(() => client.tryOpenStream()).toThrow(expect.objectContaining({ code: YamuxErrorCode.RemoteGoAway }));
    await expect(client.openStream()).rejects.toMatchObject({ code: YamuxErrorCode.RemoteGoAway });
  });

  test("aborting a pending openStream or acceptStream rejects with the signal's reason", async () => {
    const { client, server } = recordingPair({ client: { maxUnacknowledgedStreams: 1 } });
    await client.openStream();
    const controller = new AbortController();
    const open = client.openStream(controller.signal);
    const accept = client.acceptStream(controller.signal);
    controller.abort(new Error("stop"));
    await expect(open).rejects.toThrow("stop");
    await expect(accept).rejects.toThrow("stop");
    await server.acceptStream();
    expect((await client.openStream()).id).toBe(3);
  });
});

describe("ping", () => {
  test("resolves with the round-trip time, over TCP too", async () => {
    const { client, server } = recordingPair();
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
    expect(await server.ping()).toBeGreaterThanOrEqual(0);
    const tcp = await tcpSessionPair({ client: noKeepAlive, server: noKeepAlive });
    const rtts = await Promise.all([tcp.client.ping(), tcp.client.ping(), tcp.server.ping()]);
    expect(rtts.every((rtt) => rtt > 0)).toBe(true);
  });

  test("a Ping SYN is answered with a Ping ACK echoing its opaque value", async () => {
    const peer = new RawPeer("server");
    peer.send(frame(FrameType.Ping, Flag.Syn, 0, 0xcafe_babe));
    expect(await peer.waitForFrame((f) => f.type === FrameType.Ping)).toEqual({
      type: FrameType.Ping,
      flags: Flag.Ack,
      streamId: 0,
      length: 0xcafe_babe,
    });
  });

  test("an aborted ping rejects with the signal's reason and ignores a late answer", async () => {
    const peer = new RawPeer("client");
    const controller = new AbortController();
    const ping = peer.session.ping(controller.signal);
    const sent = await peer.waitForFrame((f) => f.type === FrameType.Ping);
    controller.abort(new Error("enough"));
    await expect(ping).rejects.toThrow("enough");
    peer.send(frame(FrameType.Ping, Flag.Ack, 0, sent.length));
    const next = peer.session.ping();
    const frames = await peer.waitFor((all) => all.filter((f) => f.type === FrameType.Ping).length === 2);
    expect(frames.at(-1)!.length).toBe(sent.length + 1);
    peer.send(frame(FrameType.Ping, Flag.Ack, 0, sent.length + 1));
    expect(await next).toBeGreaterThanOrEqual(0);
  });
});

describe("keep-alive", () => {
  test("pings every interval and keeps a live session", async () => {
    const { client, clientChannel } = memorySessionPair({
      client: { keepAliveInterval: 5, keepAliveTimeout: 10_000 },
      server: noKeepAlive,
      clientChannel: { record: true },
    });
    // Wait for three keep-alive pings to have been answered: each one is sent after the previous answer.
    while (decodeFrames(clientChannel.recorded).filter((f) => f.type === FrameType.Ping).length < 4) {
      await client.ping(); // waits for an event (the answer), and lets the keep-alive timers run meanwhile
    }
    expect(await stillPending(client.closed, 20)).toBe("pending");
  });

  test("fails the session with KeepAliveTimeout when the peer stops answering", async () => {
    const { client, server, serverChannel } = memorySessionPair({
      client: { keepAliveInterval: 10, keepAliveTimeout: 50 },
      server: noKeepAlive,
    });
    const stream = await client.openStream();
    const read = outcome(stream.read());
    serverChannel.dropWrites(); // the server's bytes never reach the client any more
    const error = await client.closed;
    expect(error).toBeInstanceOf(YamuxError);
    expect(error.code).toBe(YamuxErrorCode.KeepAliveTimeout);
    expect((await read).error).toBe(error);
    await expect(client.openStream()).rejects.toBe(error);
    expect((await server.closed).code).toBe(YamuxErrorCode.ChannelEnded); // the client closed the channel
  });
});

describe("GoAway", () => {
  test("the peer opens no more streams; open streams go on; streams it opened meanwhile are refused", async () => {
    const { client, server } = recordingPair();
    const open = await client.openStream();
    await open.write(text("before"));
    const accepted = await server.acceptStream();
    const racing = await client.openStream(); // opened before the client learns of the GoAway
    server.goAway();
    await racing.write(text("racing"));
    expect(await racing.remoteClosed).toBe("reset");
    expect(client.remoteGoAwayCode).toBe(GoAwayCode.Normal);
    await expect(client.openStream()).rejects.toMatchObject({ code: YamuxErrorCode.RemoteGoAway });
    // The stream opened before goes on, both ways.
    await open.write(text(" and after"));
    await open.end();
    expect(decode(await readAll(accepted))).toBe("before and after");
    await accepted.write(text("reply"));
    await accepted.end();
    expect(decode(await readAll(open))).toBe("reply");
    // The side that sent GoAway may still open streams.
    const fromServer = await server.openStream();
    await fromServer.write(text("server"));
    expect(decode((await (await client.acceptStream()).read())!)).toBe("server");
  });

  test("openStream calls waiting for an ACK fail when GoAway arrives", async () => {
    const { client, server } = recordingPair({ client: { maxUnacknowledgedStreams: 1 } });
    await client.openStream();
    const waiting = client.openStream();
    server.goAway();
    await expect(waiting).rejects.toMatchObject({ code: YamuxErrorCode.RemoteGoAway });
  });

  test("a GoAway with an error code ends the session at once with RemoteGoAwayError", async () => {
    const peer = new RawPeer("client");
    const stream = await peer.session.openStream();
    const read = outcome(stream.read());
    peer.send(frame(FrameType.GoAway, 0, 0, GoAwayCode.InternalError));
    const error = await peer.session.closed;
    expect(error.code).toBe(YamuxErrorCode.RemoteGoAwayError);
    expect(error.message).toMatch(/GoAway code 2/);
    expect((await read).error).toBe(error);
    expect(peer.session.remoteGoAwayCode).toBe(GoAwayCode.InternalError);
  });
});

describe("ending", () => {
  test("close sends GoAway normal and ends the channel: the peer sees RemoteGoAway", async () => {
    const { client, server, clientChannel } = recordingPair();
    const stream = await client.openStream();
    const read = outcome(stream.read());
    await stream.write(text("x"));
    const accepted = await server.acceptStream();
    expect(decode((await accepted.read())!)).toBe("x");
    const serverRead = outcome(accepted.read());
    const accept = outcome(server.acceptStream());
    await client.close();
    const local = await client.closed;
    expect(local.code).toBe(YamuxErrorCode.LocalShutdown);
    expect((await read).error).toBe(local);
    await expect(client.openStream()).rejects.toBe(local);
    await expect(client.ping()).rejects.toBe(local);
    const remote = await server.closed;
    expect(remote.code).toBe(YamuxErrorCode.RemoteGoAway);
    expect((await serverRead).error).toBe(remote);
    expect((await accept).error).toBe(remote);
    expect(decodeFrames(clientChannel.recorded).at(-1)).toEqual({
      type: FrameType.GoAway,
      flags: 0,
      streamId: 0,
      length: GoAwayCode.Normal,
    });
    expect(clientChannel.ended).toBe(true);
    expect(server.streamCount).toBe(0);
  });

  test("close over TCP resolves once the peer ended too; both sides see the right error", async () => {
    const { client, server, serverSocket } = await tcpSessionPair({ client: noKeepAlive, server: noKeepAlive });
    await client.ping();
    await client.close();
    expect((await server.closed).code).toBe(YamuxErrorCode.RemoteGoAway);
    expect((await client.closed).code).toBe(YamuxErrorCode.LocalShutdown);
    expect(serverSocket.writableEnded).toBe(true);
  });

  test("the channel's end without GoAway is ChannelEnded", async () => {
    const peer = new RawPeer("server");
    peer.send(frame(FrameType.WindowUpdate, Flag.Syn, 1, 0));
    const stream = await peer.session.acceptStream();
    const read = outcome(stream.read());
    peer.channel.end();
    const error = await peer.session.closed;
    expect(error.code).toBe(YamuxErrorCode.ChannelEnded);
    expect(error.message).toMatch(/without a GoAway/);
    expect((await read).error).toBe(error);
    await peer.waitForEnd(); // the session ends its side too
  });

  test("the channel's end in the middle of a frame is ChannelEnded, even after GoAway", async () => {
    const peer = new RawPeer("server");
    peer.send(frame(FrameType.GoAway, 0, 0, GoAwayCode.Normal), frame(FrameType.Ping, Flag.Syn, 0, 1).subarray(0, 5));
    peer.channel.end();
    const error = await peer.session.closed;
    expect(error.code).toBe(YamuxErrorCode.ChannelEnded);
    expect(error.message).toMatch(/middle of a frame/);
  });

  test("data completed by a FIN stays readable after the session ended", async () => {
    const { client, server } = recordingPair();
    const stream = await client.openStream();
    await stream.write(text("all of it"));
    await stream.end();
    const accepted = await server.acceptStream();
    await accepted.remoteClosed;
    client.dispose();
    expect((await server.closed).code).toBe(YamuxErrorCode.ChannelEnded);
    expect(decode(await readAll(accepted))).toBe("all of it");
    await expect(accepted.write(text("reply"))).rejects.toMatchObject({ code: YamuxErrorCode.ChannelEnded });
  });

  test("dispose fails everything pending with LocalShutdown; the peer sees ChannelEnded", async () => {
    const { client, server } = recordingPair({ client: { maxUnacknowledgedStreams: 1 } });
    const stream = await client.openStream();
    const pending = {
      read: outcome(stream.read()),
      open: outcome(client.openStream()),
      accept: outcome(client.acceptStream()),
      ping: outcome(client.ping()),
    };
    client.dispose();
    client.dispose(); // idempotent
    const error = await client.closed;
    expect(error.code).toBe(YamuxErrorCode.LocalShutdown);
    for (const promise of Object.values(pending)) {
      expect((await promise).error).toBe(error);
    }
    expect((await server.closed).code).toBe(YamuxErrorCode.ChannelEnded);
    await client.close(); // resolves at once once disposed
  });

  test("a channel failure fails the session with ChannelFailed and the cause", async () => {
    const { client, clientChannel } = recordingPair();
    const stream = await client.openStream();
    const read = outcome(stream.read());
    const cause = new Error("connection reset");
    clientChannel.peer.failPeer(cause);
    const error = await client.closed;
    expect(error.code).toBe(YamuxErrorCode.ChannelFailed);
    expect(error.cause).toBe(cause);
    expect((await read).error).toBe(error);
    expect(clientChannel.closed).toBe(true);
  });

  test("close with an aborted signal disposes the session and rejects with the reason", async () => {
    const peer = new RawPeer("client");
    const controller = new AbortController();
    const closing = peer.session.close(controller.signal); // the raw peer never ends its side
    expect(await stillPending(closing)).toBe("pending");
    controller.abort(new Error("too slow"));
    await expect(closing).rejects.toThrow("too slow");
    expect(peer.sessionChannel.closed).toBe(true);
  });
});
