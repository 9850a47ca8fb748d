import { IceRpcError, IceRpcException, InvalidOperationError, ObjectDisposedError } from "@icerpc-ts/core";
import type {
  MultiplexedConnection,
  MultiplexedConnectionCloseError,
  MultiplexedConnectionOptions,
  MultiplexedStream,
  NetworkAddress,
  TransportConnectionInformation,
} from "@icerpc-ts/core/transport";
import {
  closedByPeer,
  closedLocally,
  connectionLost,
  disposed,
  rejectInvalidCloseCode,
  rejectUnlessConnected,
  type ConnectionFailure,
} from "@icerpc-ts/core/transport-helpers";
import { abortable, AsyncQueue, AsyncSemaphore } from "@icerpc-ts/primitives";

import { ConnectAttempt } from "./connect-attempt.js";
import { MemoryStream, type StreamHost } from "./memory-stream.js";

/** What one end of a memory connection is made of. */
export interface ConnectionEndConfig {
  /** This end's options: the stream limits it grants the peer, and its handshake timeout. */
  readonly options: MultiplexedConnectionOptions;
  /** The flow-control window of each stream direction, in bytes. */
  readonly windowSize: number;
  readonly localAddress: NetworkAddress;
  readonly remoteAddress: NetworkAddress;
}

/**
 * Delivers a connecting client end to the listener it addresses, which creates and queues the server end; returns
 * undefined when nobody listens there.
 */
export type Dial = (client: MemoryConnection, clientAddress: NetworkAddress) => MemoryConnection | undefined;

type ConnectionState = "idle" | "connecting" | "connected";

/**
 * One end of an in-process multiplexed connection. The two ends exchange messages (handshake, stream opening, stream
 * data and credit, close) as microtasks, so each observes the other's actions asynchronously and in order, as over a
 * network. The handshake: the client reaches the listener, which queues the server end; the server's `connect`
 * answers with its stream limits; the client confirms, and each side's `connect` resolves once it knows the other's
 * limits.
 */
export class MemoryConnection implements MultiplexedConnection {
  readonly #config: ConnectionEndConfig;
  readonly #isServer: boolean;
  /** How a client end reaches its listener; undefined for a server end. */
  readonly #dial: Dial | undefined;
  /** Tells the listener that a server end failed, so that it leaves the listener's backlog. */
  readonly #onFailed: (() => void) | undefined;
  readonly #host: StreamHost;
  readonly #acceptQueue = new AsyncQueue<MemoryStream>();
  /** The streams of both origins whose directions are not all done on both sides. */
  readonly #streams = new Set<MemoryStream>();
  #peer: MemoryConnection | undefined;
  #state: ConnectionState = "idle";
  #attempt: ConnectAttempt | undefined;
  #failure: ConnectionFailure | undefined;
  #disposed = false;
  /** The peer's stream slots, created once its limits are known. */
  #bidirectionalSlots: AsyncSemaphore | undefined;
  #unidirectionalSlots: AsyncSemaphore | undefined;
  #bidirectionalCount = 0;
  #unidirectionalCount = 0;
  /** The peer's ends of the streams this end created and did not send anything on yet, by type, in id order. */
  readonly #unannouncedBidirectional: MemoryStream[] = [];
  readonly #unannouncedUnidirectional: MemoryStream[] = [];

  /** A client end, unconnected: `connect` reaches the listener through `dial`. */
  static createClient(config: ConnectionEndConfig, dial: Dial): MemoryConnection {
    return new MemoryConnection(config, false, dial, undefined);
  }

  /** The server end for `client`, waiting in a listener's backlog; `onFailed` runs if it fails there. */
  static createServer(config: ConnectionEndConfig, client: MemoryConnection, onFailed: () => void): MemoryConnection {
    const server = new MemoryConnection(config, true, undefined, onFailed);
    server.#peer = client;
    return server;
  }

  private constructor(
    config: ConnectionEndConfig,
    isServer: boolean,
    dial: Dial | undefined,
    onFailed: (() => void) | undefined,
  ) {
    this.#config = config;
    this.#isServer = isServer;
    this.#dial = dial;
    this.#onFailed = onFailed;
    this.#host = {
      sendToPeer: (deliver) => this.#sendToPeer(deliver),
      windowSize: config.windowSize,
      streamDone: (stream) => this.#streams.delete(stream),
      releaseSlot: (stream) =>
        (stream.isBidirectional ? this.#bidirectionalSlots! : this.#unidirectionalSlots!).release(),
    };
  }

  connect(signal?: AbortSignal): Promise<TransportConnectionInformation> {
    if (this.#disposed) {
      return Promise.reject(new ObjectDisposedError("memory connection"));
    }
    if (this.#state !== "idle") {
      return Promise.reject(new InvalidOperationError("Cannot connect: connect was already called on this connection."));
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    if (this.#failure !== undefined) {
      // A server end whose client went away before the server connected it.
      return Promise.reject(this.#failure.connectionError);
    }
    this.#state = "connecting";
    this.#attempt = new ConnectAttempt(this.#config.options.handshakeTimeout, signal, (reason) =>
      this.#abandonConnect(reason),
    );
    if (this.#isServer) {
      this.#sendToPeer(() => this.#peer!.#onServerConnected());
    } else {
      queueMicrotask(() => this.#reachListener());
    }
    return this.#attempt.promise;
  }

  createStream(bidirectional: boolean, signal?: AbortSignal): Promise<MultiplexedStream> {
    return this.#rejectUnlessConnected("create a stream") ?? this.#createStream(bidirectional, signal);
  }

  acceptStream(signal?: AbortSignal): Promise<MultiplexedStream> {
    return this.#rejectUnlessConnected("accept a stream") ?? this.#acceptQueue.shift(signal);
  }

  close(code: MultiplexedConnectionCloseError, signal?: AbortSignal): Promise<void> {
    const unusable = rejectInvalidCloseCode(code) ?? this.#rejectUnlessConnected("close the connection");
    if (unusable !== undefined) {
      return unusable;
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    if (this.#failure !== undefined) {
      // Already closed, or closed or lost by the peer: there is nothing left to tell it.
      return Promise.resolve();
    }
    this.#fail(closedLocally());
    const peer = this.#peer!;
    // The peer acknowledges by processing the close; the signal can only stop the wait, not the close.
    return abortable<void>(
      signal,
      (resolve) =>
        queueMicrotask(() => {
          peer.#onPeerClosed(code);
          resolve();
        }),
      () => {},
    );
  }

  dispose(): Promise<void> {
    if (!this.#disposed) {
      this.#disposed = true;
      if (this.#failure === undefined) {
        this.#abort(disposed("memory connection"), new IceRpcException(IceRpcError.ConnectionAborted, "The peer disposed the connection."));
      } else {
        // Already failed (and the peer told or gone): what failed then stays failed, but stream operations started
        // from now on report the disposal.
        this.#failure = disposed("memory connection");
      }
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  /** Called by a listener that stops before the application accepted this server end: the client is refused. */
  refuse(): void {
    this.#abort(
      disposed("memory connection"),
      new IceRpcException(IceRpcError.ConnectionRefused, "The server stopped listening before accepting the connection."),
    );
  }

  /** A rejection when this connection is disposed or not connected (see `rejectUnlessConnected`), else undefined. */
  #rejectUnlessConnected(operation: string): Promise<never> | undefined {
    return rejectUnlessConnected(this.#disposed, this.#state === "connected", "memory connection", operation);
  }

  async #createStream(bidirectional: boolean, signal: AbortSignal | undefined): Promise<MultiplexedStream> {
    await (bidirectional ? this.#bidirectionalSlots! : this.#unidirectionalSlots!).acquire(signal);
    if (this.#failure !== undefined) {
      // Failed after the slot was granted but before this continuation ran.
      throw this.#failure.connectionError;
    }
    // QUIC numbering: bit 0 is the initiator (1 = server), bit 1 the direction (1 = unidirectional).
    const sequence = bidirectional ? this.#bidirectionalCount++ : this.#unidirectionalCount++;
    const id = sequence * 4 + (bidirectional ? 0 : 2) + (this.#isServer ? 1 : 0);
    const peer = this.#peer!;
    // As in QUIC, the peer learns of the stream with its first message (bytes, end, abort or stop-sending), and of
    // every earlier stream of its type with it, so that it accepts them in id order and never a stream that nobody
    // wrote on yet.
    // (Explicit properties, not a spread of #host: Node 20 spends microseconds on a spread with extra properties.)
    const host = this.#host;
    const creatorHost: StreamHost = {
      windowSize: host.windowSize,
      streamDone: host.streamDone,
      releaseSlot: host.releaseSlot,
      sendToPeer: (deliver) => {
        this.#announceThrough(id, bidirectional);
        this.#sendToPeer(deliver);
      },
    };
    const { local, remote } = MemoryStream.createPair(id, bidirectional, creatorHost, peer.#host);
    this.#streams.add(local);
    (bidirectional ? this.#unannouncedBidirectional : this.#unannouncedUnidirectional).push(remote);
    return local;
  }

  /** Opens, on the peer, every stream of this type created up to `id` and not yet opened there, in id order. */
  #announceThrough(id: number, bidirectional: boolean): void {
    const unannounced = bidirectional ? this.#unannouncedBidirectional : this.#unannouncedUnidirectional;
    const peer = this.#peer!;
    while (unannounced.length > 0 && unannounced[0]!.id <= id) {
      const remote = unannounced.shift()!;
      this.#sendToPeer(() => peer.#onStreamOpened(remote));
    }
  }

  /** Client: the first step of the handshake, one microtask after `connect`. */
  #reachListener(): void {
    if (this.#failure !== undefined) {
      return; // disposed or gave up meanwhile
    }
    const server = this.#dial!(this, this.#config.localAddress);
    if (server === undefined) {
      const { host } = this.#config.remoteAddress;
      this.#fail(
        connectionLost(
          new IceRpcException(
            IceRpcError.ConnectionRefused,
            `No memory listener is named '${host}' in this MemoryTransport: listen on icerpc://${host}?transport=memory ` +
              "with the same MemoryTransport instance first.",
          ),
        ),
      );
      return;
    }
    this.#peer = server;
  }

  /** Client: the server's `connect` ran. */
  #onServerConnected(): void {
    const server = this.#peer!;
    // Sent before this end's connect resolves, so that it reaches the server before anything the application does
    // with this end.
    this.#sendToPeer(() => server.#onClientConfirmed());
    this.#becomeConnected();
  }

  /** Server: the client learned the server's limits. */
  #onClientConfirmed(): void {
    this.#becomeConnected();
  }

  #becomeConnected(): void {
    const peerOptions = this.#peer!.#config.options;
    this.#bidirectionalSlots = new AsyncSemaphore(peerOptions.maxBidirectionalStreams);
    this.#unidirectionalSlots = new AsyncSemaphore(peerOptions.maxUnidirectionalStreams);
    this.#state = "connected";
    this.#attempt!.succeed({
      localNetworkAddress: this.#config.localAddress,
      remoteNetworkAddress: this.#config.remoteAddress,
      peerStreamLimits: {
        maxBidirectionalStreams: peerOptions.maxBidirectionalStreams,
        maxUnidirectionalStreams: peerOptions.maxUnidirectionalStreams,
      },
    });
  }

  /** The handshake timeout expired or the caller's signal aborted: `connect` rejects with `reason`. */
  #abandonConnect(reason: unknown): void {
    this.#attempt!.fail(reason);
    this.#abort(
      connectionLost(new IceRpcException(IceRpcError.ConnectionAborted, "The connection attempt was abandoned.")),
      new IceRpcException(IceRpcError.ConnectionAborted, "The peer abandoned the connection attempt."),
    );
  }

  #onStreamOpened(stream: MemoryStream): void {
    this.#streams.add(stream);
    this.#acceptQueue.push(stream);
  }

  #onPeerClosed(code: number): void {
    this.#fail(closedByPeer(code));
  }

  #onPeerGone(error: IceRpcException): void {
    this.#fail(connectionLost(error));
  }

  /** Fails this end without a close handshake; the peer, if any, fails with `peerError`. */
  #abort(failure: ConnectionFailure, peerError: IceRpcException): void {
    if (this.#fail(failure) && this.#peer !== undefined) {
      const peer = this.#peer;
      queueMicrotask(() => peer.#onPeerGone(peerError));
    }
  }

  /** Moves to the failed state (once; false if already failed) and fails everything pending and to come. */
  #fail(failure: ConnectionFailure): boolean {
    if (this.#failure !== undefined) {
      return false;
    }
    this.#failure = failure;
    this.#attempt?.fail(failure.connectionError);
    this.#bidirectionalSlots?.fail(failure.connectionError);
    this.#unidirectionalSlots?.fail(failure.connectionError);
    this.#acceptQueue.fail(failure.connectionError);
    const currentStreamError = (): Error => this.#failure!.streamError;
    for (const stream of this.#streams) {
      stream.fail(currentStreamError);
    }
    this.#streams.clear();
    this.#onFailed?.();
    return true;
  }

  /** See {@link SendToPeer}: the message is lost once either end failed. */
  #sendToPeer(deliver: () => void): void {
    if (this.#failure !== undefined) {
      return;
    }
    const peer = this.#peer!;
    queueMicrotask(() => {
      if (peer.#failure === undefined) {
        deliver();
      }
    });
  }
}
