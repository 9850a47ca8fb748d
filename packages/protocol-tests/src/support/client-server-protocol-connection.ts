import { IceRpcProtocolConnection, resolveConnectionOptions } from "@icerpc-ts/core/internal";
import { Router, type ConnectionOptions, type ConnectResult } from "@icerpc-ts/core";
import type { Listener, MultiplexedConnectionOptions } from "@icerpc-ts/core/transport";

import type { FaultyConnection } from "../faulty-transport/faulty-connection.js";
import type { FaultyTransports, ProtocolFixture, TransportFaults } from "./protocol-fixture.js";

/** Options of a {@link ClientServerProtocolConnection}. Both sides dispatch with a NotFound router by default. */
export interface ProtocolConnectionPairOptions {
  readonly client?: Partial<ConnectionOptions>;
  readonly server?: Partial<ConnectionOptions>;
  readonly faults?: TransportFaults;
}

/** Both sides' connect results. */
export interface ConnectResults {
  readonly client: ConnectResult;
  readonly server: ConnectResult;
}

/**
 * A client `IceRpcProtocolConnection` and, once accepted, the server one at the other end, over faulty transports
 * (IceRPC C#'s `ClientServerProtocolConnection`). The client protocol connection connects its transport connection
 * itself; the server side is accepted and its transport connected first, as a `Server` does.
 */
export class ClientServerProtocolConnection {
  readonly client: IceRpcProtocolConnection;
  readonly transports: FaultyTransports;
  readonly listener: Listener;
  readonly #serverOptions: ConnectionOptions;
  #server: IceRpcProtocolConnection | undefined;

  static async create(fixture: ProtocolFixture, options: ProtocolConnectionPairOptions = {}): Promise<ClientServerProtocolConnection> {
    const transports = fixture.createTransports(options.faults);
    const clientOptions = withDefaultDispatcher(options.client);
    const serverOptions = withDefaultDispatcher(options.server);
    const listener = fixture.track(await transports.server.listen(fixture.listenAddress(), transportOptionsFor(serverOptions)));
    const clientTransportConnection = transports.client.createConnection(listener.address, transportOptionsFor(clientOptions));
    const client = new IceRpcProtocolConnection(clientTransportConnection, {
      isServer: false,
      options: clientOptions,
      transportName: transports.client.name,
    });
    return fixture.track(new ClientServerProtocolConnection(transports, listener, client, serverOptions));
  }

  private constructor(
    transports: FaultyTransports,
    listener: Listener,
    client: IceRpcProtocolConnection,
    serverOptions: ConnectionOptions,
  ) {
    this.transports = transports;
    this.listener = listener;
    this.client = client;
    this.#serverOptions = serverOptions;
  }

  /** The server protocol connection, once `acceptServer` accepted it. */
  get server(): IceRpcProtocolConnection {
    if (this.#server === undefined) {
      throw new Error("The server connection does not exist yet: call connect or acceptServer first.");
    }
    return this.#server;
  }

  /** The client's transport connection. */
  get clientConnection(): FaultyConnection {
    return this.transports.client.connections.last;
  }

  /** The server's transport connection, once accepted. */
  get serverConnection(): FaultyConnection {
    return this.transports.server.connections.last;
  }

  /** Accepts the server's transport connection, connects it, then connects the server protocol connection. */
  async acceptServer(signal?: AbortSignal): Promise<ConnectResult> {
    const { connection } = await this.listener.accept(signal);
    let information;
    try {
      information = await connection.connect(signal);
    } catch (error) {
      await connection.dispose();
      throw error;
    }
    this.#server = new IceRpcProtocolConnection(connection, {
      isServer: true,
      options: this.#serverOptions,
      transportName: this.transports.server.name,
      transportInformation: information,
    });
    return this.#server.connect(signal);
  }

  /**
   * Connects the client while accepting the server. When the server side fails, the client is disposed (so that its
   * connect does not hang) and the server's failure is reported.
   */
  async connect(signal?: AbortSignal): Promise<ConnectResults> {
    const client = this.client.connect(signal);
    let server: ConnectResult;
    try {
      server = await this.acceptServer(signal);
    } catch (error) {
      await this.client.dispose();
      await client.catch(() => {});
      throw error;
    }
    return { client: await client, server };
  }

  async dispose(): Promise<void> {
    await this.client.dispose();
    await this.#server?.dispose();
  }
}

function withDefaultDispatcher(options: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return resolveConnectionOptions({ dispatcher: new Router(), ...options });
}

/** The stream limits a connection with `options` advertises, as the core's connection owners compute them. */
export function transportOptionsFor(options: ConnectionOptions, handshakeTimeout = 10_000): MultiplexedConnectionOptions {
  const dispatches = options.dispatcher !== undefined;
  return {
    maxBidirectionalStreams: dispatches ? options.maxBidirectionalStreams : 0,
    maxUnidirectionalStreams: dispatches ? options.maxUnidirectionalStreams + 1 : 1,
    handshakeTimeout,
  };
}

/** Shuts `connection` down once it asks for it, ignoring the outcome (IceRPC C#'s `ShutdownWhenRequestedAsync`). */
export async function shutdownWhenRequested(connection: IceRpcProtocolConnection, connectResult: ConnectResult): Promise<void> {
  await connectResult.shutdownRequested;
  await connection.shutdown().catch(() => {});
}

/** A connected pair: the fixture and both sides' connect results. */
export interface ConnectedPair extends ConnectResults {
  readonly sut: ClientServerProtocolConnection;
}

/** Creates a {@link ClientServerProtocolConnection} and connects both sides. */
export async function connectPair(fixture: ProtocolFixture, options: ProtocolConnectionPairOptions = {}): Promise<ConnectedPair> {
  const sut = await ClientServerProtocolConnection.create(fixture, options);
  return { sut, ...(await sut.connect()) };
}
