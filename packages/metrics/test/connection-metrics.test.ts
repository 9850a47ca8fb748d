import { describe, expect, test } from "@jest/globals";
import { ClientConnection, ConnectionCache, IceRpcError, IceRpcException, OutgoingRequest, Server, ServiceAddress } from "@icerpc-ts/core";
import { clientConnectionMetrics, serverConnectionMetrics } from "../src/index.js";
import { MetricValues } from "./metric-values.js";
import { RecordedObserver } from "./recorded-observer.js";
import { listenAddress, testTransports, transports, type TestTransport } from "./transports.js";

/** A server and a client connection to it, each observed by the connection metrics, over `transport`. */
async function setUp(transport: TestTransport, serverOptions: { maxConnections?: number } = {}) {
  const metrics = new MetricValues();
  const serverEvents = new RecordedObserver(serverConnectionMetrics(metrics));
  const clientEvents = new RecordedObserver(clientConnectionMetrics(metrics));
  const server = new Server({
    dispatcher: () => {
      throw new Error("no dispatch expected");
    },
    serverAddress: listenAddress(transport),
    transports,
    connectionObserver: serverEvents.observer,
    ...serverOptions,
  });
  const serverAddress = await server.listen();
  const clients: { dispose(): Promise<void> }[] = [];
  const client = (): ClientConnection => {
    const connection = new ClientConnection({ serverAddress, transports, connectionObserver: clientEvents.observer });
    clients.push(connection);
    return connection;
  };
  return {
    metrics,
    server,
    serverAddress,
    serverEvents,
    clientEvents,
    client,
    async [Symbol.asyncDispose]() {
      await Promise.all(clients.map((connection) => connection.dispose()));
      await server.dispose();
    },
  };
}

const none = { "active-connections": 0, "pending-connections": 0 };

describe.each(testTransports)("connection metrics over %s", (transport) => {
  test("a connection pending, then active, then shut down gracefully, on both sides", async () => {
    await using peers = await setUp(transport);
    const connection = peers.client();
    const connecting = connection.connect();
    expect(await peers.metrics.of("IceRpc.Client")).toEqual({ "pending-connections": 1, "total-connections": 1 });
    await connecting;
    await peers.serverEvents.when("connected");
    const active = { "active-connections": 1, "pending-connections": 0, "total-connections": 1 };
    expect(await peers.metrics.of("IceRpc.Client")).toEqual(active);
    expect(await peers.metrics.of("IceRpc.Server")).toEqual(active);

    await connection.shutdown();
    await Promise.all([peers.clientEvents.when("closed"), peers.serverEvents.when("closed")]);
    expect(await peers.metrics.of("IceRpc.Client")).toEqual({ ...none, "total-connections": 1 });
    expect(await peers.metrics.of("IceRpc.Server")).toEqual({ ...none, "total-connections": 1 });
    expect(peers.clientEvents.events).toEqual(["connectStarted", "connected", "closed"]);
    expect(peers.serverEvents.events).toEqual(["connectStarted", "connected", "closed"]);
  });

  test("a connection disposed without a graceful shutdown counts as failed on both sides", async () => {
    await using peers = await setUp(transport);
    const connection = peers.client();
    await connection.connect();
    await peers.serverEvents.when("connected");
    await connection.dispose();
    await peers.serverEvents.when("closed with error");
    const failed = { ...none, "total-connections": 1, "total-failed-connections": 1 };
    expect(await peers.metrics.of("IceRpc.Client")).toEqual(failed);
    expect(await peers.metrics.of("IceRpc.Server")).toEqual(failed);
    expect(peers.clientEvents.events).toEqual(["connectStarted", "connected", "closed with error"]);
  });

  test("a client that cannot connect counts a failed connection, and reconnects as a new one", async () => {
    await using peers = await setUp(transport);
    const connection = peers.client();
    await peers.server.dispose();
    await expect(connection.connect()).rejects.toMatchObject({ error: IceRpcError.ConnectionRefused });
    expect(await peers.metrics.of("IceRpc.Client")).toEqual({
      "pending-connections": 0,
      "total-connections": 1,
      "total-failed-connections": 1,
    });
    await expect(connection.connect()).rejects.toBeInstanceOf(IceRpcException);
    expect(await peers.metrics.of("IceRpc.Client")).toEqual({
      "pending-connections": 0,
      "total-connections": 2,
      "total-failed-connections": 2,
    });
    expect(peers.clientEvents.events).toEqual(["connectStarted", "connectFailed", "connectStarted", "connectFailed"]);
  });

  test("a connection the server refuses for its connection limit is a failed server connection", async () => {
    await using peers = await setUp(transport, { maxConnections: 1 });
    await peers.client().connect();
    await expect(peers.client().connect()).rejects.toMatchObject({ error: IceRpcError.ServerBusy });
    await peers.serverEvents.when("connectFailed");
    expect(await peers.metrics.of("IceRpc.Server")).toEqual({
      "active-connections": 1,
      "pending-connections": 0,
      "total-connections": 2,
      "total-failed-connections": 1,
    });
  });

  test("a connection cache reports each connection it creates", async () => {
    await using peers = await setUp(transport);
    const metrics = new MetricValues();
    const events = new RecordedObserver(clientConnectionMetrics(metrics));
    const cache = new ConnectionCache({ transports, connectionObserver: events.observer });
    try {
      const response = await cache.invoke(
        new OutgoingRequest(new ServiceAddress({ path: "/test", serverAddress: peers.serverAddress }), { operation: "x" }),
      );
      await response.payload.readAll();
      expect(await metrics.of("IceRpc.Client")).toEqual({ "active-connections": 1, "pending-connections": 0, "total-connections": 1 });
      await cache.shutdown();
      await events.when("closed");
      expect(await metrics.of("IceRpc.Client")).toEqual({ ...none, "total-connections": 1 });
    } finally {
      await cache.dispose();
    }
  });

  test("an observer that throws does not disturb the connection", async () => {
    await using peers = await setUp(transport);
    const connection = new ClientConnection({
      serverAddress: peers.serverAddress,
      transports,
      connectionObserver: {
        connectStarted() {
          throw new Error("observer bug");
        },
        connected() {
          throw new Error("observer bug");
        },
      },
    });
    try {
      await connection.connect();
      await connection.shutdown();
    } finally {
      await connection.dispose();
    }
  });
});
