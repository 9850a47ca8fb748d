import { IceRpcError, InvalidOperationError, isIceRpcException, ObjectDisposedError } from "@icerpc-ts/core";
import type {
  MultiplexedConnection,
  MultiplexedConnectionCloseError,
  MultiplexedConnectionOptions,
  MultiplexedStream,
  TransportConnectionInformation,
} from "@icerpc-ts/core/transport";
import {
  type ByteChannelSource,
  closedByPeer,
  closedLocally,
  connectionLost,
  disposed,
  rejectInvalidCloseCode,
  rejectUnlessConnected,
  type ConnectionFailure,
} from "@icerpc-ts/core/transport-helpers";
import { AsyncQueue, Deadline, waitAbortable } from "@icerpc-ts/primitives";
import { GoAwayCode, runSoon, type YamuxRole, type YamuxSession, type YamuxStream } from "@icerpc-ts/yamux";

import type { AdapterStream, PeerStreamAction, StreamHost } from "./adapter-stream.js";
import { type ConnectedSession, handshake } from "./connection-handshake.js";
import { type ControlMessage, ControlMessageType, encodeControlMessage } from "./control-message.js";
import type { ControlReceiver } from "./control-receiver.js";
import { LocalStreams } from "./local-streams.js";
import { adapterProtocolError } from "./protocol-error.js";
import { RemoteStreams } from "./remote-streams.js";
import { partsOfStreamId } from "./stream-id.js";
import {
  checkConnectionOptions,
  resolveYamuxAdapterOptions,
  type YamuxAdapterOptions,
  yamuxSessionOptionsOf,
} from "./yamux-adapter-options.js";
import { connectionErrorOf, isRemoteGoAway } from "./yamux-error-mapping.js";

/** What a connection is made of. */
export interface YamuxConnectionConfig {
  /** The client opens the connection, the server accepted it. */
  readonly role: YamuxRole;
  readonly source: ByteChannelSource;
  /** The contract's options: the stream limits this side grants the peer, and the handshake timeout. */
  readonly options: MultiplexedConnectionOptions;
  readonly adapterOptions?: YamuxAdapterOptions;
  /** Names the connection in errors, e.g. "tcp-yamux connection". */
  readonly label: string;
}

type ConnectionState = "idle" | "connecting" | "connected";

/** What the connection works with once connected. */
interface Connected {
  readonly session: YamuxSession;
  /** This side's control stream. */
  readonly control: YamuxStream;
  readonly local: LocalStreams;
  readonly remote: RemoteStreams;
}

function ignore(): void {}

/** GoAway protocol error, then the end: the frames already queued (a Close(Refused), say) reach the peer first. */
function endForProtocolError(session: YamuxSession): void {
  session.goAway(GoAwayCode.ProtocolError);
  void session.close().catch(ignore);
}

/**
 * A multiplexed connection over a yamux session on any byte channel, with the adapter protocol (see the package
 * README) for what the contract needs and yamux lacks: unidirectional streams, QUIC stream ids, stream limits,
 * close codes and one-way aborts. Browser-safe: the byte channel comes from a {@link ByteChannelSource}.
 */
export class YamuxMultiplexedConnection implements MultiplexedConnection {
  readonly #role: YamuxRole;
  readonly #source: ByteChannelSource;
  readonly #options: MultiplexedConnectionOptions;
  readonly #adapterOptions: Required<YamuxAdapterOptions>;
  readonly #label: string;
  readonly #acceptQueue = new AsyncQueue<AdapterStream>();
  /** The streams not done yet on this side, by id. */
  readonly #streams = new Map<number, AdapterStream>();
  readonly #host: StreamHost;
  #state: ConnectionState = "idle";
  #session: YamuxSession | undefined;
  #connected: Connected | undefined;
  #deadline: Deadline | undefined;
  #failure: ConnectionFailure | undefined;
  #disposed = false;

  /** Throws `RangeError` for invalid options. */
  constructor(config: YamuxConnectionConfig) {
    this.#role = config.role;
    this.#source = config.source;
    this.#options = checkConnectionOptions(config.options);
    this.#adapterOptions = resolveYamuxAdapterOptions(config.adapterOptions);
    this.#label = config.label;
    this.#host = {
      open: (stream) => this.#connected!.local.open(stream),
      sendControl: (message) => void this.#sendControl(message),
      sessionFailed: (error) => this.#sessionFailed(error),
      streamDone: (stream) => {
        this.#streams.delete(stream.id);
        if (stream.isRemote && this.#failure === undefined) {
          this.#connected!.remote.release(stream.isBidirectional);
        }
      },
    };
  }

  connect(signal?: AbortSignal): Promise<TransportConnectionInformation> {
    if (this.#disposed) {
      return Promise.reject(new ObjectDisposedError(this.#label));
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
    return this.#rejectUnlessConnected("accept a stream") ?? this.#acceptQueue.shift(signal);
  }

  close(code: MultiplexedConnectionCloseError, signal?: AbortSignal): Promise<void> {
    return rejectInvalidCloseCode(code) ?? this.#rejectUnlessConnected("close the connection") ?? this.#close(code, signal);
  }

  dispose(): Promise<void> {
    if (!this.#disposed) {
      this.#disposed = true;
      const failure = disposed(this.#label);
      if (!this.#fail(failure)) {
        // What failed before stays failed, but operations started from now on report the disposal.
        this.#failure = failure;
      }
      this.#deadline?.abort(failure.connectionError);
      this.#session?.dispose();
      this.#source.discard();
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  /** A rejection when this connection is disposed or not connected (see `rejectUnlessConnected`), else undefined. */
  #rejectUnlessConnected(operation: string): Promise<never> | undefined {
    return rejectUnlessConnected(this.#disposed, this.#state === "connected", this.#label, operation);
  }

  async #close(code: number, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.#failure !== undefined) {
      return; // already closed, or closed or lost by the peer: there is nothing left to tell it
    }
    this.#fail(closedLocally());
    const { session } = this.#connected!;
    try {
      await waitAbortable(this.#sendControl({ type: ControlMessageType.Close, applicationErrorCode: code }), signal);
    } catch (error) {
      if (signal?.aborted && error === signal.reason) {
        session.dispose();
        throw error;
      }
      return; // the session ended: the connection is gone
    }
    // GoAway, then the end of the channel; resolves once the peer, having read Close, ended its side too.
    await session.close(signal);
  }

  async #connect(signal: AbortSignal | undefined): Promise<TransportConnectionInformation> {
    const timeout = this.#options.handshakeTimeout;
    const deadline = new Deadline(
      timeout,
      signal,
      `The ${this.#label} handshake did not complete within ${timeout} ms: the peer did not answer in time.`,
    );
    this.#deadline = deadline;
    let connected: ConnectedSession;
    try {
      connected = await handshake({
        source: this.#source,
        role: this.#role,
        options: this.#options,
        sessionOptions: yamuxSessionOptionsOf(this.#adapterOptions),
        signal: deadline.signal,
        sessionStarted: (session) => this.#sessionStarted(session),
      });
      if (this.#failure !== undefined) {
        throw this.#failure.connectionError;
      }
    } catch (error) {
      throw this.#handshakeFailed(error, deadline.signal);
    } finally {
      deadline.dispose();
      this.#deadline = undefined;
    }
    this.#becomeConnected(connected);
    return connected.information;
  }

  #sessionStarted(session: YamuxSession): void {
    this.#session = session;
    void session.closed.then((error) => this.#sessionFailed(error));
  }

  /** Ends what the handshake started and returns the error `connect` rejects with. */
  #handshakeFailed(error: unknown, signal: AbortSignal): unknown {
    const reason = signal.aborted ? signal.reason : (this.#failure?.connectionError ?? connectionErrorOf(error));
    const peerAtFault =
      !signal.aborted &&
      this.#failure === undefined &&
      (isIceRpcException(error, IceRpcError.IceRpcError) || isIceRpcException(error, IceRpcError.ConnectionRefused));
    this.#fail(connectionLost(reason instanceof Error ? reason : connectionErrorOf(reason)));
    const session = this.#session;
    if (session === undefined) {
      this.#source.discard();
    } else if (peerAtFault) {
      endForProtocolError(session);
    } else {
      session.dispose();
    }
    return reason;
  }

  #becomeConnected({ session, control, receiver, peerStreamLimits }: ConnectedSession): void {
    const isServer = this.#role === "server";
    const local = new LocalStreams(session, isServer, peerStreamLimits);
    const remote = new RemoteStreams(!isServer, this.#options, this.#host);
    this.#connected = { session, control, local, remote };
    this.#state = "connected";
    void this.#receiveControlMessages(receiver);
    remote
      .acceptAll(session, (stream) => {
        this.#streams.set(stream.id, stream);
        this.#acceptQueue.push(stream);
      })
      .catch((error: unknown) => this.#backgroundFailure(error));
  }

  /** Resolves once `message` was handed to the byte channel; rejects once the session ended (never unhandled). */
  #sendControl(message: ControlMessage): Promise<void> {
    return this.#connected!.control.write(encodeControlMessage(message));
  }

  #createStream(bidirectional: boolean, signal: AbortSignal | undefined): Promise<MultiplexedStream> {
    if (this.#failure !== undefined) {
      return Promise.reject(this.#failure.connectionError);
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    const slots = this.#connected!.local.slots(bidirectional);
    // With a slot free, as usual, the stream is created at once; else it waits for one (FIFO).
    return slots.tryAcquire()
      ? Promise.resolve(this.#createInSlot(bidirectional))
      : slots.acquire(signal).then(() => {
          if (this.#failure !== undefined) {
            throw this.#failure.connectionError; // failed after the slot was granted, before this ran
          }
          return this.#createInSlot(bidirectional);
        });
  }

  #createInSlot(bidirectional: boolean): AdapterStream {
    const stream = this.#connected!.local.create(bidirectional, this.#host);
    this.#streams.set(stream.id, stream);
    return stream;
  }

  async #receiveControlMessages(receiver: ControlReceiver): Promise<void> {
    try {
      for (let message = await receiver.next(); this.#failure === undefined; message = await receiver.next()) {
        this.#receive(message);
      }
    } catch (error) {
      this.#backgroundFailure(error);
    }
  }

  #receive(message: ControlMessage): void {
    switch (message.type) {
      case ControlMessageType.Settings:
        throw adapterProtocolError("the peer sent Settings a second time.");
      case ControlMessageType.StreamsReleased:
        this.#connected!.local.released(true, message.bidirectional);
        this.#connected!.local.released(false, message.unidirectional);
        return;
      case ControlMessageType.Close:
        this.#fail(closedByPeer(message.applicationErrorCode));
        // Ends this side too: GoAway, then the end of the channel.
        void this.#connected!.session.close().catch(ignore);
        return;
      case ControlMessageType.StopSending:
      case ControlMessageType.ResetStream:
        this.#receiveStreamAction(message.streamId, message.type);
    }
  }

  /** A StopSending or ResetStream message about stream `id`. */
  #receiveStreamAction(id: number, action: PeerStreamAction): void {
    const { sequence, bidirectional, serverInitiated } = partsOfStreamId(id);
    const name = `${ControlMessageType[action]} for stream ${id}`;
    if (action === ControlMessageType.ResetStream && !bidirectional) {
      throw adapterProtocolError(`received ${name}, a unidirectional stream: its reader cannot reset it.`);
    }
    const remote = serverInitiated !== (this.#role === "server");
    if (remote && !bidirectional) {
      throw adapterProtocolError(`received ${name}, a unidirectional stream the peer writes and this side reads.`);
    }
    if (!remote && !this.#connected!.local.wasCreated(bidirectional, sequence)) {
      throw adapterProtocolError(`received ${name}, which this side never created.`);
    }
    const stream = this.#streams.get(id);
    if (stream !== undefined) {
      stream.receive(action);
    } else if (remote) {
      this.#connected!.remote.receiveBeforeAccept(id, bidirectional, sequence, action);
    }
  }

  /**
   * A background task (the control loop, the accept loop) failed with `error`: a protocol violation by the peer
   * (an `IceRpcError`: the connection fails with it and GoAway protocol-error ends the session) or the session's end.
   */
  #backgroundFailure(error: unknown): void {
    if (this.#failure !== undefined) {
      return;
    }
    if (isIceRpcException(error, IceRpcError.IceRpcError)) {
      this.#fail(connectionLost(error));
      endForProtocolError(this.#connected!.session);
    } else {
      void this.#sessionFailed(error);
    }
  }

  /**
   * The session ended with `error` (or an operation failed with it): the connection fails, unless it failed
   * already. Resolves once it failed. After the peer's GoAway, the failure waits for the next task: a peer that
   * closes sends Close before GoAway, and the control loop may not have read it yet.
   */
  #sessionFailed(error: unknown): Promise<void> {
    if (this.#failure !== undefined) {
      return Promise.resolve();
    }
    if (isRemoteGoAway(error)) {
      return new Promise((resolve) =>
        runSoon(() => {
          this.#fail(connectionLost(connectionErrorOf(error)));
          resolve();
        }),
      );
    }
    this.#fail(connectionLost(connectionErrorOf(error)));
    return Promise.resolve();
  }

  /** Moves to the failed state (once; false if already failed) and fails everything pending and to come. */
  #fail(failure: ConnectionFailure): boolean {
    if (this.#failure !== undefined) {
      return false;
    }
    this.#failure = failure;
    this.#acceptQueue.fail(failure.connectionError);
    const connected = this.#connected;
    if (connected !== undefined) {
      connected.local.fail(failure.connectionError);
      const currentStreamError = (): Error => this.#failure!.streamError;
      for (const stream of this.#streams.values()) {
        stream.fail(currentStreamError);
      }
    }
    return true;
  }
}
