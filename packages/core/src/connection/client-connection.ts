import { waitAbortable } from "@icerpc-ts/primitives";
import { ServerAddress, toServerAddress } from "../address/server-address.js";
import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { InvalidOperationError } from "../errors/usage-errors.js";
import type { IncomingResponse } from "../invocation/incoming-response.js";
import type { Invoker } from "../invocation/invoker.js";
import type { OutgoingRequest } from "../invocation/outgoing-request.js";
import type { TransportConnectionInformation } from "../transport/multiplexed-connection.js";
import type { TransportRegistry } from "../transport/transport-registry.js";
import { ClientProtocolConnectionFactory } from "./client-protocol-connection-factory.js";
import type { ConnectionObserver } from "./connection-observer.js";
import type { ConnectionOptionsInit } from "./connection-options.js";
import { DetachedConnections } from "./detached-connections.js";
import type { ProtocolConnection } from "./protocol-connection.js";
import { type ConnectionOwner, invokeRetryingRefusals, retryRefusedInvocation } from "./refused-invocation-retry.js";
import { ShutdownThenDispose } from "./shutdown-then-dispose.js";

/** The options of a {@link ClientConnection}: its server and transports, and the options of its connections. */
export interface ClientConnectionOptions extends ConnectionOptionsInit {
  /** The server to connect to, e.g. `icerpc://localhost:4062?transport=tcp-yamux`. */
  readonly serverAddress: string | ServerAddress;
  /** The transports the application installed; the server address picks one. */
  readonly transports: TransportRegistry;
  /** Milliseconds allowed to connect (transport handshake and icerpc Settings). Default 10 s. */
  readonly connectTimeout?: number;
  /** Milliseconds allowed for a graceful shutdown before the connection is disposed. Default 10 s. */
  readonly shutdownTimeout?: number;
  /** Told when each connection (first or reconnection) starts connecting, connects, fails and closes. */
  readonly connectionObserver?: ConnectionObserver;
}

const optionalTransport = { optionalTransport: true } as const;

interface ActiveConnection {
  readonly connection: ProtocolConnection;
  readonly connected: Promise<TransportConnectionInformation>;
  /** `connected` resolved: invocations need not wait for it. */
  isConnected: boolean;
  detached: boolean;
}

/**
 * A client's connection to one server: connects on first use (or explicitly), reconnects after the server shut the
 * connection down or it failed, and transparently retries invocations the connection refused before sending them.
 */
export class ClientConnection implements Invoker, AsyncDisposable {
  readonly serverAddress: ServerAddress;
  readonly #factory: ClientProtocolConnectionFactory;
  #active: ActiveConnection | undefined;
  /** Connections being shut down or disposed in the background. */
  readonly #detached: DetachedConnections;
  readonly #closing = new ShutdownThenDispose("client connection", () => this.#shutdown(), () => this.#dispose());

  constructor(options: ClientConnectionOptions) {
    const serverAddress = toServerAddress(options.serverAddress);
    // Fails now, not at first use, when the transport is not installed. The address records the transport it
    // resolved to, so that a request naming another transport is not mistaken for one to this server.
    const transport = options.transports.clientTransport(serverAddress.transport);
    this.serverAddress = new ServerAddress({ ...serverAddress, transport: transport.name });
    this.#factory = new ClientProtocolConnectionFactory(options);
    this.#detached = new DetachedConnections();
  }

  /**
   * Connects, or returns the current connection's information. After the connection was shut down or lost, connects
   * again. Rejects with a `TimeoutError` DOMException when `connectTimeout` expires.
   */
  async connect(signal?: AbortSignal): Promise<TransportConnectionInformation> {
    return waitAbortable(this.#getActive().connected, signal);
  }

  invoke(request: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse> {
    try {
      this.#checkServerAddress(request);
    } catch (error) {
      return Promise.reject(error);
    }
    const active = this.#active;
    if (active?.isConnected && !active.detached && !this.#closing.isClosing) {
      // The usual case: the connection is ready, so the invocation need not wait for it (fewer promises per call).
      return active.connection
        .invoke(request, signal)
        .catch((error: unknown) => retryRefusedInvocation(error, active, this.#connectionOwner(signal), request, signal));
    }
    return invokeRetryingRefusals(this.#connectionOwner(signal), request, signal);
  }

  #connectionOwner(signal: AbortSignal | undefined): ConnectionOwner<ActiveConnection> {
    return {
      next: async () => {
        const active = this.#getActive();
        await waitAbortable(active.connected, signal);
        return active;
      },
      detach: (active) => this.#detach(active),
      isClosing: () => this.#closing.isClosing,
    };
  }

  /**
   * Shuts down the connection gracefully (within `shutdownTimeout`, after which it is disposed); later invocations
   * fail. Rejects when the graceful shutdown failed, e.g. with a `TimeoutError` DOMException. When `signal` aborts
   * first, the shutdown is cut short: the client connection is disposed and the promise rejects with the signal's
   * reason. Once only.
   */
  shutdown(signal?: AbortSignal): Promise<void> {
    return this.#closing.shutdown(signal);
  }

  async #shutdown(): Promise<void> {
    const active = this.#active;
    this.#active = undefined;
    // The application's shutdown reports the failure of its connection, not of those closing in the background.
    const shutdown = active !== undefined && !active.detached ? this.#close(active) : undefined;
    await this.#detached.settled();
    await shutdown;
  }

  /** Disposes the connection, whatever it was doing, and those still closing. Idempotent. */
  dispose(): Promise<void> {
    return this.#closing.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  async #dispose(): Promise<void> {
    const active = this.#active;
    this.#active = undefined;
    await Promise.allSettled([active?.connection.dispose(), this.#detached.dispose()]);
  }

  #getActive(): ActiveConnection {
    this.#closing.throwIfDisposed();
    if (this.#closing.isShutDown) {
      throw new IceRpcException(IceRpcError.InvocationRefused, "The client connection was shut down.");
    }
    if (this.#active !== undefined) {
      return this.#active;
    }
    const connection = this.#factory.createConnection(this.serverAddress);
    const connected = connection.connect().then(
      ({ transportConnectionInformation, shutdownRequested }) => {
        void shutdownRequested.then(() => this.#detach(active));
        active.isConnected = true;
        return transportConnectionInformation;
      },
      (error: unknown) => {
        // A failed attempt is dropped so that the next call tries again.
        this.#detach(active);
        throw error;
      },
    );
    // Callers that gave up waiting must not leave this rejection unhandled.
    connected.catch(() => {});
    const active: ActiveConnection = { connection, connected, isConnected: false, detached: false };
    this.#active = active;
    return active;
  }

  /** Stops using `active`: shuts it down (or disposes it if it never connected) in the background. */
  #detach(active: ActiveConnection): void {
    if (this.#active === active) {
      this.#active = undefined;
    }
    if (!active.detached) {
      void this.#close(active);
    }
  }

  #close(active: ActiveConnection): Promise<void> {
    active.detached = true;
    return this.#detached.close(active.connection, active.connected);
  }

  #checkServerAddress(request: OutgoingRequest): void {
    const { serverAddress, altServerAddresses } = request.serviceAddress;
    if (serverAddress === undefined) {
      return;
    }
    // The main address first, without an array or closure: it is nearly always the match.
    const matches = (address: ServerAddress): boolean => address.equals(this.serverAddress, optionalTransport);
    if (!matches(serverAddress) && !altServerAddresses.some(matches)) {
      throw new InvalidOperationError(
        `Cannot send a request for '${request.serviceAddress}' over the connection to ` +
          `'${this.serverAddress}': none of its server addresses match. Use a ConnectionCache to reach several servers.`,
      );
    }
  }
}
