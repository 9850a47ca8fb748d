// The TCP side of a transport over tcp-network: addresses and options, socket errors as IceRpcExceptions, the
// listener's backlog and the handshake timeout.
import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";

import { describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import { TcpProxy } from "@icerpc-ts/net-test-support";

import { closedPort, errorOf, expectIceRpcError, Fixture, options } from "./fixture.js";
import type { TcpTransportUnderTest } from "./transport-under-test.js";

export function networkTests(transport: TcpTransportUnderTest): void {
  describe(`${transport.name} addresses and options`, () => {
    const fixture = new Fixture(transport);
    const name = transport.name;

    test("addresses of another transport, without a host or with an invalid port are rejected", async () => {
      const client = transport.createTransport();
      const address = { host: "127.0.0.1", port: 4062, params: {} };
      const other = name === "quic" ? "tcp" : "quic";
      expect(() => client.createConnection({ ...address, transport: other }, options)).toThrow(
        new RegExp(`transport '${other}': use \\?transport=${name}\\.`),
      );
      expect(() => client.createConnection({ ...address, host: "" }, options)).toThrow(TypeError);
      expect(() => client.createConnection({ ...address, port: 0 }, options)).toThrow(/from 1 to 65535/);
      expect(() => client.createConnection({ ...address, params: { tls: "true" } }, options)).toThrow(
        /Unknown parameter 'tls'/,
      );
      await expect(client.listen({ ...address, port: 70_000 }, options)).rejects.toThrow(/from 0 to 65535/);
    });

    test("an invalid listen backlog or handshake timeout is rejected with RangeError", async () => {
      expect(() => transport.createTransport({ listenBacklog: 0 })).toThrow(/listenBacklog/);
      expect(() => transport.createTransport({ listenBacklog: 65_536 })).toThrow(RangeError);
      const client = transport.createTransport();
      expect(() => client.createConnection(fixture.address(1), { ...options, handshakeTimeout: 0 })).toThrow(
        /handshakeTimeout/,
      );
      await expect(client.listen(fixture.address(), { ...options, handshakeTimeout: -1 })).rejects.toThrow(RangeError);
    });
  });

  describe(`${transport.name} socket errors`, () => {
    const fixture = new Fixture(transport);

    test("connecting to a port nobody listens on fails with ConnectionRefused", async () => {
      const connection = fixture.track(transport.createTransport().createConnection(fixture.address(await closedPort()), options));
      await expectIceRpcError(connection.connect(), IceRpcError.ConnectionRefused, /Cannot connect to 127\.0\.0\.1:\d+: the connection was refused.*\(ECONNREFUSED\)/);
    });

    test("connecting to a host name that does not resolve fails with ServerUnreachable", async () => {
      const address = { ...fixture.address(4062), host: "no-such-host.invalid" };
      const connection = fixture.track(transport.createTransport().createConnection(address, options));
      await expectIceRpcError(connection.connect(), IceRpcError.ServerUnreachable, /could not be resolved/);
    });

    test("listening twice on the same address fails with AddressInUse", async () => {
      const tcp = transport.createTransport();
      const listener = fixture.track(await tcp.listen(fixture.address(), options));
      await expectIceRpcError(tcp.listen(listener.address, options), IceRpcError.AddressInUse, /Cannot listen on 127\.0\.0\.1:\d+: .*\(EADDRINUSE\)/);
    });

    test("a connection reset by the peer fails with ConnectionAborted", async () => {
      const tcp = transport.createTransport();
      const listener = fixture.track(await tcp.listen(fixture.address(), options));
      const proxy = fixture.track(await TcpProxy.start(listener.address));
      const client = fixture.track(tcp.createConnection(proxy.address, options));
      const [, accepted] = await Promise.all([
        client.connect(),
        listener.accept().then(async ({ connection }) => {
          fixture.track(connection);
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
      fixture.onCleanup(async () => {
        sockets.forEach((socket) => socket.destroy());
        silent.close();
      });
      const address = fixture.address((silent.address() as AddressInfo).port);
      const connection = fixture.track(transport.createTransport().createConnection(address, { ...options, handshakeTimeout: 100 }));
      const error = await errorOf(connection.connect());
      expect(error).toBeInstanceOf(DOMException);
      expect((error as DOMException).name).toBe("TimeoutError");
    });
  });

  describe(`${transport.name} listener`, () => {
    const fixture = new Fixture(transport);

    test("connections beyond the listen backlog are closed while the application does not accept", async () => {
      const tcp = transport.createTransport({ listenBacklog: 1 });
      const listener = fixture.track(await tcp.listen(fixture.address(), options));
      const waiting = fixture.track(tcp.createConnection(listener.address, options));
      const connectingWaiting = waiting.connect();
      // Let the first connection reach the queue before the second arrives.
      const firstAccepted = await listener.accept();
      fixture.track(firstAccepted.connection);
      const second = fixture.track(tcp.createConnection(listener.address, options));
      const third = fixture.track(tcp.createConnection(listener.address, options));
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
      fixture.track(queued.connection);
      await Promise.all([queued.connection.connect(), outcomes.refused === "second" ? connectingThird : connectingSecond]);
    });

    test("disposing the listener closes the connections waiting to be accepted", async () => {
      const tcp = transport.createTransport();
      const listener = await tcp.listen(fixture.address(), options);
      fixture.onCleanup(() => listener.dispose());
      const first = fixture.track(tcp.createConnection(listener.address, options));
      const [, firstServer] = await Promise.all([
        first.connect(),
        listener.accept().then(async ({ connection }) => {
          fixture.track(connection);
          await connection.connect();
          return connection;
        }),
      ]);
      const waiting = fixture.track(tcp.createConnection(listener.address, options));
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
}
