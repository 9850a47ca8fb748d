import { AsyncQueue, type AsyncSemaphore, Deadline } from "@icerpc-ts/primitives";

import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { InvalidOperationError, ObjectDisposedError } from "../errors/usage-errors.js";
import type { MultiplexedConnectionCloseError } from "../transport/close-code.js";
import type {
  MultiplexedConnection,
  MultiplexedConnectionOptions,
  TransportConnectionInformation,
} from "../transport/multiplexed-connection.js";
import type { MultiplexedStream } from "../transport/multiplexed-stream.js";
import type { ByteChannelSource, EstablishedChannel } from "./byte-channel-source.js";
import type { MultiplexerConfig } from "./byte-channel-transport.js";
import { checkConnectionOptions } from "./check-connection-options.js";
import { closedLocally, connectionLost, type ConnectionFailure, disposed } from "./connection-failure.js";
import { rejectInvalidCloseCode, rejectUnlessConnected } from "./connection-usage.js";

/** A stream of a {@link ByteChannelConnection}: the connection fails it with the error current when it is used. */
export interface FailableStream extends MultiplexedStream {
  fail(currentError: () => Error): void;
}

/**
 * The shell of a multiplexed connection over a byte channel (Slic, yamux): the contract's state checks, `connect`
 * with its handshake deadline and the channel's own explanation of a failure, stream slots, the accept queue, and
 * one failure that reaches every pending operation and stream. A multiplexer supplies its handshake, its streams and
 * how it ends its channel.
 */
export abstract class ByteChannelConnection<S extends FailableStream> implements MultiplexedConnection {
  protected readonly isServer: boolean;
  protected readonly options: MultiplexedConnectionOptions;
  /** Names the connection in errors, e.g. "tcp connection". */
  protected readonly label: string;
  protected readonly acceptQueue = new AsyncQueue<S>();
  /** The streams the connection fails when it fails, by id; the multiplexer adds and removes them. */
  protected readonly streams = new Map<number, S>();
  readonly #source: ByteChannelSource;
  #state: "idle" | "connecting" | "connected" = "idle";
  #deadline: Deadline | undefined;
  #failure: ConnectionFailure | undefined;
  #disposed = false;

  /** Throws `RangeError` for invalid options. */
  constructor(config: MultiplexerConfig) {
    this.isServer = config.role === "server";
    this.#source = config.source;
    this.options = checkConnectionOptions(config.options);
    this.label = config.label;
  }

  /** Why the connection stopped working; undefined while it works. */
  protected get failure(): ConnectionFailure | undefined {
    return this.#failure;
  }

  protected get isConnected(): boolean {
    return this.#state === "connected";
  }

  connect(signal?: AbortSignal): Promise<TransportConnectionInformation> {
    if (this.#disposed) {
      return Promise.reject(new ObjectDisposedError(this.label));
    }
    if (this.#state !== "idle") {
      return Promise.reject(new InvalidOperationError("Cannot connect: connect was already called on this connection."));
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    this.#state = "connecting";
    return this.#connect(signal);
  }

  createStream(bidirectional: boolean, signal?: AbortSignal): Promise<MultiplexedStream> {
    return this.#rejectUnlessConnected("create a stream") ?? this.#createStream(bidirectional, signal);
  }

  acceptStream(signal?: AbortSignal): Promise<MultiplexedStream> {
    return this.#rejectUnlessConnected("accept a stream") ?? this.acceptQueue.shift(signal);
  }

  close(code: MultiplexedConnectionCloseError, signal?: AbortSignal): Promise<void> {
    return rejectInvalidCloseCode(code) ?? this.#rejectUnlessConnected("close the connection") ?? this.#close(code, signal);
  }

  dispose(): Promise<void> {
    if (!this.#disposed) {
      this.#disposed = true;
      const failure = disposed(this.label);
      if (!this.fail(failure)) {
        // What failed before stays failed, but operations started from now on report the disposal.
        this.#failure = failure;
      }
      this.#deadline?.abort(failure.connectionError);
      this.dropChannel();
      this.#source.discard();
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  /**
   * Runs the multiplexer's handshake over the channel just opened; rejects when `signal` aborts. The multiplexer
   * calls `markConnected` once the peer is known, which may be before this resolves.
   */
  protected abstract handshake(established: EstablishedChannel, signal: AbortSignal): Promise<TransportConnectionInformation>;

  /**
   * Releases what a failed handshake started. `peerAtFault` when the connection had not failed otherwise (no
   * timeout, abort, disposal or earlier failure): `error` is what the handshake rejected with.
   */
  protected abstract abandonHandshake(error: unknown, peerAtFault: boolean): void;

  /** The slots of the peer's limit for this side's streams of one type. */
  protected abstract localSlots(bidirectional: boolean): AsyncSemaphore;

  /** A stream of this side in a slot just acquired, added to `streams`. */
  protected abstract newLocalStream(bidirectional: boolean): S;

  /** Tells the peer of a close with `code` (the connection failed with `closedLocally` already) and ends it. */
  protected abstract closeChannel(code: number, signal: AbortSignal | undefined): Promise<void>;

  /**
   * Waits, on `close` after the connection failed, for what a close the peer started still needs (e.g. the end of
   * the channel, once this side answered the peer's Close). Nothing by default.
   */
  protected finishPeerClose(_signal: AbortSignal | undefined): Promise<void> {
    return Promise.resolve();
  }

  /** Drops the channel at once, for a disposal. */
  protected abstract dropChannel(): void;

  /** Fails what only the multiplexer holds (its slots, its pending handshake), when the connection fails. */
  protected abstract failed(failure: ConnectionFailure): void;

  /** The error a connection reports for a failure that is not one yet (e.g. a multiplexer's own error). */
  protected connectionErrorOf(error: unknown): Error {
    return error instanceof Error ? error : new IceRpcException(IceRpcError.ConnectionAborted, "The connection failed.", { cause: error });
  }

  protected markConnected(): void {
    this.#state = "connected";
  }

  /** Moves to the failed state (once; false if already failed) and fails everything pending and to come. */
  protected fail(failure: ConnectionFailure): boolean {
    if (this.#failure !== undefined) {
      return false;
    }
    this.#failure = failure;
    this.failed(failure);
    this.acceptQueue.fail(failure.connectionError);
    const currentStreamError = (): Error => this.#failure!.streamError;
    for (const stream of this.streams.values()) {
      stream.fail(currentStreamError);
    }
    this.streams.clear();
    return true;
  }

  #rejectUnlessConnected(operation: string): Promise<never> | undefined {
    return rejectUnlessConnected(this.#disposed, this.#state === "connected", this.label, operation);
  }

  async #connect(signal: AbortSignal | undefined): Promise<TransportConnectionInformation> {
    const timeout = this.options.handshakeTimeout;
    const deadline = new Deadline(
      timeout,
      signal,
      `The ${this.label} handshake did not complete within ${timeout} ms: the peer did not answer in time.`,
    );
    this.#deadline = deadline;
    let opened = false;
    try {
      const established = await this.#source.open(deadline.signal);
      opened = true;
      if (this.#failure !== undefined) {
        established.channel.close();
        throw this.#failure.connectionError;
      }
      return await this.handshake(established, deadline.signal);
    } catch (error) {
      const aborted = deadline.signal.aborted;
      const reason: unknown = aborted ? deadline.signal.reason : (this.#failure?.connectionError ?? this.connectionErrorOf(error));
      const peerAtFault = !aborted && this.#failure === undefined;
      this.fail(connectionLost(reason instanceof Error ? reason : this.connectionErrorOf(reason)));
      this.abandonHandshake(error, peerAtFault);
      this.#source.discard();
      // Only the channel sees some causes, e.g. a plain client whose server closed at once most likely expects TLS.
      throw opened && this.#source.explainConnectFailure !== undefined ? this.#source.explainConnectFailure(reason) : reason;
    } finally {
      deadline.dispose();
      this.#deadline = undefined;
    }
  }

  #createStream(bidirectional: boolean, signal: AbortSignal | undefined): Promise<MultiplexedStream> {
    if (this.#failure !== undefined) {
      return Promise.reject(this.#failure.connectionError);
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    // With a slot free, as usual, the stream is created at once; else it waits for one (FIFO).
    return this.localSlots(bidirectional).tryAcquire()
      ? Promise.resolve(this.newLocalStream(bidirectional))
      : this.#createStreamInSlot(bidirectional, signal);
  }

  async #createStreamInSlot(bidirectional: boolean, signal: AbortSignal | undefined): Promise<MultiplexedStream> {
    await this.localSlots(bidirectional).acquire(signal);
    if (this.#failure !== undefined) {
      throw this.#failure.connectionError; // failed after the slot was granted, before this continuation ran
    }
    return this.newLocalStream(bidirectional);
  }

  async #close(code: number, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.#failure !== undefined) {
      // Already closed, lost, or closed by the peer: nothing is left to tell it, but the close the peer started may
      // still have to end.
      await this.finishPeerClose(signal);
      return;
    }
    this.fail(closedLocally());
    await this.closeChannel(code, signal);
  }
}
