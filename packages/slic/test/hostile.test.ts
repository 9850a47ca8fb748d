// A peer that breaks the protocol: the connection ends with a Slic protocol error (IceRpcException(IceRpcError))
// and drops the channel, never crashes, never buffers what the peer claims it will send.
import { afterEach, describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import type { MultiplexedConnectionOptions } from "@icerpc-ts/core/transport";

import {
  encodeInitializeAckBody,
  encodeInitializeBody,
  encodePingBody,
  encodeVarUInt62Body,
  encodeVersionBody,
} from "../src/frame-bodies.js";
import { encodeConnectionFrame, encodeStreamControlFrame, encodeStreamDataHeader } from "../src/frame-encoder.js";
import { FrameType } from "../src/frame-type.js";
import { hex } from "./support/frames.js";
import { goldenEntry } from "./support/golden.js";
import { RawPeer } from "./support/raw-peer.js";

const peers: RawPeer[] = [];

afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.connection.dispose()));
});

const clientParameters = { maxStreamFrameSize: 32_768, initialStreamWindowSize: 65_536, maxUnidirectionalStreams: 1 };

/** This side as a server, connected to a raw client whose Initialize has `parameters`. */
async function connectedServer(options: Partial<MultiplexedConnectionOptions> = {}): Promise<RawPeer> {
  const peer = new RawPeer("server", { options });
  peers.push(peer);
  const connecting = peer.connection.connect();
  peer.send(encodeConnectionFrame(FrameType.Initialize, encodeInitializeBody(1, clientParameters)));
  expect((await peer.nextFrame()).type).toBe(FrameType.InitializeAck);
  await connecting;
  return peer;
}

/** This side as a server whose channel pushes back beyond `highWaterMark` undelivered bytes. */
async function connectedServerOverSmallChannel(highWaterMark: number): Promise<RawPeer> {
  const peer = new RawPeer("server", { connectionChannel: { highWaterMark } });
  peers.push(peer);
  const connecting = peer.connection.connect();
  peer.send(encodeConnectionFrame(FrameType.Initialize, encodeInitializeBody(1, clientParameters)));
  expect((await peer.nextFrame()).type).toBe(FrameType.InitializeAck);
  await connecting;
  return peer;
}

/** The connection failed with a Slic protocol error and dropped its channel. */
async function expectProtocolError(peer: RawPeer, detail?: RegExp): Promise<void> {
  const error = await peer.connection.acceptStream().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(IceRpcException);
  expect((error as IceRpcException).error).toBe(IceRpcError.IceRpcError);
  if (detail !== undefined) {
    expect((error as IceRpcException).message).toMatch(detail);
  }
  await peer.ended();
}

function data(streamId: number, length: number, last = false): Uint8Array[] {
  return [encodeStreamDataHeader(last, streamId, length), new Uint8Array(length)];
}

describe("hostile frames end the connection with a protocol error", () => {
  test("data beyond the stream's window", async () => {
    const peer = await connectedServer();
    peer.send(...data(0, 32_768), ...data(0, 32_768), ...data(0, 1));
    const stream = await peer.connection.acceptStream();
    await expectProtocolError(peer, /beyond its window/);
    // Nothing received is readable any more: the stream's reads fail with the connection's error.
    await expect(stream.input.read()).rejects.toMatchObject({ error: IceRpcError.IceRpcError });
  });

  test("an unknown frame type", async () => {
    const peer = await connectedServer();
    peer.send(hex("0c 05 00 00"));
    await expectProtocolError(peer, /unknown type 12/);
  });

  test("a stream id out of order", async () => {
    const peer = await connectedServer();
    peer.send(...data(4, 1));
    await expectProtocolError(peer, /out of order/);
  });

  test("a frame for a stream this side never opened", async () => {
    const peer = await connectedServer();
    peer.send(encodeStreamControlFrame(FrameType.StreamReadsClosed, 1));
    await expectProtocolError(peer, /did not open/);
  });

  test("data on a unidirectional stream this side writes", async () => {
    const peer = await connectedServer();
    peer.send(...data(3, 1));
    await expectProtocolError(peer, /unidirectional stream this side writes/);
  });

  test("an empty Stream frame", async () => {
    const peer = await connectedServer();
    peer.send(encodeStreamDataHeader(false, 0, 0));
    await expectProtocolError(peer, /empty Stream frame/);
  });

  test("more streams than this side allows", async () => {
    const peer = await connectedServer({ maxBidirectionalStreams: 1 });
    peer.send(...data(0, 1), ...data(4, 1));
    await expect(peer.connection.acceptStream()).resolves.toMatchObject({ id: 0 });
    await expectProtocolError(peer, /beyond the 1 bidirectional streams/);
  });

  test("a window update that grows the window past 2^31 - 1", async () => {
    const peer = await connectedServer();
    peer.send(...data(0, 1));
    const stream = await peer.connection.acceptStream();
    expect(stream.id).toBe(0);
    peer.send(encodeStreamControlFrame(FrameType.StreamWindowUpdate, 0, encodeVarUInt62Body(2 ** 31)));
    await expectProtocolError(peer, /grows its window/);
  });

  test("a Pong without Ping", async () => {
    const peer = await connectedServer();
    peer.send(encodeConnectionFrame(FrameType.Pong, encodePingBody(0n)));
    await expectProtocolError(peer, /without a pending Ping/);
  });

  test("Pings beyond maxOutstandingPongs while the peer reads no Pong", async () => {
    const peer = await connectedServerOverSmallChannel(16);
    peer.channel.pause(); // the peer reads nothing: the Pongs pile up in the channel, then in the connection
    const ping = encodeConnectionFrame(FrameType.Ping, encodePingBody(0n));
    peer.send(ping, ping); // two Pongs (22 bytes) put the channel over its 16 bytes
    while (peer.channel.undeliveredBytes < 22) {
      await new Promise((resolve) => setImmediate(resolve)); // the connection writes them a macrotask later
    }
    peer.send(...Array.from({ length: 101 }, () => ping));
    peer.channel.resume();
    const error = await peer.connection.acceptStream().catch((reason: unknown) => reason);
    expect(error).toMatchObject({ error: IceRpcError.IceRpcError });
    expect((error as Error).message).toMatch(/100 Pongs wait to be written/);
  });

  test("an Initialize once connected", async () => {
    const peer = await connectedServer();
    peer.send(encodeConnectionFrame(FrameType.Initialize, encodeInitializeBody(1, clientParameters)));
    await expectProtocolError(peer, /after the connection was established/);
  });

  test("a frame body of a size above 16,383 bytes, rejected from its header", async () => {
    const peer = await connectedServer();
    peer.send(hex("05 02 00 01 00"));
    await expectProtocolError(peer, /above the maximum of 16383/);
  });

  test("stream data above this side's MaxStreamFrameSize, rejected from its header", async () => {
    const peer = await connectedServer();
    peer.send(encodeStreamDataHeader(false, 0, 32_769));
    await expectProtocolError(peer, /above the MaxStreamFrameSize/);
  });

  test("a StreamReadsClosed with a body", async () => {
    const peer = await connectedServer();
    peer.send(hex("09 09 00 00 00"));
    await expectProtocolError(peer, /it has none/);
  });

  test("a frame after Close: the channel is dropped at once instead of waiting for the peer's end", async () => {
    const peer = await connectedServer();
    peer.send(encodeConnectionFrame(FrameType.Close, encodeVarUInt62Body(0)));
    const error = await peer.connection.acceptStream().catch((reason: unknown) => reason);
    expect((error as IceRpcException).error).toBe(IceRpcError.ConnectionClosedByPeer);
    // It answers with a Close of its own, as IceRPC C# does.
    expect((await peer.nextFrame()).hex).toBe("04050000");
    peer.send(encodeConnectionFrame(FrameType.Ping, encodePingBody(0n)));
    await peer.ended();
  });

  test("an end of the channel in the middle of a frame is ConnectionAborted", async () => {
    const peer = await connectedServer();
    peer.send(encodeStreamDataHeader(false, 0, 100), new Uint8Array(10));
    await expect(peer.connection.acceptStream()).resolves.toMatchObject({ id: 0 });
    peer.channel.end();
    const error = await peer.connection.acceptStream().catch((reason: unknown) => reason);
    expect((error as IceRpcException).error).toBe(IceRpcError.ConnectionAborted);
  });
});

describe("the handshake", () => {
  async function serverConnect(initialize: Uint8Array): Promise<unknown> {
    const peer = new RawPeer("server");
    peers.push(peer);
    const connecting = peer.connection.connect().catch((reason: unknown) => reason);
    peer.send(initialize);
    return connecting;
  }

  test("a peer parameter out of C#'s range is a protocol error", async () => {
    const initialize = encodeConnectionFrame(
      FrameType.Initialize,
      encodeInitializeBody(1, { ...clientParameters, maxStreamFrameSize: 1023 }),
    );
    const error = await serverConnect(initialize);
    expect((error as IceRpcException).error).toBe(IceRpcError.IceRpcError);
    expect((error as IceRpcException).message).toMatch(/MaxStreamFrameSize 1023/);
  });

  test("a missing required parameter is a protocol error", async () => {
    const initialize = encodeConnectionFrame(FrameType.Initialize, encodeInitializeBody(1, { maxStreamFrameSize: 1024 }));
    const error = await serverConnect(initialize);
    expect((error as IceRpcException).message).toMatch(/InitialStreamWindowSize/);
  });

  test("unknown parameters are ignored", async () => {
    const peer = new RawPeer("server");
    peers.push(peer);
    const connecting = peer.connection.connect();
    // Initialize(version 1) with the golden parameters and an extra key 9 = 1.
    const golden = hex(goldenEntry("slic.initialize.client-default").hex!);
    const body = golden.subarray(3);
    const extended = Uint8Array.of(body[0]!, 0x14, ...body.subarray(2), 0x24, 0x04, 0x04);
    peer.send(encodeConnectionFrame(FrameType.Initialize, extended));
    expect((await peer.nextFrame()).type).toBe(FrameType.InitializeAck);
    await expect(connecting).resolves.toMatchObject({ peerStreamLimits: { maxBidirectionalStreams: 0, maxUnidirectionalStreams: 1 } });
  });

  test("a server answers an unsupported version with Version [1], and a client that leaves is ConnectionRefused", async () => {
    const peer = new RawPeer("server");
    peers.push(peer);
    const connecting = peer.connection.connect().catch((reason: unknown) => reason);
    peer.send(encodeConnectionFrame(FrameType.Initialize, encodeVarUInt62Body(2)));
    expect((await peer.nextFrame()).hex).toBe("0309000404");
    peer.channel.end();
    expect(((await connecting) as IceRpcException).error).toBe(IceRpcError.ConnectionRefused);
  });

  test("a client refused by Version without version 1 is ConnectionRefused; Version listing 1 is a protocol error", async () => {
    for (const [versions, expected] of [
      [[2], IceRpcError.ConnectionRefused],
      [[1, 2], IceRpcError.IceRpcError],
    ] as const) {
      const peer = new RawPeer("client");
      peers.push(peer);
      const connecting = peer.connection.connect().catch((reason: unknown) => reason);
      expect((await peer.nextFrame()).type).toBe(FrameType.Initialize);
      peer.send(encodeConnectionFrame(FrameType.Version, encodeVersionBody(versions)));
      expect(((await connecting) as IceRpcException).error).toBe(expected);
      await peer.ended();
    }
  });

  test("a client whose server does not answer fails after the handshake timeout", async () => {
    const peer = new RawPeer("client", { options: { handshakeTimeout: 50 } });
    peers.push(peer);
    const error = await peer.connection.connect().catch((reason: unknown) => reason);
    expect((error as Error).name).toBe("TimeoutError");
    await peer.nextFrame(); // the Initialize
    await peer.ended();
  });

  test("the peer's limits are what it advertised; an absent limit is 0", async () => {
    const peer = new RawPeer("client");
    peers.push(peer);
    const connecting = peer.connection.connect();
    await peer.nextFrame();
    const parameters = { maxStreamFrameSize: 1024, initialStreamWindowSize: 1024, maxBidirectionalStreams: 7 };
    peer.send(encodeConnectionFrame(FrameType.InitializeAck, encodeInitializeAckBody(parameters)));
    expect((await connecting).peerStreamLimits).toEqual({ maxBidirectionalStreams: 7, maxUnidirectionalStreams: 0 });
  });
});
