// The transport and listener of the memory transport: options, addressing, the namespace of listener names, the
// listener's life cycle and the connection handshake.
import { afterEach, describe, expect, jest, test } from "@jest/globals";
import { IceRpcError, InvalidOperationError, ObjectDisposedError } from "@icerpc-ts/core";
import {
  defaultMultiplexedConnectionOptions,
  type Listener,
  type MultiplexedConnection,
  type MultiplexedConnectionOptions,
  type TransportAddress,
} from "@icerpc-ts/core/transport";

import { defaultStreamWindowSize, MemoryTransport } from "../src/index.js";

const options = defaultMultiplexedConnectionOptions;

function address(host: string, extra: Partial<TransportAddress> = {}): TransportAddress {
  return { host, port: 4062, transport: "memory", params: {}, ...extra };
}

function iceRpcError(error: IceRpcError): unknown {
  return expect.objectContaining({ name: "IceRpcException", error });
}

/** What a test created; disposed after each test, so that a failing test leaves no handshake timer behind. */
const created: { dispose(): Promise<void> }[] = [];

function track<T extends { dispose(): Promise<void> }>(disposable: T): T {
  created.push(disposable);
  return disposable;
}

afterEach(async () => {
  jest.useRealTimers();
  for (const disposable of created.splice(0)) {
    await disposable.dispose();
  }
});

async function listen(
  transport: MemoryTransport,
  name: string,
  listenOptions: MultiplexedConnectionOptions = options,
): Promise<Listener> {
  return track(await transport.listen(address(name), listenOptions));
}

function createClient(
  transport: MemoryTransport,
  name: string,
  clientOptions: MultiplexedConnectionOptions = options,
): MultiplexedConnection {
  return track(transport.createConnection(address(name), clientOptions));
}

/** Connects a new client to `listener` and accepts and connects its server end. */
async function connectPair(
  transport: MemoryTransport,
  listener: Listener,
  clientOptions: MultiplexedConnectionOptions = options,
): Promise<{ client: MultiplexedConnection; server: MultiplexedConnection }> {
  const client = createClient(transport, listener.address.host, clientOptions);
  const clientConnect = client.connect();
  const server = track((await listener.accept()).connection);
  await server.connect();
  await clientConnect;
  return { client, server };
}

describe("MemoryTransport options", () => {
  test("the default stream window is 64 KiB", () => {
    expect(defaultStreamWindowSize).toBe(65_536);
  });

  test.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31])(
    "rejects the stream window size %p with a RangeError",
    (streamWindowSize) => {
      expect(() => new MemoryTransport({ streamWindowSize })).toThrow(RangeError);
    },
  );

  test("accepts the smallest and largest stream windows", () => {
    expect(new MemoryTransport({ streamWindowSize: 1 }).name).toBe("memory");
    expect(new MemoryTransport({ streamWindowSize: 2 ** 31 - 1 }).name).toBe("memory");
  });

  test.each<[string, Partial<MultiplexedConnectionOptions>]>([
    ["a negative bidirectional limit", { maxBidirectionalStreams: -1 }],
    ["a fractional unidirectional limit", { maxUnidirectionalStreams: 1.5 }],
    ["a zero handshake timeout", { handshakeTimeout: 0 }],
    ["an infinite handshake timeout", { handshakeTimeout: Number.POSITIVE_INFINITY }],
    ["a NaN handshake timeout", { handshakeTimeout: Number.NaN }],
  ])("rejects connection options with %s, in createConnection and listen", async (_, override) => {
    const transport = new MemoryTransport();
    const invalid = { ...options, ...override };
    expect(() => transport.createConnection(address("a"), invalid)).toThrow(RangeError);
    await expect(transport.listen(address("a"), invalid)).rejects.toBeInstanceOf(RangeError);
  });
});

describe("MemoryTransport addresses", () => {
  test("an unknown address parameter is a TypeError, thrown by createConnection and rejected by listen", async () => {
    const transport = new MemoryTransport();
    const withParam = address("a", { params: { "unknown-parameter": "foo" } });
    expect(() => transport.createConnection(withParam, options)).toThrow(TypeError);
    await expect(transport.listen(withParam, options)).rejects.toBeInstanceOf(TypeError);
  });

  test("an address for another transport or without a name is a TypeError", async () => {
    const transport = new MemoryTransport();
    expect(() => transport.createConnection(address("a", { transport: "quic" }), options)).toThrow(TypeError);
    await expect(transport.listen(address(""), options)).rejects.toBeInstanceOf(TypeError);
  });

  test("an address without a transport name is accepted", async () => {
    const { transport: _, ...withoutTransport } = address("a");
    const listener = track(await new MemoryTransport().listen(withoutTransport, options));
    expect(listener.address).toEqual(withoutTransport);
  });

  test("the listener keeps the given address, port 0 included", async () => {
    const listener = track(await new MemoryTransport().listen(address("a", { port: 0 }), options));
    expect(listener.address).toEqual(address("a", { port: 0 }));
  });

  test("a client reaches the listener of its name whatever the port", async () => {
    const transport = new MemoryTransport();
    const listener = track(await transport.listen(address("a", { port: 0 }), options));
    const client = track(transport.createConnection(address("a", { port: 9 }), options));
    const clientConnect = client.connect();
    await track((await listener.accept()).connection).connect();
    expect((await clientConnect).remoteNetworkAddress).toEqual({ host: "a", port: 9 });
  });
});

describe("MemoryTransport namespace", () => {
  test("listening twice on a name fails with AddressInUse; other names and other instances are free", async () => {
    const transport = new MemoryTransport();
    await listen(transport, "a");
    await expect(transport.listen(address("a", { port: 1 }), options)).rejects.toEqual(
      iceRpcError(IceRpcError.AddressInUse),
    );
    expect((await listen(transport, "b")).address.host).toBe("b");
    expect((await listen(new MemoryTransport(), "a")).address.host).toBe("a");
  });

  test("a client cannot reach a listener of another instance: ConnectionRefused", async () => {
    await listen(new MemoryTransport(), "a");
    const client = createClient(new MemoryTransport(), "a");
    await expect(client.connect()).rejects.toEqual(iceRpcError(IceRpcError.ConnectionRefused));
  });

  test("connecting to a name nobody listens on fails with ConnectionRefused", async () => {
    const client = createClient(new MemoryTransport(), "nobody");
    await expect(client.connect()).rejects.toEqual(iceRpcError(IceRpcError.ConnectionRefused));
  });
});

describe("MemoryListener", () => {
  test("dispose rejects the pending accept and later ones with ObjectDisposedError", async () => {
    const listener = await listen(new MemoryTransport(), "a");
    const accept = listener.accept();
    await listener.dispose();
    await expect(accept).rejects.toBeInstanceOf(ObjectDisposedError);
    await expect(listener.accept()).rejects.toBeInstanceOf(ObjectDisposedError);
    await listener.dispose(); // idempotent
  });

  test("after dispose, clients are refused and the name is free again", async () => {
    const transport = new MemoryTransport();
    await (await listen(transport, "a")).dispose();
    await expect(createClient(transport, "a").connect()).rejects.toEqual(iceRpcError(IceRpcError.ConnectionRefused));
    expect((await listen(transport, "a")).address.host).toBe("a");
  });

  test("dispose refuses the clients it did not accept yet", async () => {
    const transport = new MemoryTransport();
    const listener = await listen(transport, "a");
    const connect = createClient(transport, "a").connect();
    await Promise.resolve(); // the client reaches the listener's backlog one microtask after connect
    await listener.dispose();
    await expect(connect).rejects.toEqual(iceRpcError(IceRpcError.ConnectionRefused));
  });

  test("dispose does not affect accepted connections, connected or not", async () => {
    const transport = new MemoryTransport();
    const listener = await listen(transport, "a");
    const { client, server } = await connectPair(transport, listener);
    const late = createClient(transport, "a");
    const lateConnect = late.connect();
    const lateServer = track((await listener.accept()).connection);
    await listener.dispose();
    await lateServer.connect();
    await lateConnect;

    const stream = await client.createStream(false);
    stream.output.write(new Uint8Array([1, 2, 3]));
    await stream.output.end();
    const accepted = await server.acceptStream();
    expect(await accepted.input.read()).toEqual(new Uint8Array([1, 2, 3]));
    expect(await accepted.input.read()).toBeNull();
  });

  test("an accept aborted by its signal is transient", async () => {
    const transport = new MemoryTransport();
    const listener = await listen(transport, "a");
    const controller = new AbortController();
    const aborted = listener.accept(controller.signal);
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    await expect(listener.accept(AbortSignal.abort(new Error("already")))).rejects.toThrow("already");
    await connectPair(transport, listener);
  });
});

describe("MemoryConnection handshake", () => {
  test("the client's connect resolves once the server's connect ran; both report distinct addresses", async () => {
    const transport = new MemoryTransport();
    const listener = await listen(transport, "server");
    const client1 = createClient(transport, "server");
    const client2 = createClient(transport, "server");
    let serverConnectCalled = false;
    const client1Connect = client1.connect().then((information) => {
      expect(serverConnectCalled).toBe(true);
      return information;
    });
    const client2Connect = client2.connect();
    const accepted1 = await listener.accept();
    const accepted2 = await listener.accept();
    track(accepted1.connection);
    track(accepted2.connection);
    serverConnectCalled = true;
    const server1Information = await accepted1.connection.connect();
    await accepted2.connection.connect();

    expect(await client1Connect).toMatchObject({
      localNetworkAddress: { host: "client-1", port: 0 },
      remoteNetworkAddress: { host: "server", port: 4062 },
    });
    expect((await client2Connect).localNetworkAddress).toEqual({ host: "client-2", port: 0 });
    expect(accepted1.remoteNetworkAddress).toEqual({ host: "client-1", port: 0 });
    expect(accepted2.remoteNetworkAddress).toEqual({ host: "client-2", port: 0 });
    expect(server1Information).toMatchObject({
      localNetworkAddress: { host: "server", port: 4062 },
      remoteNetworkAddress: { host: "client-1", port: 0 },
    });
  });

  test("the handshake timeout rejects connect with a TimeoutError and withdraws the attempt from the backlog", async () => {
    jest.useFakeTimers({ doNotFake: ["queueMicrotask", "nextTick", "setImmediate"] });
    const transport = new MemoryTransport();
    const listener = await listen(transport, "a");
    const lateConnect = createClient(transport, "a", { ...options, handshakeTimeout: 50 }).connect();
    await Promise.resolve(); // the client reaches the listener's backlog
    jest.advanceTimersByTime(50);
    await expect(lateConnect).rejects.toBeInstanceOf(DOMException);
    await expect(lateConnect).rejects.toMatchObject({ name: "TimeoutError" });

    // The next accept gets the next client, not the abandoned one.
    const client = createClient(transport, "a");
    const clientConnect = client.connect();
    const accepted = await listener.accept();
    expect(accepted.remoteNetworkAddress.host).toBe("client-2");
    await track(accepted.connection).connect();
    await clientConnect;
    expect(jest.getTimerCount()).toBe(0); // every handshake timer was cleared
  });

  test("a connect aborted by its signal rejects with the reason; the server's connect then fails", async () => {
    const transport = new MemoryTransport();
    const listener = await listen(transport, "a");
    const client = createClient(transport, "a");
    const controller = new AbortController();
    const connect = client.connect(controller.signal);
    const server = track((await listener.accept()).connection);
    controller.abort(new Error("give up"));
    await expect(connect).rejects.toThrow("give up");
    await expect(server.connect()).rejects.toEqual(iceRpcError(IceRpcError.ConnectionAborted));
    await expect(createClient(transport, "a").connect(AbortSignal.abort(new Error("early")))).rejects.toThrow("early");
  });

  test("dispose during connect rejects it with ObjectDisposedError; the server sees ConnectionAborted", async () => {
    const transport = new MemoryTransport();
    const listener = await listen(transport, "a");
    const client = createClient(transport, "a");
    const connect = client.connect();
    const server = track((await listener.accept()).connection);
    await client.dispose();
    await expect(connect).rejects.toBeInstanceOf(ObjectDisposedError);
    await expect(client.connect()).rejects.toBeInstanceOf(ObjectDisposedError);
    await expect(server.connect()).rejects.toEqual(iceRpcError(IceRpcError.ConnectionAborted));
  });

  test("a server connect in progress fails with ConnectionAborted when the client goes away", async () => {
    const transport = new MemoryTransport();
    const listener = await listen(transport, "a");
    const client = createClient(transport, "a");
    const clientConnect = client.connect();
    const server = track((await listener.accept()).connection);
    const serverConnect = server.connect();
    await client.dispose(); // before the server's answer reaches the client
    await expect(clientConnect).rejects.toBeInstanceOf(ObjectDisposedError);
    await expect(serverConnect).rejects.toEqual(iceRpcError(IceRpcError.ConnectionAborted));
  });

  test("connect twice, and streams before connect, are usage errors", async () => {
    const transport = new MemoryTransport();
    const listener = await listen(transport, "a");
    const client = createClient(transport, "a");
    await expect(client.createStream(true)).rejects.toBeInstanceOf(InvalidOperationError);
    await expect(client.acceptStream()).rejects.toBeInstanceOf(InvalidOperationError);
    await expect(client.close(0)).rejects.toBeInstanceOf(InvalidOperationError);
    const connect = client.connect();
    await expect(client.connect()).rejects.toBeInstanceOf(InvalidOperationError);
    await track((await listener.accept()).connection).connect();
    await connect;
  });

  test("each side grants the stream limits of its own options", async () => {
    const transport = new MemoryTransport();
    const listener = await listen(transport, "a", { ...options, maxBidirectionalStreams: 0, maxUnidirectionalStreams: 1 });
    const { client, server } = await connectPair(transport, listener, {
      ...options,
      maxBidirectionalStreams: 1,
      maxUnidirectionalStreams: 0,
    });
    // The server grants the client one unidirectional stream and no bidirectional one; the client grants the
    // server one bidirectional stream and no unidirectional one. The blocked creates wait until the close.
    await client.createStream(false);
    await server.createStream(true);
    const clientBidirectional = client.createStream(true);
    const serverUnidirectional = server.createStream(false);
    await client.close(0);
    await expect(clientBidirectional).rejects.toEqual(iceRpcError(IceRpcError.OperationAborted));
    await expect(serverUnidirectional).rejects.toEqual(iceRpcError(IceRpcError.ConnectionClosedByPeer));
  });
});
