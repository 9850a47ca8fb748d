// The adapter's wire format, byte by byte, against a raw yamux peer: the control stream and its messages, the kind
// byte of data streams, and what a connection does with a peer that breaks the protocol.
import { once } from "node:events";
import { connect } from "node:net";

import { afterEach, describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import { MultiplexedConnectionCloseError, type MultiplexedConnection } from "@icerpc-ts/core/transport";
import { type YamuxStream, YamuxErrorCode } from "@icerpc-ts/yamux";

import { TcpYamuxTransport } from "../src/index.js";
import { loopbackAddress } from "./support/transports.js";
import { ControlMessageType, encodeControlMessage } from "../src/yamux-adapter/control-message.js";
import { bytesOf, type RawYamuxPeer, RawYamuxListener } from "./support/raw-yamux-peer.js";

const options = { maxBidirectionalStreams: 100, maxUnidirectionalStreams: 101, handshakeTimeout: 5000 };

/** What the peer sends to be a valid adapter peer: its Settings, granting 100 streams of each kind. */
const peerSettings = encodeControlMessage({
  type: ControlMessageType.Settings,
  version: 1,
  maxBidirectionalStreams: 100,
  maxUnidirectionalStreams: 100,
});

/** The client's Settings for `options`: type 0, body size 5, version 1, 100 and 101 as varuint62. */
const clientSettingsBytes = [0x00, 0x14, 0x04, 0x91, 0x01, 0x95, 0x01];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

interface RawSetup {
  readonly client: MultiplexedConnection;
  readonly peer: RawYamuxPeer;
  /** The client's control stream, its Settings read. */
  readonly clientControl: YamuxStream;
  /** Resolves or rejects as the client's connect does. */
  readonly connecting: Promise<unknown>;
}

/** A tcp-yamux client connecting to a raw peer, which read the client's Settings; `peerControl` is what it sends. */
async function connectToRawPeer(peerControl: Uint8Array, clientOptions = options): Promise<RawSetup> {
  const listener = await RawYamuxListener.start();
  cleanups.push(() => listener.dispose());
  const client = new TcpYamuxTransport().createConnection(listener.address, clientOptions);
  cleanups.push(() => client.dispose());
  const connecting = client.connect();
  connecting.catch(() => {});
  const peer = await listener.accept();
  const clientControl = await peer.acceptStream();
  const clientSettings = encodeControlMessage({ type: ControlMessageType.Settings, version: 1, ...clientOptions });
  await peer.readExactly(clientControl, clientSettings.length);
  await peer.open(peerControl);
  return { client, peer, clientControl, connecting };
}

/** Rejects unless `operation` fails with an `IceRpcException` of `error` whose message matches `message`. */
async function expectFailure(operation: Promise<unknown>, error: IceRpcError, message: RegExp): Promise<void> {
  const failure = await operation.then(
    () => new Error("The operation succeeded."),
    (reason: unknown) => reason,
  );
  expect(failure).toBeInstanceOf(IceRpcException);
  expect(IceRpcError[(failure as IceRpcException).error]).toBe(IceRpcError[error]);
  expect((failure as IceRpcException).message).toMatch(message);
}

describe("tcp-yamux wire format", () => {
  test("the client's control stream is yamux stream 1 and starts with its Settings", async () => {
    const listener = await RawYamuxListener.start();
    cleanups.push(() => listener.dispose());
    const client = new TcpYamuxTransport().createConnection(listener.address, options);
    cleanups.push(() => client.dispose());
    const connecting = client.connect();
    const peer = await listener.accept();

    const clientControl = await peer.acceptStream();
    expect(clientControl.id).toBe(1);
    expect(bytesOf(await peer.readExactly(clientControl, 7))).toEqual(clientSettingsBytes);
    // The client's connect waits for the peer's Settings.
    const peerControl = await peer.open(peerSettings);
    expect(peerControl.id).toBe(2);
    const information = await connecting;
    expect(information.remoteNetworkAddress.port).toBe(listener.address.port);
  });

  test("a data stream starts with its kind byte, on the SYN, in creation order per kind", async () => {
    const { client, peer, connecting } = await connectToRawPeer(peerSettings);
    await connecting;
    const bidirectional = await client.createStream(true);
    const unidirectional = await client.createStream(false);
    expect([bidirectional.id, unidirectional.id]).toEqual([0, 2]);
    unidirectional.output.write(Uint8Array.of(0xcc));
    await unidirectional.output.end();
    bidirectional.output.write(Uint8Array.of(0x68, 0x69));
    await bidirectional.output.flush();

    // The unidirectional stream went on the wire first, as yamux stream 3.
    const first = await peer.acceptStream();
    expect(first.id).toBe(3);
    expect(bytesOf(await peer.readExactly(first, 2))).toEqual([0x01, 0xcc]);
    expect(await first.read()).toBeNull();
    const second = await peer.acceptStream();
    expect(second.id).toBe(5);
    expect(bytesOf(await peer.readExactly(second, 3))).toEqual([0x00, 0x68, 0x69]);
  });

  test("streams the peer created are released with StreamsReleased, stopped with StopSending, reset with ResetStream", async () => {
    // A limit of 4: the client holds a release back while the peer counts fewer than 2 of its streams as in use.
    const clientOptions = { ...options, maxBidirectionalStreams: 4 };
    const { client, peer, clientControl, connecting } = await connectToRawPeer(peerSettings, clientOptions);
    await connecting;
    // Server-initiated bidirectional stream 1: kind byte, one data byte, FIN.
    const finished = await peer.open(Uint8Array.of(0x00, 0xaa));
    void finished.end();
    const accepted = await client.acceptStream();
    expect(accepted.id).toBe(1);
    expect(bytesOf((await accepted.input.read())!)).toEqual([0xaa]);
    expect(await accepted.input.read()).toBeNull();
    await accepted.output.end();
    await peer.session.ping(); // the answer comes after anything the client sent before it
    expect(clientControl.bufferedBytes).toBe(0); // released, not announced: the peer counts 1 stream of 4 in use

    // Stream 5: accepted, the peer counts 2 streams in use, half the limit: the release goes out. The client then
    // stops reading it, and aborts its own output while the peer still writes.
    await peer.open(Uint8Array.of(0x00));
    const stopped = await client.acceptStream();
    expect(stopped.id).toBe(5);
    // StreamsReleased { bidirectional: 1, unidirectional: 0 }.
    expect(bytesOf(await peer.readExactly(clientControl, 4))).toEqual([0x01, 0x08, 0x04, 0x00]);
    stopped.input.abort();
    // StopSending { streamId: 5 }.
    expect(bytesOf(await peer.readExactly(clientControl, 3))).toEqual([0x03, 0x04, 0x14]);

    await peer.open(Uint8Array.of(0x00));
    const reset = await client.acceptStream();
    expect(reset.id).toBe(9);
    reset.output.abort();
    // ResetStream { streamId: 9 }.
    expect(bytesOf(await peer.readExactly(clientControl, 3))).toEqual([0x04, 0x04, 0x24]);
  });

  test("close sends Close with its code, then yamux GoAway and the end of the connection", async () => {
    const { client, peer, clientControl, connecting } = await connectToRawPeer(peerSettings);
    await connecting;
    const closing = client.close(MultiplexedConnectionCloseError.ServerBusy);
    // Close { applicationErrorCode: 3 }.
    expect(bytesOf(await peer.readExactly(clientControl, 3))).toEqual([0x02, 0x04, 0x0c]);
    const peerError = await peer.session.closed;
    expect(peerError.code).toBe(YamuxErrorCode.RemoteGoAway);
    peer.session.dispose();
    await closing;
  });
});

describe("tcp-yamux with a peer that breaks the adapter protocol", () => {
  test("a server connection whose client does not speak yamux fails its connect with IceRpcError", async () => {
    const listener = await new TcpYamuxTransport().listen(loopbackAddress(), options);
    cleanups.push(() => listener.dispose());
    const socket = connect({ host: "127.0.0.1", port: listener.address.port });
    cleanups.push(async () => void socket.destroy());
    await once(socket, "connect");
    socket.write("GET / HTTP/1.1\r\n\r\n");
    const { connection } = await listener.accept();
    cleanups.push(() => connection.dispose());
    await expectFailure(connection.connect(), IceRpcError.IceRpcError, /yamux/);
  });

  const handshakeCases: [string, number[], IceRpcError, RegExp][] = [
    ["a Settings body cut short", [0x00, 0x04, 0x04], IceRpcError.IceRpcError, /invalid Settings control message/],
    ["a Settings body with bytes left over", [0x00, 0x14, 0x04, 0x00, 0x00, 0x00, 0x00], IceRpcError.IceRpcError, /unexpected byte/],
    ["an unknown message type", [0x07, 0x00], IceRpcError.IceRpcError, /unknown type 7/],
    ["a body over 1 KiB", [0x01, 0x05, 0x10], IceRpcError.IceRpcError, /1025 bytes long/],
    ["StreamsReleased before Settings", [0x01, 0x08, 0x00, 0x00], IceRpcError.IceRpcError, /first control message is StreamsReleased/],
    ["Settings of another version", [0x00, 0x0c, 0x08, 0x00, 0x00], IceRpcError.ConnectionRefused, /version 2/],
  ];
  for (const [what, bytes, error, message] of handshakeCases) {
    test(`connect fails on ${what}`, async () => {
      const { connecting } = await connectToRawPeer(Uint8Array.from(bytes));
      await expectFailure(connecting, error, message);
    });
  }

  test("a peer of another version is told with Close(Refused)", async () => {
    const { connecting, peer, clientControl } = await connectToRawPeer(Uint8Array.of(0x00, 0x0c, 0x08, 0x00, 0x00));
    await expectFailure(connecting, IceRpcError.ConnectionRefused, /version 2/);
    expect(bytesOf(await peer.readExactly(clientControl, 3))).toEqual([0x02, 0x04, 0x08]);
  });

  const afterHandshakeCases: [string, (peer: RawYamuxPeer, peerControl: YamuxStream) => Promise<unknown>, RegExp][] = [
    ["an unknown message type", (_, control) => control.write(Uint8Array.of(0x09, 0x00)), /unknown type 9/],
    ["a second Settings", (_, control) => control.write(peerSettings), /Settings a second time/],
    ["a body over 1 KiB", (_, control) => control.write(Uint8Array.of(0x03, 0x01, 0x40)), /4096 bytes long/],
    ["StreamsReleased for streams never opened", (_, control) => control.write(Uint8Array.of(0x01, 0x08, 0x04, 0x00)), /released 1 bidirectional streams/],
    ["StopSending for a stream never created", (_, control) => control.write(Uint8Array.of(0x03, 0x04, 0x10)), /never created/],
    ["ResetStream for a unidirectional stream", (_, control) => control.write(Uint8Array.of(0x04, 0x04, 0x0c)), /unidirectional stream/],
    ["the end of its control stream", (_, control) => control.end(), /ended its control stream/],
    ["a stream of unknown kind", (peer) => peer.open(Uint8Array.of(0x05)), /starts with 5/],
    ["a stream without its kind byte", async (peer) => void (await peer.open(new Uint8Array(0))).end(), /without sending its kind byte/],
    [
      "more bidirectional streams than allowed",
      async (peer) => {
        await peer.open(Uint8Array.of(0x00));
        await peer.open(Uint8Array.of(0x00));
      },
      /more bidirectional streams than the 1/,
    ],
  ];
  for (const [what, misbehave, message] of afterHandshakeCases) {
    test(`the connection fails on ${what}, and the peer sees GoAway protocol error`, async () => {
      const listener = await RawYamuxListener.start();
      cleanups.push(() => listener.dispose());
      const client = new TcpYamuxTransport().createConnection(listener.address, {
        ...options,
        maxBidirectionalStreams: 1,
      });
      cleanups.push(() => client.dispose());
      const connecting = client.connect();
      const peer = await listener.accept();
      const clientControl = await peer.acceptStream();
      await peer.readExactly(clientControl, 6);
      const peerControl = await peer.open(peerSettings);
      await connecting;
      const accepting = client.acceptStream();
      accepting.catch(() => {});

      await misbehave(peer, peerControl);

      // The first accepted stream is still handed over when the second one breaks the limit.
      const failure = accepting.then((stream) => (stream.id === 1 ? client.acceptStream() : stream));
      await expectFailure(failure, IceRpcError.IceRpcError, message);
      const peerError = await peer.session.closed;
      expect(peerError.message).toMatch(/GoAway code 1/);
    });
  }
});
