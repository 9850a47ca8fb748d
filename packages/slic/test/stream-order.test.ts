// Stream ids are given at creation (the contract) but reach the peer in order (Slic): what a later stream sends
// waits for the earlier ones; an abandoned last stream gives its id back, as IceRPC C# (which numbers streams at
// their first write) would never have used it.
import { afterEach, expect, test } from "@jest/globals";

import { encodeInitializeAckBody } from "../src/frame-bodies.js";
import { encodeConnectionFrame } from "../src/frame-encoder.js";
import { FrameType } from "../src/frame-type.js";
import { RawPeer } from "./support/raw-peer.js";

const peers: RawPeer[] = [];

afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.connection.dispose()));
});

async function connectedClient(
  channel: { highWaterMark?: number } = {},
): Promise<RawPeer> {
  const peer = new RawPeer("client", { connectionChannel: channel });
  peers.push(peer);
  const connecting = peer.connection.connect();
  await peer.nextFrame();
  const parameters = {
    maxStreamFrameSize: 32_768,
    initialStreamWindowSize: 65_536,
    maxBidirectionalStreams: 100,
    maxUnidirectionalStreams: 100,
  };
  peer.send(encodeConnectionFrame(FrameType.InitializeAck, encodeInitializeAckBody(parameters)));
  await connecting;
  return peer;
}

test("a later stream's frames wait until the earlier streams of its type went out", async () => {
  const peer = await connectedClient();
  const first = await peer.connection.createStream(true);
  const second = await peer.connection.createStream(true);
  const uni = await peer.connection.createStream(false);
  second.output.write(Uint8Array.of(2));
  expect(await second.output.flush()).toBe("flushed");
  uni.output.write(Uint8Array.of(3));
  expect(await uni.output.end()).toBe("flushed"); // another type: not held
  expect((await peer.nextFrame()).streamId).toBe(2);
  first.output.write(Uint8Array.of(1));
  await first.output.flush();
  const [a, b] = await peer.nextFrames(2);
  expect([a!.streamId, a!.body[0]]).toEqual([0, 1]);
  expect([b!.streamId, b!.body[0]]).toEqual([4, 2]);
});

test("a stream abandoned before sending anything sends nothing, and the next stream takes its id", async () => {
  const peer = await connectedClient();
  const abandoned = await peer.connection.createStream(true);
  abandoned.input.abort();
  abandoned.output.abort();
  const next = await peer.connection.createStream(true);
  expect(next.id).toBe(0);
  next.output.write(Uint8Array.of(7));
  await next.output.end();
  const frame = await peer.nextFrame();
  expect([frame.type, frame.streamId, frame.body[0]]).toEqual([FrameType.StreamLast, 0, 7]);
});

test("an abandoned stream with later streams reaches the peer with its closures, then the later ones", async () => {
  const peer = await connectedClient();
  const abandoned = await peer.connection.createStream(true);
  const later = await peer.connection.createStream(true);
  abandoned.input.abort();
  abandoned.output.abort();
  later.output.write(Uint8Array.of(9));
  await later.output.end();
  const frames = await peer.nextFrames(3);
  expect(frames.map((frame) => [frame.type, frame.streamId])).toEqual([
    [FrameType.StreamReadsClosed, 0],
    [FrameType.StreamWritesClosed, 0],
    [FrameType.StreamLast, 4],
  ]);
});

test("a flush waits while the byte channel pushes back, though the window has credit", async () => {
  const peer = await connectedClient({ highWaterMark: 8 * 1024 });
  peer.channel.pause(); // the peer reads nothing: what this side writes piles up in the channel
  const stream = await peer.connection.createStream(true);
  stream.output.write(new Uint8Array(16 * 1024));
  expect(await stream.output.flush()).toBe("flushed"); // taken: the channel pushes back only after this write
  await new Promise((resolve) => setImmediate(resolve)); // the connection writes (one macrotask later)
  stream.output.write(new Uint8Array(16 * 1024));
  const blocked = stream.output.flush();
  const outcome = await Promise.race([blocked, new Promise((resolve) => setTimeout(resolve, 50, "pending"))]);
  expect(outcome).toBe("pending");
  peer.channel.resume();
  expect(await blocked).toBe("flushed");
  const frames = await peer.nextFrames(2);
  expect(frames.map((frame) => frame.body.length)).toEqual([16 * 1024, 16 * 1024]);
});
