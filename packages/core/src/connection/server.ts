import { AsyncSemaphore, Deadline, runWithSignal } from "@icerpc-ts/primitives";
import { ServerAddress, toServerAddress } from "../address/server-address.js";
import type { DispatchFunction, Dispatcher } from "../dispatch/dispatcher.js";
import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { InvalidOperationError, ObjectDisposedError } from "../errors/usage-errors.js";
import { MultiplexedConnectionCloseError } from "../transport/close-code.js";
import type { MultiplexedConnection } from "../transport/multiplexed-connection.js";
import type { Listener, MultiplexedServerTransport } from "../transport/multiplexed-transport.js";
import type { TransportRegistry } from "../transport/transport-registry.js";
import {
  checkInteger,
  resolveConnectionOptions,
  resolveConnectionTimeouts,
  type ConnectionOptions,
  type ConnectionOptionsInit,
  type ConnectionTimeouts,
} from "./connection-options.js";
import { notifyObserver, type ConnectionObserver } from "./connection-observer.js";
import { DetachedConnections } from "./detached-connections.js";
import { IceRpcProtocolConnection } from "./icerpc/icerpc-protocol-connection.js";
import { multiplexedOptionsFor } from "./multiplexed-options.js";
import { ObservedProtocolConnection } from "./observed-protocol-connection.js";
import type { ProtocolConnection } from "./protocol-connection.js";
import { TimedProtocolConnection } from "./timed-protocol-connection.js";
import { toTransportAddress } from "./to-transport-address.js";
import { ShutdownThenDispose } from "./shutdown-then-dispose.js";

/** The options of a {@link Server}: where it listens and with which transports, and the options of its connections. */
export interface ServerOptions extends ConnectionOptionsInit {
  /** Dispatches the requests of every connection: a dispatcher (e.g. a Router) or a function. */
  readonly dispatcher: Dispatcher | DispatchFunction;
  /** Where to listen; default `icerpc://[::0]` (all interfaces, port 4062). Port 0 picks a free port. */
  readonly serverAddress?: string | ServerAddress;
  /** The transports the application installed; the server address picks one. */
  readonly transports: TransportRegistry;
  /** Milliseconds a new connection has to complete its transport handshake and icerpc Settings. Default 10 s. */
  readonly connectTimeout?: number;
  /** Milliseconds a graceful shutdown may take before connections are disposed. Default 10 s. */
  readonly shutdownTimeout?: number;
  /** Connections above this number are closed with ServerBusy; 0 means no limit. Default 0. */
  readonly maxConnections?: number;
  /** Connections still connecting above this number are not accepted until one finishes. Default 100. */
  readonly maxPendingConnections?: number;
  /**
   * Told when each accepted connection starts connecting, connects, fails (its handshake failed, or it was refused
   * for `maxConnections` or the server's shutdown) and closes.
   */
  readonly connectionObserver?: ConnectionObserver;
}

/**
 * Accepts icerpc connections on one server address and dispatches their requests. `listen` starts it;
 * `shutdown` closes every connection gracefully; `dispose` aborts what is left.
 */
export class Server implements AsyncDisposable {
  readonly #requestedAddress: ServerAddress;
  readonly #transport: MultiplexedServerTransport;
  readonly #connectionOptions: ConnectionOptions;
  readonly #timeouts: ConnectionTimeouts;
  readonly #maxConnections: number;
  readonly #pendingConnections: AsyncSemaphore;
  readonly #observer: ConnectionObserver | undefined;
  #listener: Listener | undefined;
  #listenPromise: Promise<ServerAddress> | undefined;
  #acceptLoop: Promise<void> | undefined;
  readonly #stopAccepting = new AbortController();
  /** Aborted by dispose: cuts short the refusals of connections over the limit. */
  readonly #disposeController = new AbortController();
  /** The icerpc connections in use (connecting or connected). */
  readonly #connections = new Set<ProtocolConnection>();
  /** Connections shutting down (the peer or inactivity asked for it, or the server's shutdown). */
  readonly #detached: DetachedConnections;
  /** Connections in their handshake, with its promise. */
  readonly #connecting = new Set<Promise<void>>();
  readonly #closing = new ShutdownThenDispose("server", () => this.#shutdown(), () => this.#dispose());
  #address: ServerAddress | undefined;

  constructor(options: ServerOptions) {
    this.#requestedAddress = toServerAddress(options.serverAddress ?? "icerpc://[::0]");
    // Fails now, not at listen, when the address names a transport that is not installed.
    this.#transport = options.transports.serverTransport(this.#requestedAddress.transport);
    this.#connectionOptions = resolveConnectionOptions(options);
    this.#timeouts = resolveConnectionTimeouts(options);
    this.#maxConnections = options.maxConnections ?? 0;
    const maxPendingConnections = options.maxPendingConnections ?? 100;
    checkInteger("maxConnections", this.#maxConnections, 0);
    checkInteger("maxPendingConnections", maxPendingConnections, 1);
    this.#pendingConnections = new AsyncSemaphore(maxPendingConnections);
    this.#observer = options.connectionObserver;
    this.#detached = new DetachedConnections();
  }

  /** The address listened on, with an ephemeral port resolved; undefined before `listen`. */
  get serverAddress(): ServerAddress | undefined {
    return this.#address;
  }

  /** Starts listening and accepting connections; resolves with the actual address. Once only. */
  listen(): Promise<ServerAddress> {
    if (this.#closing.isDisposed) {
      return Promise.reject(new ObjectDisposedError("server"));
    }
    if (this.#listenPromise !== undefined || this.#closing.isShutDown) {
      return Promise.reject(new InvalidOperationError("A server listens once: create another server to listen again."));
    }
    this.#listenPromise = this.#listen();
    return this.#listenPromise;
  }

  async #listen(): Promise<ServerAddress> {
    const listener = await this.#transport.listen(
      toTransportAddress(this.#requestedAddress),
      multiplexedOptionsFor(this.#connectionOptions, this.#timeouts.connectTimeout),
    );
    this.#listener = listener;
    const { host, port, params } = listener.address;
    this.#address = new ServerAddress({ ...this.#requestedAddress, host, port, params });
    this.#acceptLoop = this.#accept(listener);
    return this.#address;
  }

  async #accept(listener: Listener): Promise<void> {
    const signal = this.#stopAccepting.signal;
    for (;;) {
      // Above maxPendingConnections, stop accepting: the backlog fills and new clients wait or are refused.
      try {
        await this.#pendingConnections.acquire(signal);
      } catch {
        return; // stopped
      }
      let connection: MultiplexedConnection;
      try {
        ({ connection } = await listener.accept(signal));
      } catch (error) {
        this.#pendingConnections.release();
        if (signal.aborted) {
          return;
        }
        if (error instanceof IceRpcException) {
          // One client's failure (e.g. a reset during accept): keep serving the others, after letting timers and
          // I/O run, so that a listener failing over and over cannot starve the event loop.
          await new Promise((resolve) => setTimeout(resolve, 0));
          continue;
        }
        // The listener itself is broken: close it so that clients are refused instead of left waiting.
        await listener.dispose();
        return;
      }
      const observer = this.#observer;
      if (observer !== undefined) {
        notifyObserver(() => observer.connectStarted?.());
      }
      const connecting = this.#connect(connection).finally(() => {
        this.#pendingConnections.release();
        this.#connecting.delete(connecting);
      });
      this.#connecting.add(connecting);
    }
  }

  /** Completes the handshake of a new connection, then enforces the connection limit before starting icerpc. */
  async #connect(transportConnection: MultiplexedConnection): Promise<void> {
    const connectTimeout = this.#timeouts.connectTimeout;
    let information;
    try {
      const expired = `The transport handshake did not complete within the connect timeout (${connectTimeout} ms).`;
      information = await runWithSignal(new Deadline(connectTimeout, this.#stopAccepting.signal, expired), (signal) =>
        transportConnection.connect(signal),
      );
    } catch (error) {
      this.#connectFailed(error);
      await transportConnection.dispose();
      return;
    }
    const connectionCount = this.#connections.size + this.#detached.size;
    if (this.#stopAccepting.signal.aborted || (this.#maxConnections > 0 && connectionCount >= this.#maxConnections)) {
      const refused = this.#stopAccepting.signal.aborted;
      const code = refused ? MultiplexedConnectionCloseError.Refused : MultiplexedConnectionCloseError.ServerBusy;
      this.#connectFailed(
        refused
          ? new IceRpcException(IceRpcError.ConnectionRefused, "The server refused the connection: it is shutting down.")
          : new IceRpcException(IceRpcError.ServerBusy, `The server refused the connection: it has ${this.#maxConnections} connections.`),
      );
      // The refusal belongs to connection establishment: bounded by the connect timeout, cut short by dispose.
      const expired = `The refusal did not complete within the connect timeout (${connectTimeout} ms).`;
      await runWithSignal(new Deadline(connectTimeout, this.#disposeController.signal, expired), (signal) =>
        transportConnection.close(code, signal),
      ).catch(() => {});
      await transportConnection.dispose();
      return;
    }
    const timed = new TimedProtocolConnection(
      new IceRpcProtocolConnection(transportConnection, {
        isServer: true,
        options: this.#connectionOptions,
        transportName: this.#transport.name,
        transportInformation: information,
      }),
      this.#timeouts,
    );
    // The observer was told this connection started when it was accepted.
    const connection = this.#observer === undefined ? timed : new ObservedProtocolConnection(timed, this.#observer, true);
    this.#connections.add(connection);
    try {
      const { shutdownRequested } = await connection.connect(this.#stopAccepting.signal);
      void shutdownRequested.then(() => this.#retire(connection));
    } catch {
      this.#connections.delete(connection);
      await connection.dispose();
    }
  }

  #connectFailed(error: unknown): void {
    const observer = this.#observer;
    if (observer !== undefined) {
      notifyObserver(() => observer.connectFailed?.(error));
    }
  }

  /** Shuts a connection down in the background (it asked for it: peer GoAway, inactivity, loss). */
  #retire(connection: ProtocolConnection): void {
    if (this.#connections.delete(connection)) {
      void this.#detached.close(connection, Promise.resolve());
    }
  }

  /**
   * Stops accepting connections and shuts every connection down gracefully (each within `shutdownTimeout`, after
   * which it is disposed); connections still in their handshake are refused. Rejects with the first failure of these
   * graceful shutdowns, e.g. a `TimeoutError` DOMException. When `signal` aborts first, the shutdown is cut short:
   * the server is disposed and the promise rejects with the signal's reason. Once only.
   */
  shutdown(signal?: AbortSignal): Promise<void> {
    return this.#closing.shutdown(signal);
  }

  async #shutdown(): Promise<void> {
    this.#stopAccepting.abort();
    await this.#listener?.dispose();
    await this.#acceptLoop;
    await Promise.allSettled(this.#connecting);
    // The application's shutdown reports the failures of the connections it shuts down, not of those the peer or
    // inactivity retired before.
    const shutdowns = [...this.#connections].map((connection) => {
      this.#connections.delete(connection);
      return this.#detached.close(connection, Promise.resolve());
    });
    await this.#detached.settled();
    await Promise.all(shutdowns);
  }

  /** Stops everything at once: the listener, pending handshakes and every connection. Idempotent. */
  dispose(): Promise<void> {
    return this.#closing.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  async #dispose(): Promise<void> {
    this.#stopAccepting.abort();
    this.#disposeController.abort();
    await this.#listener?.dispose();
    await Promise.allSettled([
      ...[...this.#connections].map((connection) => connection.dispose()),
      this.#detached.dispose(),
    ]);
    await Promise.allSettled([this.#acceptLoop, ...this.#connecting]);
  }

  toString(): string {
    return (this.#address ?? this.#requestedAddress).toString();
  }
}
