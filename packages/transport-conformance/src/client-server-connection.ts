import type {
  Listener,
  MultiplexedClientTransport,
  MultiplexedConnection,
  MultiplexedConnectionOptions,
  MultiplexedServerTransport,
  MultiplexedStream,
  TransportConnectionInformation,
} from "@icerpc-ts/core/transport";

import { describeValue } from "./operation-outcomes.js";
import { disposeAll, type AsyncResource } from "./dispose-all.js";
import type { TransportUnderTest } from "./transport-under-test.js";

/** The two ends of one stream: the one that created it and the one the peer accepted. */
export interface LocalAndRemoteStreams {
  readonly local: MultiplexedStream;
  readonly remote: MultiplexedStream;
}

/** The byte `createAndAcceptStream` sends so that the peer learns of the stream. */
export const streamOpeningByte = 0xff;

/**
 * A listener, a client connection to it and, once accepted, the server connection at the other end: what almost
 * every conformance test works on. Disposing it disposes the connections, then the listener.
 */
export class ClientServerConnection implements AsyncResource {
  /** The options the listener, and unless told otherwise the client connection, were created with. */
  readonly options: MultiplexedConnectionOptions;
  readonly clientTransport: MultiplexedClientTransport;
  readonly serverTransport: MultiplexedServerTransport;
  readonly listener: Listener;
  /** The client connection, not connected until `acceptAndConnect`. */
  readonly client: MultiplexedConnection;
  #server: MultiplexedConnection | undefined;
  #disposal: Promise<void> | undefined;

  /** Listens with fresh transports of `transport` and creates a client connection to the listener. */
  static async listen(
    transport: TransportUnderTest,
    options: MultiplexedConnectionOptions,
    clientOptions: MultiplexedConnectionOptions = options,
  ): Promise<ClientServerConnection> {
    const { client, server } = transport.createTransports();
    const listener = await server.listen(transport.listenAddress(), options);
    let clientConnection: MultiplexedConnection;
    try {
      clientConnection = client.createConnection(listener.address, clientOptions);
    } catch (error) {
      await listener.dispose();
      throw error;
    }
    return new ClientServerConnection(options, client, server, listener, clientConnection);
  }

  private constructor(
    options: MultiplexedConnectionOptions,
    clientTransport: MultiplexedClientTransport,
    serverTransport: MultiplexedServerTransport,
    listener: Listener,
    client: MultiplexedConnection,
  ) {
    this.options = options;
    this.clientTransport = clientTransport;
    this.serverTransport = serverTransport;
    this.listener = listener;
    this.client = client;
  }

  /** The accepted server connection. */
  get server(): MultiplexedConnection {
    if (this.#server === undefined) {
      throw new Error("The server connection does not exist yet: call acceptAndConnect first.");
    }
    return this.#server;
  }

  /**
   * Connects the client while the listener accepts and connects the server connection. When either side fails, the
   * other is aborted so that the failure is reported instead of a hang. Resolves with what each side's `connect`
   * reported.
   */
  async acceptAndConnect(): Promise<{ client: TransportConnectionInformation; server: TransportConnectionInformation }> {
    const controller = new AbortController();
    const acceptAndConnectServer = async (): Promise<TransportConnectionInformation> => {
      const { connection } = await this.listener.accept(controller.signal);
      this.#server = connection;
      return connection.connect(controller.signal);
    };
    const abortOtherSideOnFailure = (error: unknown): never => {
      controller.abort(error);
      throw error;
    };
    const [server, client] = await Promise.all([
      acceptAndConnectServer().catch(abortOtherSideOnFailure),
      this.client.connect(controller.signal).catch(abortOtherSideOnFailure),
    ]);
    return { client, server };
  }

  /**
   * Creates a stream on one connection, sends one byte (0xFF) so that the peer learns of it, accepts it on the other
   * connection and reads that byte there.
   */
  async createAndAcceptStream(
    options: { bidirectional?: boolean; serverInitiated?: boolean } = {},
  ): Promise<LocalAndRemoteStreams> {
    const creator = options.serverInitiated === true ? this.server : this.client;
    const acceptor = options.serverInitiated === true ? this.client : this.server;
    const local = await creator.createStream(options.bidirectional ?? true);
    local.output.write(Uint8Array.of(streamOpeningByte));
    await local.output.flush();
    const remote = await acceptor.acceptStream();
    const firstChunk = await remote.input.read();
    if (firstChunk?.length !== 1 || firstChunk[0] !== streamOpeningByte) {
      throw new Error(
        `The accepted stream's first read returned ${describeValue(firstChunk)} instead of the byte 0xFF.`,
      );
    }
    return { local, remote };
  }

  /** Disposes the client connection, the server connection and the listener. Idempotent. */
  dispose(): Promise<void> {
    this.#disposal ??= disposeAll([this.client, ...(this.#server ? [this.#server] : []), this.listener]);
    return this.#disposal;
  }
}
