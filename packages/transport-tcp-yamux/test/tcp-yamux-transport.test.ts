// tcp-yamux over TCP and TLS: the shared suite of every transport over tcp-network (addresses, socket errors, the
// listener, TLS), then what is tcp-yamux's own: its options and yamux keep-alive.
import { afterEach, describe, expect, test } from "@jest/globals";
import { IceRpcError } from "@icerpc-ts/core";
import { defaultMultiplexedConnectionOptions, type MultiplexedConnection } from "@icerpc-ts/core/transport";
import { TcpProxy } from "@icerpc-ts/net-test-support";
import { expectIceRpcError, tcpTransportTests } from "@icerpc-ts/tcp-transport-tests";

import { defaultYamuxSessionOptions } from "@icerpc-ts/yamux";
import { defaultYamuxAdapterOptions, TcpYamuxTransport, type YamuxAdapterOptions } from "../src/index.js";
import { yamuxSessionOptionsOf } from "../src/yamux-adapter/yamux-adapter-options.js";
import { loopbackAddress } from "./support/transports.js";

tcpTransportTests({ name: "tcp-yamux", createTransport: (tcpOptions) => new TcpYamuxTransport(tcpOptions) });

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

describe("tcp-yamux options", () => {
  test("invalid yamux options are rejected with RangeError", () => {
    expect(() => new TcpYamuxTransport({ keepAliveTimeout: 0 })).toThrow(RangeError);
    expect(() => new TcpYamuxTransport({ keepAliveInterval: -1 })).toThrow(RangeError);
    expect(() => new TcpYamuxTransport({ maxStreamWindowSize: 1024 })).toThrow(/maxStreamWindowSize/);
    expect(() => new TcpYamuxTransport({ maxWindowGrowth: -1 })).toThrow(/maxWindowGrowth/);
    expect(() => new TcpYamuxTransport({ maxFrameSize: 0 })).toThrow(/maxFrameSize/);
  });

  test("the session gets yamux's options with the adapter's keep-alive defaults, and no yamux stream limit", () => {
    const session = yamuxSessionOptionsOf({ keepAliveInterval: undefined, maxFrameSize: 16_384 });
    expect(session).toEqual({
      ...defaultYamuxSessionOptions,
      ...defaultYamuxAdapterOptions,
      maxFrameSize: 16_384,
      acceptBacklog: 0x7fff_ffff,
      maxInboundStreams: 0x7fff_ffff,
      maxUnacknowledgedStreams: 0x7fff_ffff,
    });
    // A JavaScript caller cannot bring yamux's stream limits back: the adapter's Settings enforce the contract's.
    const untyped = { maxInboundStreams: 1 } as unknown as YamuxAdapterOptions;
    expect(yamuxSessionOptionsOf(untyped).maxInboundStreams).toBe(0x7fff_ffff);
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
