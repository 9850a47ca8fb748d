// The idle timeout and its keep-alive pings, timed as IceRPC C# times them. The tests wait for the frames, not for
// time to pass.
import { afterEach, expect, test } from "@jest/globals";
import { IceRpcError } from "@icerpc-ts/core";

import { encodeInitializeAckBody, encodeInitializeBody, encodePingBody } from "../src/frame-bodies.js";
import { encodeConnectionFrame } from "../src/frame-encoder.js";
import { FrameType } from "../src/frame-type.js";
import { hex } from "./support/frames.js";
import { goldenEntry } from "./support/golden.js";
import { RawPeer } from "./support/raw-peer.js";

const peers: RawPeer[] = [];

afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.connection.dispose()));
});

/** This side as a client with `idleTimeout`, connected to a raw C# server (default InitializeAck, 30 s). */
async function connectedClient(idleTimeout: number): Promise<RawPeer> {
  const peer = new RawPeer("client", {
    options: { maxBidirectionalStreams: 0, maxUnidirectionalStreams: 1 },
    slicOptions: { idleTimeout },
  });
  peers.push(peer);
  const connecting = peer.connection.connect();
  const initialize = await peer.nextFrame();
  if (idleTimeout === 1000) {
    expect(initialize.hex).toBe(goldenEntry("slic.initialize.client-idle-timeout-1000ms").hex);
  }
  peer.send(hex(goldenEntry("slic.initializeAck.server-default").hex!));
  await connecting;
  return peer;
}

test("an idle client sends C#'s read ping (payload 1) at half the smaller idle timeout, again after each answer", async () => {
  const peer = await connectedClient(1000);
  const start = performance.now();
  const ping = await peer.nextFrame();
  const elapsed = performance.now() - start;
  expect(ping.hex).toBe(goldenEntry("slic.ping.read-ping").hex);
  // 500 ms after the last byte received; the write ping (0.6 of it) is not needed then.
  expect(elapsed).toBeGreaterThanOrEqual(450);
  peer.send(hex(goldenEntry("slic.pong").hex!));
  expect((await peer.nextFrame()).hex).toBe(goldenEntry("slic.ping.read-ping").hex);
});

test("a client whose pings go unanswered fails with ConnectionIdle after the idle timeout", async () => {
  const peer = await connectedClient(200);
  const accepting = peer.connection.acceptStream().catch((reason: unknown) => reason);
  await peer.nextFrame(); // the read ping, unanswered; then a write ping (0.6) since the read ping was a write
  expect(await accepting).toMatchObject({ error: IceRpcError.ConnectionIdle });
});

test("both sides answer a Ping with a Pong echoing its payload", async () => {
  for (const role of ["client", "server"] as const) {
    const peer = new RawPeer(role, { slicOptions: { idleTimeout: Infinity } });
    peers.push(peer);
    const connecting = peer.connection.connect();
    if (role === "server") {
      peer.send(
        encodeConnectionFrame(
          FrameType.Initialize,
          encodeInitializeBody(1, { maxStreamFrameSize: 32_768, initialStreamWindowSize: 65_536 }),
        ),
      );
    }
    expect((await peer.nextFrame()).type).toBe(role === "server" ? FrameType.InitializeAck : FrameType.Initialize);
    if (role === "client") {
      peer.send(hex(goldenEntry("slic.initializeAck.server-default").hex!));
    }
    await connecting;
    peer.send(encodeConnectionFrame(FrameType.Ping, encodePingBody(-42n)));
    expect((await peer.nextFrame()).hex).toBe("062100d6ffffffffffffff");
  }
});


test("with an infinite idle timeout this side sends no IdleTimeout parameter, and the peer's applies", async () => {
  const peer = new RawPeer("client", {
    options: { maxBidirectionalStreams: 0, maxUnidirectionalStreams: 1 },
    slicOptions: { idleTimeout: Infinity },
  });
  peers.push(peer);
  const connecting = peer.connection.connect();
  const parameters = { maxStreamFrameSize: 32_768, initialStreamWindowSize: 65_536, maxUnidirectionalStreams: 1 };
  expect((await peer.nextFrame()).body).toEqual(encodeInitializeBody(1, parameters));
  // A server with a 200 ms idle timeout: the client pings within 100 ms.
  peer.send(encodeConnectionFrame(FrameType.InitializeAck, encodeInitializeAckBody({ ...parameters, idleTimeout: 200 })));
  await connecting;
  expect((await peer.nextFrame()).type).toBe(FrameType.Ping);
});
