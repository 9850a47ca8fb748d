// tcp over TCP and TLS: the shared suite of every transport over tcp-network (addresses, socket errors, the
// listener, TLS with ALPN icerpc), then what is the tcp transport's own: IceRPC C#'s default port, Slic's options,
// and Slic's idle timeout over a real network path.
import { afterEach, describe, expect, test } from "@jest/globals";
import {
  ClientConnection,
  IceRpcError,
  OutgoingRequest,
  OutgoingResponse,
  Server,
  ServerAddress,
  ServiceAddress,
  TransportRegistry,
} from "@icerpc-ts/core";
import { defaultMultiplexedConnectionOptions, type MultiplexedConnection } from "@icerpc-ts/core/transport";
import { TcpProxy } from "@icerpc-ts/net-test-support";
import { expectIceRpcError, tcpTransportTests } from "@icerpc-ts/tcp-transport-tests";

import { TcpTransport, type TcpTransportOptions } from "../src/index.js";
import { loopbackAddress } from "./support/transports.js";

tcpTransportTests({
  name: "tcp",
  createTransport: (tcpOptions) => new TcpTransport(tcpOptions),
  applicationProtocol: "icerpc",
});

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

describe("tcp addresses and options", () => {
  test("an address copied from IceRPC C# means the same thing: transport tcp, port 4062 by default", async () => {
    const transports = new TransportRegistry().register(new TcpTransport());
    const server = track(
      new Server({
        serverAddress: ServerAddress.parse("icerpc://127.0.0.1?transport=tcp"),
        transports,
        dispatcher: () => new OutgoingResponse({ payload: Uint8Array.of(42) }),
      }),
    );
    const address = await server.listen();
    expect(address.port).toBe(4062);
    const connection = track(
      new ClientConnection({ serverAddress: "icerpc://127.0.0.1:4062?transport=tcp", transports }),
    );
    const response = await connection.invoke(
      new OutgoingRequest(ServiceAddress.parse("icerpc:/hello"), { operation: "hello" }),
    );
    const chunks: number[] = [];
    for await (const chunk of response.payload) {
      chunks.push(...chunk);
    }
    expect(chunks).toEqual([42]);
  });

  test("invalid Slic options are rejected with RangeError when the transport is made", () => {
    expect(() => new TcpTransport({ idleTimeout: 0 })).toThrow(/idleTimeout/);
    expect(() => new TcpTransport({ initialStreamWindowSize: 1023 })).toThrow(/initialStreamWindowSize/);
    expect(() => new TcpTransport({ maxStreamFrameSize: 16_777_216 })).toThrow(/maxStreamFrameSize/);
    expect(() => new TcpTransport({ maxOutstandingPongs: 0 })).toThrow(RangeError);
  });
});

describe("tcp idle timeout", () => {
  async function throughFreezableProxy(clientOptions: TcpTransportOptions): Promise<{
    proxy: TcpProxy;
    client: MultiplexedConnection;
  }> {
    const server = new TcpTransport({ idleTimeout: 2_000 });
    const listener = track(await server.listen(loopbackAddress(), options));
    const proxy = track(await TcpProxy.start(listener.address));
    const client = track(new TcpTransport(clientOptions).createConnection(proxy.address, options));
    await Promise.all([client.connect(), listener.accept().then(({ connection }) => track(connection).connect())]);
    return { proxy, client };
  }

  test("a peer that stops answering is detected: the connection fails with ConnectionIdle", async () => {
    // The smaller idle timeout of both sides applies; the client pings at half of it, and gets no Pong.
    const { proxy, client } = await throughFreezableProxy({ idleTimeout: 200 });
    const accepting = client.acceptStream();
    proxy.freeze();
    await expectIceRpcError(accepting, IceRpcError.ConnectionIdle);
  });

  test("an idle connection whose peer answers the keep-alive pings stays up", async () => {
    const { client } = await throughFreezableProxy({ idleTimeout: 100 });
    const accepting = client.acceptStream();
    accepting.catch(() => {});
    // The one allowed timer: several idle timeouts pass and the connection is still up.
    const outcome = await Promise.race([
      accepting.then(
        () => "accepted",
        (error: unknown) => `failed: ${String(error)}`,
      ),
      new Promise((resolve) => setTimeout(() => resolve("pending"), 500)),
    ]);
    expect(outcome).toBe("pending");
  });
});
