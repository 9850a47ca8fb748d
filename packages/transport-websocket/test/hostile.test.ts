// Peers that break the rules: a client that never completes its handshake (silent, or dribbling) is dropped, an
// oversize or a text message ends the connection with a clear error, an upgrade without the icerpc subprotocol is
// refused.
import { once } from "node:events";
import { connect, type Socket } from "node:net";

import { describe, expect, test } from "@jest/globals";
import { IceRpcError } from "@icerpc-ts/core";
import type { Listener } from "@icerpc-ts/core/transport";
import { expectIceRpcError, Fixture, options } from "@icerpc-ts/tcp-transport-tests";
import WebSocket from "ws";

import { defaultMaxMessageSize, WebSocketTransport } from "../src/index.js";
import { ws } from "./support/websocket-under-test.js";

function ignore(): void {}

/**
 * Resolves when the server has dropped `socket`, whatever the socket reports on the way (a reset, the EPIPE of a
 * write racing the drop), which would make events.once reject. The socket reads and discards what the server sends
 * first: when Node's HTTP server times the request out before the listener does, it answers 408, and a socket that
 * leaves those bytes unread never sees the end behind them.
 */
function closeOf(socket: Socket): Promise<void> {
  socket.on("error", ignore);
  socket.resume();
  return new Promise((resolve) => socket.once("close", () => resolve()));
}

describe("ws against hostile peers", () => {
  const fixture = new Fixture(ws);

  async function listen(handshakeTimeout = options.handshakeTimeout): Promise<Listener> {
    return fixture.track(await new WebSocketTransport().listen(fixture.address(), { ...options, handshakeTimeout }));
  }

  /** A raw WebSocket client of `listener`, open, with the icerpc subprotocol unless `protocols` says otherwise. */
  async function rawClient(listener: Listener, protocols: string[] = ["icerpc"]): Promise<WebSocket> {
    const client = new WebSocket(`ws://127.0.0.1:${listener.address.port}/icerpc`, protocols);
    fixture.onCleanup(async () => client.terminate());
    await once(client, "open");
    return client;
  }

  test("a client that connects and sends nothing is dropped after the handshake timeout", async () => {
    const listener = await listen(200);
    const socket = connect(listener.address.port, "127.0.0.1");
    fixture.onCleanup(async () => socket.destroy());
    await once(socket, "connect");
    await closeOf(socket);
  });

  test("a client that never finishes its upgrade request is dropped after the handshake timeout", async () => {
    const listener = await listen(200);
    const socket = connect(listener.address.port, "127.0.0.1");
    fixture.onCleanup(async () => socket.destroy());
    await once(socket, "connect");
    socket.write("GET /icerpc HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    // Dribbles header lines, so that the socket is never idle for long: only the headers timeout can end it.
    const dribble = setInterval(() => socket.writable && socket.write("X-Slow: 1\r\n"), 50);
    fixture.onCleanup(async () => clearInterval(dribble));
    await closeOf(socket);
  });

  test("an upgrade without the icerpc subprotocol is refused with 400", async () => {
    const listener = await listen();
    const client = new WebSocket(`ws://127.0.0.1:${listener.address.port}/icerpc`, ["chat"]);
    client.on("error", ignore); // terminated while it waits for an upgrade that never comes
    fixture.onCleanup(async () => client.terminate());
    const [, response] = (await once(client, "unexpected-response")) as [unknown, { statusCode: number }];
    expect(response.statusCode).toBe(400);
  });

  test("a message larger than maxMessageSize ends the connection (1009) with a clear error", async () => {
    const listener = await listen();
    const client = await rawClient(listener);
    const closed = once(client, "close");
    client.send(new Uint8Array(defaultMaxMessageSize + 1));
    const { connection } = await listener.accept();
    fixture.track(connection);
    await expectIceRpcError(connection.connect(), IceRpcError.IceRpcError, /larger than this side's maxMessageSize/);
    const [code] = (await closed) as [number];
    expect(code).toBe(1009);
  });

  test("a text message ends the connection (1003) with a clear error", async () => {
    const listener = await listen();
    const client = await rawClient(listener);
    const closed = once(client, "close");
    client.send("hello");
    const { connection } = await listener.accept();
    fixture.track(connection);
    await expectIceRpcError(
      connection.connect(),
      IceRpcError.IceRpcError,
      /received a text message: icerpc over WebSocket uses binary messages only/,
    );
    const [code] = (await closed) as [number];
    expect(code).toBe(1003);
  });

  test("bytes that are not Slic end the connection with Slic's protocol error", async () => {
    const listener = await listen();
    const client = await rawClient(listener);
    client.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    const { connection } = await listener.accept();
    fixture.track(connection);
    await expectIceRpcError(connection.connect(), IceRpcError.IceRpcError, /Slic protocol error/);
  });
});
