// The TCP side of tcp-yamux: addresses and options, socket errors as IceRpcExceptions, the listener's backlog,
// the handshake timeout, and keep-alive.
import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";

import { afterEach, describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import { defaultMultiplexedConnectionOptions, type MultiplexedConnection } from "@icerpc-ts/core/transport";

import { TcpYamuxTransport } from "../src/index.js";
import { TcpProxy } from "./support/tcp-proxy.js";
import { loopbackAddress } from "./support/transports.js";

const options = defaultMultiplexedConnectionOptions;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

function track<T extends { dispose(): Promise<unknown> }>(resource: T): T {
  cleanups.push(() => resource.dispose());
  return resource;
}

/** Resolves with the error `operation` rejects with; fails if it resolves. */
async function errorOf(operation: Promise<unknown>): Promise<unknown> {
  return operation.then(
    () => {
      throw new Error("The operation succeeded.");
    },
    (error: unknown) => error,
  );
}

async function expectIceRpcError(operation: Promise<unknown>, error: IceRpcError, message?: RegExp): Promise<void> {
  const failure = await errorOf(operation);
  expect(failure).toBeInstanceOf(IceRpcException);
  expect(IceRpcError[(failure as IceRpcException).error]).toBe(IceRpcError[error]);
  if (message !== undefined) {
    expect((failure as IceRpcException).message).toMatch(message);
  }
}

/** A loopback port nobody listens on (it was just released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

describe("tcp-yamux addresses and options", () => {
  test("addresses of another transport, without a host or with an invalid port are rejected", async () => {
    const transport = new TcpYamuxTransport();
    const address = { host: "127.0.0.1", port: 4062, params: {} };
    expect(() => transport.createConnection({ ...address, transport: "quic" }, options)).toThrow(/transport 'quic'/);
    expect(() => transport.createConnection({ ...address, host: "" }, options)).toThrow(TypeError);
    expect(() => transport.createConnection({ ...address, port: 0 }, options)).toThrow(/from 1 to 65535/);
    expect(() => transport.createConnection({ ...address, params: { tls: "true" } }, options)).toThrow(
      /Unknown parameter 'tls'/,
    );
    await expect(transport.listen({ ...address, port: 70_000 }, options)).rejects.toThrow(/from 0 to 65535/);
  });

  test("invalid options are rejected with RangeError", () => {
    expect(() => new TcpYamuxTransport({ keepAliveTimeout: 0 })).toThrow(RangeError);
    expect(() => new TcpYamuxTransport({ keepAliveInterval: -1 })).toThrow(RangeError);
    expect(() => new TcpYamuxTransport({ maxStreamWindowSize: 1024 })).toThrow(/maxStreamWindowSize/);
    expect(() => new TcpYamuxTransport({ maxWindowGrowth: -1 })).toThrow(/maxWindowGrowth/);
    expect(() => new TcpYamuxTransport({ listenBacklog: 0 })).toThrow(/listenBacklog/);
    expect(() =>
      new TcpYamuxTransport().createConnection(loopbackAddressWithPort(1), { ...options, handshakeTimeout: 0 }),
    ).toThrow(/handshakeTimeout/);
  });
});

function loopbackAddressWithPort(port: number): ReturnType<typeof loopbackAddress> {
  return { ...loopbackAddress(), port };
}

describe("tcp-yamux socket errors", () => {
  test("connecting to a port nobody listens on fails with ConnectionRefused", async () => {
    const connection = track(new TcpYamuxTransport().createConnection(loopbackAddressWithPort(await closedPort()), options));
    await expectIceRpcError(connection.connect(), IceRpcError.ConnectionRefused, /Cannot connect to 127\.0\.0\.1:\d+: the connection was refused.*\(ECONNREFUSED\)/);
  });

  test("connecting to a host name that does not resolve fails with ServerUnreachable", async () => {
    const address = { host: "no-such-host.invalid", port: 4062, transport: "tcp-yamux", params: {} };
    const connection = track(new TcpYamuxTransport().createConnection(address, options));
    await expectIceRpcError(connection.connect(), IceRpcError.ServerUnreachable, /could not be resolved/);
  });

  test("listening twice on the same address fails with AddressInUse", async () => {
    const transport = new TcpYamuxTransport();
    const listener = track(await transport.listen(loopbackAddress(), options));
    await expectIceRpcError(transport.listen(listener.address, options), IceRpcError.AddressInUse, /Cannot listen on 127\.0\.0\.1:\d+: .*\(EADDRINUSE\)/);
  });

  test("a connection reset by the peer fails with ConnectionAborted", async () => {
    const transport = new TcpYamuxTransport();
    const listener = track(await transport.listen(loopbackAddress(), options));
    const proxy = track(await TcpProxy.start(listener.address));
    const client = track(transport.createConnection(proxy.address, options));
    const [, accepted] = await Promise.all([
      client.connect(),
      listener.accept().then(async ({ connection }) => {
        track(connection);
        await connection.connect();
        return connection;
      }),
    ]);
    const stream = await client.createStream(true);
    stream.output.write(Uint8Array.of(1));
    await stream.output.flush();
    await accepted.acceptStream();

    proxy.reset();

    await expectIceRpcError(client.acceptStream(), IceRpcError.ConnectionAborted, /reset by the peer \(ECONNRESET\)/);
    await expectIceRpcError(stream.input.read(), IceRpcError.ConnectionAborted);
  });

  test("a connect whose peer never answers fails with a TimeoutError after the handshake timeout", async () => {
    // A TCP server that accepts and says nothing.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    cleanups.push(async () => {
      sockets.forEach((socket) => socket.destroy());
      silent.close();
    });
    const address = loopbackAddressWithPort((silent.address() as AddressInfo).port);
    const connection = track(new TcpYamuxTransport().createConnection(address, { ...options, handshakeTimeout: 100 }));
    const error = await errorOf(connection.connect());
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("TimeoutError");
  });
});

describe("tcp-yamux listener", () => {
  test("connections beyond the listen backlog are closed while the application does not accept", async () => {
    const transport = new TcpYamuxTransport({ listenBacklog: 1 });
    const listener = track(await transport.listen(loopbackAddress(), options));
    const waiting = track(transport.createConnection(listener.address, options));
    const connectingWaiting = waiting.connect();
    // Let the first connection reach the queue before the second arrives.
    const firstAccepted = await listener.accept();
    track(firstAccepted.connection);
    const second = track(transport.createConnection(listener.address, options));
    const third = track(transport.createConnection(listener.address, options));
    const connectingSecond = second.connect();
    const connectingThird = third.connect();
    connectingSecond.catch(() => {});
    connectingThird.catch(() => {});
    // One of the two waits in the queue, the other is refused.
    const outcomes = await Promise.race([
      errorOf(connectingSecond).then((error) => ({ refused: "second", error })),
      errorOf(connectingThird).then((error) => ({ refused: "third", error })),
    ]);
    expect(outcomes.error).toBeInstanceOf(IceRpcException);
    expect(IceRpcError[(outcomes.error as IceRpcException).error]).toBe("ConnectionAborted");

    await firstAccepted.connection.connect();
    await connectingWaiting;
    const queued = await listener.accept();
    track(queued.connection);
    await Promise.all([queued.connection.connect(), outcomes.refused === "second" ? connectingThird : connectingSecond]);
  });

  test("disposing the listener closes the connections waiting to be accepted", async () => {
    const transport = new TcpYamuxTransport();
    const listener = await transport.listen(loopbackAddress(), options);
    cleanups.push(() => listener.dispose());
    const first = track(transport.createConnection(listener.address, options));
    const [, firstServer] = await Promise.all([
      first.connect(),
      listener.accept().then(async ({ connection }) => {
        track(connection);
        await connection.connect();
        return connection;
      }),
    ]);
    const waiting = track(transport.createConnection(listener.address, options));
    const connecting = waiting.connect();
    // A round trip on the first connection gives the listener the time to take the second one from the kernel.
    const stream = await first.createStream(true);
    stream.output.write(Uint8Array.of(1));
    await stream.output.flush();
    await (await firstServer.acceptStream()).input.read();

    await listener.dispose();

    await expectIceRpcError(connecting, IceRpcError.ConnectionAborted);
  });
});

describe("tcp-yamux keep-alive", () => {
  async function throughFreezableProxy(clientOptions: { keepAliveInterval: number; keepAliveTimeout: number }): Promise<{
    proxy: TcpProxy;
    client: MultiplexedConnection;
  }> {
    const server = new TcpYamuxTransport({ keepAliveInterval: 0 });
    const listener = track(await server.listen(loopbackAddress(), options));
    const proxy = track(await TcpProxy.start(listener.address));
    const client = track(new TcpYamuxTransport(clientOptions).createConnection(proxy.address, options));
    await Promise.all([
      client.connect(),
      listener.accept().then(({ connection }) => track(connection).connect()),
    ]);
    return { proxy, client };
  }

  test("a peer that stops answering is detected: the connection fails with ConnectionIdle", async () => {
    const { proxy, client } = await throughFreezableProxy({ keepAliveInterval: 50, keepAliveTimeout: 100 });
    const accepting = client.acceptStream();
    proxy.freeze();
    await expectIceRpcError(accepting, IceRpcError.ConnectionIdle, /did not answer a yamux keep-alive ping within 100 ms/);
  });

  test("an idle connection whose peer answers stays up", async () => {
    const { client } = await throughFreezableProxy({ keepAliveInterval: 20, keepAliveTimeout: 100 });
    const accepting = client.acceptStream();
    accepting.catch(() => {});
    // The one allowed timer: several keep-alive rounds pass and the connection is still up.
    const outcome = await Promise.race([
      accepting.then(
        () => "accepted",
        (error: unknown) => `failed: ${String(error)}`,
      ),
      new Promise((resolve) => setTimeout(() => resolve("pending"), 300)),
    ]);
    expect(outcome).toBe("pending");
  });
});
