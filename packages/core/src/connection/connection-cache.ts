import { waitAbortable } from "@icerpc-ts/primitives";
import { serverAddressEquals, type ServerAddress } from "../address/server-address.js";
import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { InvalidOperationError, ObjectDisposedError } from "../errors/usage-errors.js";
import { featureKey } from "../features/feature-collection.js";
import type { IncomingResponse } from "../invocation/incoming-response.js";
import type { Invoker } from "../invocation/invoker.js";
import type { OutgoingRequest } from "../invocation/outgoing-request.js";
import type { TransportRegistry } from "../transport/transport-registry.js";
import { checkInteger, resolveConnectionOptions, type ConnectionOptions } from "./connection-options.js";
import {
  connectWithTimeout,
  createClientProtocolConnection,
  invokeRetryingRefusals,
  shutdownThenDispose,
} from "./connection-lifecycle.js";
import type { IceRpcProtocolConnection } from "./icerpc-protocol-connection.js";

/** The server addresses a request may go to, rotated by the connection cache as attempts fail. */
export interface ServerAddressFeature {
  serverAddress: ServerAddress | undefined;
  altServerAddresses: readonly ServerAddress[];
  removedServerAddresses: readonly ServerAddress[];
}

export const serverAddressFeature = featureKey<ServerAddressFeature>("ServerAddressFeature");

export interface ConnectionCacheOptions {
  readonly transports: TransportRegistry;
  /** Options of each connection (a dispatcher here serves callbacks from servers). */
  readonly connectionOptions?: Partial<ConnectionOptions>;
  /** Milliseconds allowed to connect to one server. Default 10 s. */
  readonly connectTimeout?: number;
  /** Milliseconds a graceful shutdown may take before the connection is disposed. Default 10 s. */
  readonly shutdownTimeout?: number;
  /** Use any existing connection to one of the request's servers before connecting to its main one. Default true. */
  readonly preferExistingConnection?: boolean;
}

interface CachedConnection {
  readonly serverAddress: ServerAddress;
  readonly connection: IceRpcProtocolConnection;
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
  readonly #transports: TransportRegistry;
  readonly #options: ConnectionOptions;
  readonly #connectTimeout: number;
  readonly #shutdownTimeout: number;
  readonly #preferExisting: boolean;
  readonly #connections: CachedConnection[] = [];
  readonly #detached = new Set<Promise<void>>();
  #shutdownPromise: Promise<void> | undefined;
  #disposePromise: Promise<void> | undefined;

  constructor(options: ConnectionCacheOptions) {
    this.#transports = options.transports;
    this.#options = resolveConnectionOptions(options.connectionOptions);
    this.#connectTimeout = options.connectTimeout ?? 10_000;
    this.#shutdownTimeout = options.shutdownTimeout ?? 10_000;
    this.#preferExisting = options.preferExistingConnection ?? true;
    checkInteger("connectTimeout", this.#connectTimeout, 1);
    checkInteger("shutdownTimeout", this.#shutdownTimeout, 1);
  }

  async invoke(request: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse> {
    const feature = this.#serverAddressFeatureOf(request);
    return invokeRetryingRefusals(
      {
        next: () => this.#connectionFor(feature, signal),
        detach: (cached) => this.#detach(cached),
        isClosing: () => this.#isClosing(),
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
    if (this.#disposePromise !== undefined) {
      throw new ObjectDisposedError("connection cache");
    }
    if (this.#shutdownPromise !== undefined) {
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
        serverAddressEquals(cached.serverAddress, serverAddress, { optionalTransport: true }),
    );
  }

  #create(serverAddress: ServerAddress): CachedConnection {
    const connection = createClientProtocolConnection(serverAddress, this.#transports, this.#options, this.#connectTimeout);
    const cached: CachedConnection = {
      serverAddress,
      connection,
      isConnected: false,
      detached: false,
      connected: connectWithTimeout(connection, this.#connectTimeout).then(
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

  #detach(cached: CachedConnection): void {
    if (cached.detached) {
      return;
    }
    cached.detached = true;
    this.#connections.splice(this.#connections.indexOf(cached), 1);
    const done = cached.connected.then(
      () => shutdownThenDispose(cached.connection, this.#shutdownTimeout).catch(() => {}),
      () => cached.connection.dispose(),
    );
    this.#detached.add(done);
    void done.finally(() => this.#detached.delete(done));
  }

  #isClosing(): boolean {
    return this.#shutdownPromise !== undefined || this.#disposePromise !== undefined;
  }

  /** Shuts down every connection gracefully; later invocations are refused. */
  shutdown(): Promise<void> {
    if (this.#disposePromise !== undefined) {
      return Promise.reject(new ObjectDisposedError("connection cache"));
    }
    this.#shutdownPromise ??= (async () => {
      for (const cached of [...this.#connections]) {
        this.#detach(cached);
      }
      await Promise.all(this.#detached);
    })();
    return this.#shutdownPromise;
  }

  dispose(): Promise<void> {
    this.#disposePromise ??= (async () => {
      const connections = this.#connections.splice(0);
      await Promise.allSettled(connections.map((cached) => cached.connection.dispose()));
      await Promise.allSettled([this.#shutdownPromise, ...this.#detached]);
    })();
    return this.#disposePromise;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
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
