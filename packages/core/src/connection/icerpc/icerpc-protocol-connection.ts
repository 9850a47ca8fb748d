import { Deferred, SignalLink, waitAbortable } from "@icerpc-ts/primitives";
import { IceRpcError, IceRpcException } from "../../errors/ice-rpc-error.js";
import { InvalidOperationError, ObjectDisposedError } from "../../errors/usage-errors.js";
import type { ConnectionContext } from "../../dispatch/connection-context.js";
import type { IncomingResponse } from "../../invocation/incoming-response.js";
import type { OutgoingRequest } from "../../invocation/outgoing-request.js";
import type { GoAway } from "../../protocol/control-frames.js";
import { MultiplexedConnectionCloseError } from "../../transport/close-code.js";
import type { MultiplexedConnection, TransportConnectionInformation } from "../../transport/multiplexed-connection.js";
import type { ConnectionOptions } from "../connection-options.js";
import type { ConnectResult, ProtocolConnection } from "../protocol-connection.js";
import { BackgroundTasks } from "./background-tasks.js";
import { ConnectionActivity } from "./connection-activity.js";
import type { ConnectedConnection } from "./connected-connection.js";
import { ControlStreams, type PeerHeaderLimit } from "./control-streams.js";
import { Dispatches } from "./dispatches.js";
import { Invocations } from "./invocations.js";

/**
 * The icerpc protocol over a multiplexed transport connection (reference §2): the connection's lifecycle (connect,
 * graceful shutdown, dispose, and when it refuses new invocations), composed of its control streams, its invocation
 * side, its dispatch side and what keeps it busy.
 */
export class IceRpcProtocolConnection implements ProtocolConnection {
  readonly #transport: MultiplexedConnection;
  readonly #transportInformation: TransportConnectionInformation | undefined;
  readonly #transportName: string;
  readonly #isServer: boolean;
  readonly #options: ConnectionOptions;

  readonly #controlStreams: ControlStreams;
  readonly #activity: ConnectionActivity;
  readonly #background = new BackgroundTasks();
  /** Set once connected. */
  #invocations: Invocations | undefined;
  /** Set once connected. */
  #dispatches: Dispatches | undefined;

  /** Aborted by dispose: everything in progress stops with OperationAborted. */
  readonly #disposeController = new AbortController();
  #disposePromise: Promise<void> | undefined;
  #connectPromise: Promise<ConnectResult> | undefined;
  #connectionContext: ConnectionContext | undefined;

  /** Set once new invocations are refused; the error they get. */
  #refusedError: IceRpcException | undefined;
  readonly #shutdownRequested = new Deferred<void>();
  #shutdownPromise: Promise<void> | undefined;
  readonly #closed = new Deferred<Error | undefined>();

  /** Aborted by shutdown and dispose: the peer's new request streams are no longer accepted. */
  readonly #acceptController = new AbortController();
  #acceptLoop: Promise<void> | undefined;
  readonly #peerGoAway = new Deferred<GoAway>();
  #readGoAwayTask: Promise<void> | undefined;

  constructor(
    transport: MultiplexedConnection,
    init: {
      readonly isServer: boolean;
      readonly options: ConnectionOptions;
      /** The name of the transport, reported by the connection context. */
      readonly transportName: string;
      /**
       * Given when the owner already connected `transport` (a server connects it first to enforce its connection
       * limits before icerpc starts).
       */
      readonly transportInformation?: TransportConnectionInformation;
    },
  ) {
    this.#transport = transport;
    this.#transportInformation = init.transportInformation;
    this.#transportName = init.transportName;
    this.#isServer = init.isServer;
    this.#options = init.options;
    this.#controlStreams = new ControlStreams(transport);
    this.#activity = new ConnectionActivity(init.options.inactivityTimeout, () =>
      this.#refuseInvocations("The connection was shut down because it was inactive."),
    );
    // Nobody may be awaiting these; a rejection must not be reported as unhandled.
    this.#peerGoAway.promise.catch(() => {});
  }

  get closed(): Promise<Error | undefined> {
    return this.#closed.promise;
  }

  /** The transport connection information once connected. */
  get transportConnectionInformation(): TransportConnectionInformation | undefined {
    return this.#connectionContext?.transportConnectionInformation;
  }

  connect(signal?: AbortSignal): Promise<ConnectResult> {
    if (this.#disposeController.signal.aborted) {
      return Promise.reject(new ObjectDisposedError("protocol connection"));
    }
    if (this.#connectPromise !== undefined) {
      return Promise.reject(new InvalidOperationError("Cannot connect a protocol connection twice."));
    }
    this.#connectPromise = this.#connect(signal);
    return this.#connectPromise;
  }

  async #connect(signal: AbortSignal | undefined): Promise<ConnectResult> {
    const link = signal === undefined ? undefined : new SignalLink([signal, this.#disposeController.signal]);
    const connectSignal = link?.signal ?? this.#disposeController.signal;
    let connectionContext: ConnectionContext;
    let peerHeaderLimit: PeerHeaderLimit;
    try {
      const information = this.#transportInformation ?? (await this.#transport.connect(connectSignal));
      connectionContext = {
        invoker: this,
        transportConnectionInformation: information,
        transportName: this.#transportName,
        isServer: this.#isServer,
        closed: this.#closed.promise,
      };
      this.#connectionContext = connectionContext;
      peerHeaderLimit = await this.#controlStreams.exchangeSettings(this.#options.maxHeaderSize, connectSignal);
    } catch (error) {
      this.#controlStreams.abort();
      if (this.#disposeController.signal.aborted) {
        throw new IceRpcException(IceRpcError.OperationAborted, "The connection was disposed while connecting.", { cause: error });
      }
      if (signal?.aborted) {
        throw signal.reason;
      }
      throw error;
    } finally {
      link?.dispose();
    }

    const connected: ConnectedConnection = {
      transport: this.#transport,
      connectionContext,
      maxHeaderSize: this.#options.maxHeaderSize,
      peerHeaderLimit,
      activity: this.#activity,
      background: this.#background,
    };
    this.#invocations = new Invocations(connected, (error) => this.#refuseInvocations("The connection was lost.", error));
    this.#dispatches = new Dispatches(connected, this.#options, (error) => this.#connectionLost(error));
    this.#readGoAwayTask = this.#readGoAway();
    this.#acceptLoop = this.#dispatches.accept(this.#acceptController.signal);
    this.#activity.watch();
    return {
      transportConnectionInformation: connectionContext.transportConnectionInformation,
      shutdownRequested: this.#shutdownRequested.promise,
    };
  }

  invoke(request: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse> {
    if (this.#disposeController.signal.aborted) {
      return Promise.reject(new ObjectDisposedError("protocol connection"));
    }
    if (this.#refusedError !== undefined) {
      return Promise.reject(this.#refusedError);
    }
    if (this.#invocations === undefined) {
      return Promise.reject(new InvalidOperationError("Cannot invoke on a protocol connection before it is connected."));
    }
    return this.#invocations.invoke(request, signal);
  }

  /** Refuses new invocations from now on and asks the owner to shut the connection down. */
  #refuseInvocations(message: string, cause?: unknown): void {
    if (this.#refusedError === undefined) {
      this.#refusedError = new IceRpcException(IceRpcError.InvocationRefused, `The invocation was refused: ${message}`, { cause });
      this.#activity.stop();
    }
    this.#shutdownRequested.resolve();
  }

  #connectionLost(error: unknown): void {
    this.#refuseInvocations("The connection was lost.", error);
    this.#closed.resolve(error instanceof Error ? error : new IceRpcException(IceRpcError.ConnectionAborted));
  }

  /** Waits for the peer's GoAway on its control stream, which starts the shutdown of the connection. */
  async #readGoAway(): Promise<void> {
    try {
      const goAway = await this.#controlStreams.readGoAway(this.#disposeController.signal);
      this.#peerGoAway.resolve(goAway);
      this.#refuseInvocations("The peer is shutting down the connection.");
      this.#invocations!.cancelNotAccepted(goAway);
    } catch (error) {
      if (this.#disposeController.signal.aborted) {
        this.#peerGoAway.reject(new IceRpcException(IceRpcError.OperationAborted));
        return;
      }
      this.#peerGoAway.reject(error);
      this.#connectionLost(error);
    }
  }

  shutdown(signal?: AbortSignal): Promise<void> {
    if (this.#disposeController.signal.aborted) {
      return Promise.reject(new ObjectDisposedError("protocol connection"));
    }
    if (this.#invocations === undefined) {
      return Promise.reject(new InvalidOperationError("Cannot shut down a protocol connection that is not connected."));
    }
    if (this.#shutdownPromise !== undefined) {
      return Promise.reject(new InvalidOperationError("Cannot shut down a protocol connection twice."));
    }
    this.#shutdownPromise = this.#shutdown(this.#invocations, this.#dispatches!, signal);
    return this.#shutdownPromise;
  }

  /** The graceful shutdown (reference §2.4). */
  async #shutdown(invocations: Invocations, dispatches: Dispatches, signal: AbortSignal | undefined): Promise<void> {
    const link = signal === undefined ? undefined : new SignalLink([signal, this.#disposeController.signal]);
    const shutdownSignal = link?.signal ?? this.#disposeController.signal;
    this.#refuseInvocations("The connection is shutting down.");
    // Invocations still waiting for a stream were never sent.
    invocations.cancelUnsent(this.#refusedError!);
    try {
      // Stop accepting requests, then tell the peer which streams we did not accept.
      this.#acceptController.abort();
      await this.#acceptLoop;
      await this.#controlStreams.sendGoAway(dispatches.notAcceptedStreamIds(this.#controlStreams.remoteStreamId), shutdownSignal);

      await waitAbortable(this.#peerGoAway.promise, shutdownSignal);
      await waitAbortable(this.#activity.whenIdle(), shutdownSignal);

      // All our streams are done: end our control stream and wait for the peer to end its own.
      await this.#controlStreams.end(shutdownSignal);
      await this.#closeTransport(shutdownSignal);
      this.#closed.resolve(undefined);
    } catch (error) {
      this.#controlStreams.abort();
      if (signal?.aborted) {
        throw signal.reason;
      }
      if (this.#disposeController.signal.aborted) {
        throw new IceRpcException(IceRpcError.OperationAborted, "The connection was disposed while shutting down.", { cause: error });
      }
      throw error;
    } finally {
      link?.dispose();
    }
  }

  async #closeTransport(signal: AbortSignal): Promise<void> {
    try {
      await this.#transport.close(MultiplexedConnectionCloseError.NoError, signal);
    } catch (error) {
      // The peer closing first is the normal outcome of a shutdown it initiated.
      if (!(error instanceof IceRpcException && error.error === IceRpcError.ConnectionClosedByPeer)) {
        throw error;
      }
    }
  }

  dispose(): Promise<void> {
    this.#disposePromise ??= this.#dispose();
    return this.#disposePromise;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  async #dispose(): Promise<void> {
    const aborted = new IceRpcException(IceRpcError.OperationAborted, "The connection was disposed.");
    this.#refuseInvocations("The connection was disposed.");
    this.#disposeController.abort(aborted);
    this.#acceptController.abort();
    this.#invocations?.cancelAll(aborted, this.#refusedError!);
    this.#dispatches?.cancelAll(aborted);
    // Disposing the transport first fails the stream reads and writes that dispatchers and payload readers may still
    // be waiting on, so that the tasks below can finish.
    await this.#transport.dispose();
    await Promise.allSettled([this.#connectPromise, this.#shutdownPromise, this.#acceptLoop, this.#readGoAwayTask]);
    await this.#background.settled();
    this.#closed.resolve(aborted);
  }
}
