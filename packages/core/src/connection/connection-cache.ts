import { waitAbortable } from "@icerpc-ts/primitives";
import type { ServerAddress } from "../address/server-address.js";
import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { InvalidOperationError } from "../errors/usage-errors.js";
import { featureKey } from "../features/feature-collection.js";
import type { IncomingResponse } from "../invocation/incoming-response.js";
import type { Invoker } from "../invocation/invoker.js";
import type { OutgoingRequest } from "../invocation/outgoing-request.js";
import type { TransportRegistry } from "../transport/transport-registry.js";
import { ClientProtocolConnectionFactory } from "./client-protocol-connection-factory.js";
import type { ConnectionObserver } from "./connection-observer.js";
import type { ConnectionOptionsInit } from "./connection-options.js";
import { DetachedConnections } from "./detached-connections.js";
import type { ProtocolConnection } from "./protocol-connection.js";
import { invokeRetryingRefusals } from "./refused-invocation-retry.js";
import { ShutdownThenDispose } from "./shutdown-then-dispose.js";

/** The server addresses a request may go to, rotated by the connection cache as attempts fail. */
export interface ServerAddressFeature {
  serverAddress: ServerAddress | undefined;
  altServerAddresses: readonly ServerAddress[];
  removedServerAddresses: readonly ServerAddress[];
}

export const serverAddressFeature = featureKey<ServerAddressFeature>("ServerAddressFeature");

/**
 * The options of a {@link ConnectionCache}: its transports, and the options of its connections (a dispatcher here
 * serves callbacks from servers).
 */
export interface ConnectionCacheOptions extends ConnectionOptionsInit {
  readonly transports: TransportRegistry;
  /** Milliseconds allowed to connect to one server. Default 10 s. */
  readonly connectTimeout?: number;
  /** Milliseconds a graceful shutdown may take before the connection is disposed. Default 10 s. */
  readonly shutdownTimeout?: number;
  /** Use any existing connection to one of the request's servers before connecting to its main one. Default true. */
  readonly preferExistingConnection?: boolean;
  /** Told when each connection the cache creates starts connecting, connects, fails and closes. */
  readonly connectionObserver?: ConnectionObserver;
}

interface CachedConnection {
  readonly serverAddress: ServerAddress;
  readonly connection: ProtocolConnection;
  readonly connected: Promise<void>;
  isConnected: boolean;
  detached: boolean;
}

/** The failures after which the cache tries the request's next server address. */
const failoverErrors = new Set([
  IceRpcError.ConnectionAborted,
  IceRpcError.ConnectionRefused,
  IceRpcError.ServerBusy,
  IceRpcError.ServerUnreachable,
]);

function isFailover(error: unknown): boolean {
  return (
    (error instanceof DOMException && error.name === "TimeoutError") ||
    (error instanceof IceRpcException && failoverErrors.has(error.error))
  );
}

/**
 * An invoker that keeps one connection per server address and sends each request to the server its service
 * address names, falling over to the alt-servers when a server refuses, is busy, unreachable or times out.
 */
export class ConnectionCache implements Invoker, AsyncDisposable {
  readonly #factory: ClientProtocolConnectionFactory;
  readonly #preferExisting: boolean;
  readonly #connections: CachedConnection[] = [];
  readonly #detached: DetachedConnections;
  readonly #closing = new ShutdownThenDispose("connection cache", () => this.#shutdown(), () => this.#dispose());

  constructor(options: ConnectionCacheOptions) {
    this.#factory = new ClientProtocolConnectionFactory(options);
    this.#preferExisting = options.preferExistingConnection ?? true;
    this.#detached = new DetachedConnections();
  }

  async invoke(request: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse> {
    const feature = this.#serverAddressFeatureOf(request);
    return invokeRetryingRefusals(
      {
        next: () => this.#connectionFor(feature, signal),
        detach: (cached) => this.#detach(cached),
        isClosing: () => this.#closing.isClosing,
      },
      request,
      signal,
    );
  }

  #serverAddressFeatureOf(request: OutgoingRequest): ServerAddressFeature {
    let feature = request.features.get(serverAddressFeature);
    if (feature === undefined) {
      const { serverAddress, altServerAddresses } = request.serviceAddress;
      if (serverAddress === undefined) {
        throw new InvalidOperationError(
          `Cannot send a request to '${request.serviceAddress}' with a connection cache: the service address has no server address.`,
        );
      }
      feature = { serverAddress, altServerAddresses, removedServerAddresses: [] };
      request.features.set(serverAddressFeature, feature);
    }
    return feature;
  }

  /** An existing connection to one of the servers, or a new one, trying the servers in order. */
  async #connectionFor(feature: ServerAddressFeature, signal: AbortSignal | undefined): Promise<CachedConnection> {
    this.#closing.throwIfDisposed();
    if (this.#closing.isShutDown) {
      throw new IceRpcException(IceRpcError.InvocationRefused, "The connection cache was shut down.");
    }
    if (feature.serverAddress === undefined) {
      throw new IceRpcException(IceRpcError.NoConnection, "The request has no server address left to try.");
    }
    const candidates = [feature.serverAddress, ...feature.altServerAddresses];
    if (this.#preferExisting) {
      for (const [index, candidate] of candidates.entries()) {
        const existing = this.#find(candidate, true);
        if (existing !== undefined) {
          // The request goes to that server: it becomes the main address, as in IceRPC.
          feature.serverAddress = candidate;
          feature.altServerAddresses = candidates.filter((_, i) => i !== index);
          return existing;
        }
      }
    }
    let lastError: unknown;
    for (let attempt = 0; attempt < candidates.length; attempt++) {
      const cached = this.#find(feature.serverAddress!, false) ?? this.#create(feature.serverAddress!);
      try {
        await waitAbortable(cached.connected, signal);
        return cached;
      } catch (error) {
        if (signal?.aborted || !isFailover(error)) {
          throw error;
        }
        lastError = error;
        rotate(feature);
      }
    }
    throw lastError;
  }

  #find(serverAddress: ServerAddress, connectedOnly: boolean): CachedConnection | undefined {
    return this.#connections.find(
      (cached) =>
        !cached.detached &&
        (!connectedOnly || cached.isConnected) &&
        cached.serverAddress.equals(serverAddress, { optionalTransport: true }),
    );
  }

  #create(serverAddress: ServerAddress): CachedConnection {
    const connection = this.#factory.createConnection(serverAddress);
    const cached: CachedConnection = {
      serverAddress,
      connection,
      isConnected: false,
      detached: false,
      connected: connection.connect().then(
        ({ shutdownRequested }) => {
          cached.isConnected = true;
          void shutdownRequested.then(() => this.#detach(cached));
        },
        (error: unknown) => {
          this.#detach(cached);
          throw error;
        },
      ),
    };
    cached.connected.catch(() => {});
    this.#connections.push(cached);
    return cached;
  }

  /** Stops using `cached`: shuts it down (or disposes it if it never connected) in the background. */
  #detach(cached: CachedConnection): void {
    if (!cached.detached) {
      void this.#close(cached);
    }
  }

  #close(cached: CachedConnection): Promise<void> {
    cached.detached = true;
    const index = this.#connections.indexOf(cached);
    if (index >= 0) {
      this.#connections.splice(index, 1);
    }
    return this.#detached.close(cached.connection, cached.connected);
  }

  /**
   * Shuts down every connection gracefully (each within `shutdownTimeout`, after which it is disposed); later
   * invocations are refused. Rejects with the first failure of these graceful shutdowns, e.g. a `TimeoutError`
   * DOMException. When `signal` aborts first, the shutdown is cut short: the cache is disposed and the promise
   * rejects with the signal's reason. Once only.
   */
  shutdown(signal?: AbortSignal): Promise<void> {
    return this.#closing.shutdown(signal);
  }

  async #shutdown(): Promise<void> {
    // The application's shutdown reports the failures of the connections it shuts down, not of those closing in
    // the background.
    const shutdowns = [...this.#connections].map((cached) => this.#close(cached));
    await this.#detached.settled();
    await Promise.all(shutdowns);
  }

  /** Disposes every connection, whatever it was doing. Idempotent. */
  dispose(): Promise<void> {
    return this.#closing.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  async #dispose(): Promise<void> {
    const connections = this.#connections.splice(0);
    await Promise.allSettled([
      ...connections.map((cached) => cached.connection.dispose()),
      this.#detached.dispose(),
    ]);
  }
}

/** Moves the failed main server address to the end, as IceRPC's cache does, so the next attempt tries another. */
function rotate(feature: ServerAddressFeature): void {
  const failed = feature.serverAddress!;
  const [next, ...rest] = feature.altServerAddresses;
  if (next !== undefined) {
    feature.serverAddress = next;
    feature.altServerAddresses = [...rest, failed];
  }
}
