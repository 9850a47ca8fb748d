// The golden Slic sequences replayed by a raw peer that sends what IceRPC C# sent: this package answers with the
// frames C# sent in its place, byte for byte, except where noted (window update increments depend on how the
// application reads; this side sends one StreamReadsClosed where C# repeats it after every frame of a last write).
import { afterEach, describe, expect, test } from "@jest/globals";
import type { MultiplexedStream } from "@icerpc-ts/core/transport";
import { concatBytes } from "@icerpc-ts/primitives";

import { decodeVarUInt62Body, encodeVarUInt62Body } from "../src/frame-bodies.js";
import { encodeStreamControlFrame, encodeStreamDataHeader } from "../src/frame-encoder.js";
import { FrameType } from "../src/frame-type.js";
import { hex, toHex } from "./support/frames.js";
import { type GoldenFrame, goldenEntry } from "./support/golden.js";
import { RawPeer, type RawFrame } from "./support/raw-peer.js";

const peers: RawPeer[] = [];

afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.connection.dispose()));
});

function golden(id: string): Uint8Array {
  return hex(goldenEntry(id).hex!);
}

function goldenSequence(id: string): readonly GoldenFrame[] {
  return goldenEntry(id).frames!;
}

/** The stream limits of a C# server (100, and 100 plus the control stream) and of a C# client without dispatcher. */
const serverLimits = { maxBidirectionalStreams: 100, maxUnidirectionalStreams: 101 };
const clientLimits = { maxBidirectionalStreams: 0, maxUnidirectionalStreams: 1 };

async function readAll(stream: MultiplexedStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let chunk = await stream.input.read(); chunk !== null; chunk = await stream.input.read()) {
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}

/** Connects this side as `role` to a raw peer replaying `sequence.connection-establishment`. */
async function establish(role: "client" | "server"): Promise<{
  peer: RawPeer;
  control: MultiplexedStream;
  peerControl: MultiplexedStream;
}> {
  const [initialize, initializeAck, serverSettings, clientSettings] = goldenSequence("sequence.connection-establishment");
  const peer = new RawPeer(role, { options: role === "server" ? serverLimits : clientLimits });
  peers.push(peer);
  const connecting = peer.connection.connect();
  let peerControl: MultiplexedStream;
  if (role === "server") {
    peer.send(hex(initialize!.hex!));
    expect((await peer.nextFrame()).hex).toBe(initializeAck!.hex);
    expect((await connecting).peerStreamLimits).toEqual(clientLimits);
    peer.send(hex(clientSettings!.hex!));
    peerControl = await peer.connection.acceptStream();
  } else {
    expect((await peer.nextFrame()).hex).toBe(initialize!.hex);
    // The server's Settings arrive right behind its InitializeAck, before the client sent its own.
    peer.send(hex(initializeAck!.hex!), hex(serverSettings!.hex!));
    expect((await connecting).peerStreamLimits).toEqual(serverLimits);
    peerControl = await peer.connection.acceptStream();
  }
  expect(peerControl.id).toBe(role === "server" ? 2 : 3);
  expect(toHex((await peerControl.input.read())!)).toBe("00050000");
  const control = await peer.connection.createStream(false);
  control.output.write(hex("00050000"));
  await control.output.flush();
  expect((await peer.nextFrame()).hex).toBe(role === "server" ? serverSettings!.hex : clientSettings!.hex);
  return { peer, control, peerControl };
}

/** A request whose header is the golden echo request's, with `payload`. */
function echoRequest(payload: Uint8Array): Uint8Array {
  const header = goldenEntry("icerpc.request.twoway.big-echo-header") as unknown as { headerSizeHex: string; headerHex: string };
  return concatBytes([hex(header.headerSizeHex + header.headerHex), payload]);
}

const okResponseHeader = hex("0900 0000");
const requestHeaderLength = 14;

/** The 100,000-byte payload of the golden echo: byte i is i % 251. */
const bigPayload = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);

/** Serves one echo request on the next accepted stream, as the golden C# dispatcher did. */
async function serveEcho(peer: RawPeer): Promise<MultiplexedStream> {
  const stream = await peer.connection.acceptStream();
  const request = await readAll(stream);
  stream.output.write(concatBytes([okResponseHeader, request.subarray(requestHeaderLength)]));
  await stream.output.end();
  return stream;
}

describe("connection establishment", () => {
  test("as the server: the answer to a C# client's Initialize is the C# server's InitializeAck", async () => {
    await establish("server");
  });

  test("as a client without dispatcher: the C# client's Initialize, and the server's Settings may come first", async () => {
    await establish("client");
  });
});

describe("requests and responses", () => {
  test("as the server: a two-way request in one StreamLast, answered by StreamLast then StreamReadsClosed", async () => {
    const { peer } = await establish("server");
    peer.send(golden("slic.streamLast.request-echo-with-context"));
    const stream = await peer.connection.acceptStream();
    expect(toHex(await readAll(stream))).toBe(goldenEntry("icerpc.request.twoway.echo-with-context").hex);
    stream.output.write(golden("icerpc.response.ok.echo"));
    await stream.output.end();
    const [response, readsClosed] = await peer.nextFrames(2);
    expect(response!.hex).toBe(goldenEntry("slic.streamLast.response-ok").hex);
    expect(readsClosed!.hex).toBe(goldenEntry("slic.streamReadsClosed.after-response").hex);
  });

  test("as the server: a one-way request on uni stream 6, acknowledged by StreamReadsClosed(6)", async () => {
    const { peer } = await establish("server");
    const request = golden("icerpc.request.oneway");
    peer.send(encodeStreamDataHeader(true, 6, request.length), request);
    const stream = await peer.connection.acceptStream();
    expect(stream.id).toBe(6);
    expect(toHex(await readAll(stream))).toBe(toHex(request));
    expect((await peer.nextFrame()).hex).toBe(goldenEntry("slic.streamReadsClosed.oneway").hex);
  });

  test("as the client: the request leaves as C#'s StreamLast, and C#'s response is read whole", async () => {
    const { peer } = await establish("client");
    const stream = await peer.connection.createStream(true);
    stream.output.write(golden("icerpc.request.twoway.echo-with-context"));
    await stream.output.end();
    expect((await peer.nextFrame()).hex).toBe(goldenEntry("slic.streamLast.request-echo-with-context").hex);
    peer.send(golden("slic.streamLast.response-ok"), golden("slic.streamReadsClosed.after-response"));
    expect(toHex(await readAll(stream))).toBe(goldenEntry("icerpc.response.ok.echo").hex);
  });
});

describe("the 100,000-byte echo in 32 KiB frames, on stream 12 after three requests", () => {
  const golden4Bytes = (): Uint8Array => golden("icerpc.request.twoway.echo-4-bytes");
  const bigEchoFrames = (dir: "c2s" | "s2c"): GoldenFrame[] =>
    goldenSequence("slic.stream.big-echo-frame-headers").filter((frame) => frame.dir === dir);

  /** Splits `bytes` as the golden frames of `dir` do, into whole Slic frames for stream 12. */
  function framesLikeGolden(dir: "c2s" | "s2c", bytes: Uint8Array): Uint8Array[] {
    let offset = 0;
    return bigEchoFrames(dir).map((frame) => {
      const data = bytes.subarray(offset, offset + frame.dataLength!);
      offset += frame.dataLength!;
      return concatBytes([hex(frame.hexHeader!), data]);
    });
  }

  function expectWindowUpdate(frame: RawFrame, windowSize: number): number {
    expect(frame.type).toBe(FrameType.StreamWindowUpdate);
    expect(frame.streamId).toBe(12);
    const increment = decodeVarUInt62Body("StreamWindowUpdate", frame.body);
    expect(increment).toBeGreaterThanOrEqual(windowSize / 2);
    return increment;
  }

  test("as the server", async () => {
    const { peer } = await establish("server");
    for (const id of [0, 4, 8]) {
      const request = golden4Bytes();
      peer.send(encodeStreamDataHeader(true, id, request.length), request);
      await serveEcho(peer);
      const [response, readsClosed] = await peer.nextFrames(2);
      expect(response!.body).toEqual(golden("icerpc.response.ok.echo-4-bytes"));
      expect(readsClosed!.type).toBe(FrameType.StreamReadsClosed);
    }

    const request = framesLikeGolden("c2s", echoRequest(bigPayload));
    const serving = serveEcho(peer);
    // The client's window is this side's 65,536 bytes: two frames, then it waits for credit, as C#'s client did.
    peer.send(request[0]!);
    peer.send(request[1]!);
    let credit = 0;
    while (credit < 2 * 32_768) {
      credit += expectWindowUpdate(await peer.nextFrame(), 65_536);
    }
    peer.send(request[2]!);
    peer.send(request[3]!);

    // The response: C#'s frame headers. The raw client returns 32,768 bytes of credit per frame, as C# did.
    const expectedResponse = concatBytes([okResponseHeader, bigPayload]);
    const responseHeaders = bigEchoFrames("s2c").map((frame) => frame.hexHeader);
    const received: Uint8Array[] = [];
    let readsClosedSeen = 0;
    while (received.length < responseHeaders.length || readsClosedSeen === 0) {
      const frame = await peer.nextFrame();
      if (frame.type === FrameType.StreamWindowUpdate) {
        credit += expectWindowUpdate(frame, 65_536); // the last request frames' credit, sent before the end arrived
        continue;
      }
      if (frame.type === FrameType.StreamReadsClosed) {
        expect(frame.streamId).toBe(12);
        readsClosedSeen++;
        continue;
      }
      expect(frame.hex.slice(0, 12)).toBe(responseHeaders[received.length]);
      received.push(frame.body);
      if (frame.type === FrameType.Stream) {
        peer.send(encodeStreamControlFrame(FrameType.StreamWindowUpdate, 12, encodeVarUInt62Body(32_768)));
      }
    }
    await serving;
    expect(concatBytes(received)).toEqual(expectedResponse);
    expect(readsClosedSeen).toBe(1);
    expect(credit).toBeLessThanOrEqual(100_014);
  });

  test("as the client, with C#'s repeated StreamReadsClosed after every frame of its response", async () => {
    const { peer } = await establish("client");
    for (const id of [0, 4, 8]) {
      const stream = await peer.connection.createStream(true);
      stream.output.write(golden4Bytes());
      await stream.output.end();
      expect((await peer.nextFrame()).streamId).toBe(id);
      const response = golden("icerpc.response.ok.echo-4-bytes");
      peer.send(encodeStreamDataHeader(true, id, response.length), response, encodeStreamControlFrame(FrameType.StreamReadsClosed, id));
      expect(await readAll(stream)).toEqual(response);
    }

    const stream = await peer.connection.createStream(true);
    expect(stream.id).toBe(12);
    stream.output.write(echoRequest(bigPayload));
    const ending = stream.output.end();
    const requestHeaders = bigEchoFrames("c2s").map((frame) => frame.hexHeader);
    const request: Uint8Array[] = [];
    // The C# server's window updates as it sent them: 65,536 after two frames, 34,478 after the end.
    for (const [index, header] of requestHeaders.entries()) {
      const frame = await peer.nextFrame();
      expect(frame.hex.slice(0, 12)).toBe(header);
      request.push(frame.body);
      if (index === 1) {
        peer.send(hex(goldenEntry("slic.streamWindowUpdate.0").hex!));
      }
    }
    peer.send(hex(goldenEntry("slic.streamWindowUpdate.1").hex!));
    expect(await ending).toBe("flushed");
    expect(concatBytes(request)).toEqual(echoRequest(bigPayload));

    // The response as C#'s server sent it: its frames, each followed by StreamReadsClosed(12).
    const reading = readAll(stream);
    const response = framesLikeGolden("s2c", concatBytes([okResponseHeader, bigPayload]));
    let credit = 65_536;
    for (const frame of response) {
      while (credit < frame.length - 6) {
        credit += expectWindowUpdate(await peer.nextFrame(), 65_536);
      }
      credit -= frame.length - 6;
      peer.send(frame, encodeStreamControlFrame(FrameType.StreamReadsClosed, 12));
    }
    expect(await reading).toEqual(concatBytes([okResponseHeader, bigPayload]));
  });
});

describe("shutdown", () => {
  /** The golden frames of `id` in direction `dir`, as hex. */
  const framesOf = (id: string, dir: "c2s" | "s2c"): string[] =>
    goldenSequence(id)
      .filter((frame) => frame.dir === dir)
      .map((frame) => frame.hex!);

  /**
   * Plays the golden shutdown `role` initiates, as `role`, up to this side's Close(0): this side's GoAway (`goAway`) and the
   * peer's (`peerGoAway`), then the end of each control stream. Returns the pending close, and what sends the peer's
   * StreamReadsClosed and Close(0).
   */
  async function shutDownUntilClose(role: "client" | "server", goAway: string, peerGoAway: string) {
    const { peer, control, peerControl } = await establish(role);
    const sequence = `sequence.${role}-initiated-shutdown`;
    const sent = framesOf(sequence, role === "client" ? "c2s" : "s2c");
    const answers = framesOf(sequence, role === "client" ? "s2c" : "c2s");
    control.output.write(hex(goAway));
    await control.output.flush();
    expect((await peer.nextFrame()).hex).toBe(sent[0]);
    peer.send(hex(answers[0]!), hex(answers[1]!)); // the peer's GoAway and the end of its control stream
    expect(toHex(await readAll(peerControl))).toBe(peerGoAway);
    expect((await peer.nextFrame()).hex).toBe(sent[1]); // StreamReadsClosed of the peer's control stream
    await control.output.end();
    expect((await peer.nextFrame()).hex).toBe(sent[2]); // StreamLast of this side's control stream, empty
    const closing = peer.connection.close(0);
    expect((await peer.nextFrame()).hex).toBe(sent[3]); // Close(0)
    const sendPeerClose = (): void => peer.send(hex(answers[2]!), hex(answers[3]!));
    return { peer, closing, sendPeerClose };
  }

  test("client-initiated, as the client: GoAway, the peer's end read, the control stream's end, Close, FIN", async () => {
    const { peer, closing, sendPeerClose } = await shutDownUntilClose("client", "010900041c", "0109004028");
    await peer.ended(); // then the client's FIN
    sendPeerClose();
    peer.channel.end();
    await closing;
  });

  test("server-initiated, as the server: GoAway, the peer's end read, the end, Close, and FIN after the client's", async () => {
    const { peer, closing, sendPeerClose } = await shutDownUntilClose("server", "0109001018", "010900041c");
    sendPeerClose();
    expect(peer.endedAndDrained).toBe(false); // the server shuts its writes down only after the client
    peer.channel.end();
    await peer.ended();
    await closing;
  });
});
