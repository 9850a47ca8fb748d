import { IceRpcError, isIceRpcException } from "@icerpc-ts/core";
import type { TransportConnectionInformation } from "@icerpc-ts/core/transport";
import {
  ByteChannelConnection,
  closedByPeer,
  connectionLost,
  type BufferedStreamReader,
  type ConnectionFailure,
  type EstablishedChannel,
  type MultiplexerConfig,
  partsOfStreamId,
} from "@icerpc-ts/core/transport-helpers";
import { type AsyncSemaphore, waitAbortable } from "@icerpc-ts/primitives";
import { GoAwayCode, runSoon, type YamuxSession, type YamuxSessionOptions, type YamuxStream } from "@icerpc-ts/yamux";

import type { AdapterStream, PeerStreamAction, StreamHost } from "./adapter-stream.js";
import { adapterHandshake, type ConnectedSession } from "./connection-handshake.js";
import { type ControlMessage, ControlMessageType, encodeControlMessage, readControlMessage } from "./control-message.js";
import { LocalStreams } from "./local-streams.js";
import { adapterProtocolError } from "./protocol-error.js";
import { RemoteStreams } from "./remote-streams.js";
import { connectionErrorOf, isRemoteGoAway } from "./yamux-error-mapping.js";

/** What a connection is made of: the contract's options give the stream limits this side grants the peer. */
export interface YamuxConnectionConfig extends MultiplexerConfig {
  /** Checked already (see `yamuxSessionOptionsOf`). */
  readonly sessionOptions: Required<YamuxSessionOptions>;
}

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
 * close codes and one-way aborts. Browser-safe: the byte channel comes from a `ByteChannelSource`.
 */
export class YamuxMultiplexedConnection extends ByteChannelConnection<AdapterStream> {
  readonly #sessionOptions: Required<YamuxSessionOptions>;
  readonly #host: StreamHost;
  #session: YamuxSession | undefined;
  #connected: Connected | undefined;

  constructor(config: YamuxConnectionConfig) {
    super(config);
    this.#sessionOptions = config.sessionOptions;
    this.#host = {
      open: (stream) => this.#connected!.local.open(stream),
      sendControl: (message) => void this.#sendControl(message),
      sessionFailed: (error) => this.#sessionFailed(error),
      streamDone: (stream) => {
        this.streams.delete(stream.id);
        if (stream.isRemote && this.failure === undefined) {
          this.#connected!.remote.release(stream.isBidirectional);
        }
      },
    };
  }

  protected override async handshake(established: EstablishedChannel, signal: AbortSignal): Promise<TransportConnectionInformation> {
    const connected = await adapterHandshake({
      established,
      role: this.isServer ? "server" : "client",
      options: this.options,
      sessionOptions: this.#sessionOptions,
      signal,
      sessionStarted: (session) => this.#sessionStarted(session),
    });
    if (this.failure !== undefined) {
      throw this.failure.connectionError;
    }
    this.#becomeConnected(connected);
    return connected.information;
  }

  protected override abandonHandshake(error: unknown, peerAtFault: boolean): void {
    const session = this.#session;
    if (session === undefined) {
      return; // the channel did not open
    }
    if (
      peerAtFault &&
      (isIceRpcException(error, IceRpcError.IceRpcError) || isIceRpcException(error, IceRpcError.ConnectionRefused))
    ) {
      endForProtocolError(session);
    } else {
      session.dispose();
    }
  }

  protected override connectionErrorOf(error: unknown): Error {
    return connectionErrorOf(error);
  }

  protected override localSlots(bidirectional: boolean): AsyncSemaphore {
    return this.#connected!.local.slots(bidirectional);
  }

  protected override newLocalStream(bidirectional: boolean): AdapterStream {
    const stream = this.#connected!.local.create(bidirectional, this.#host);
    this.streams.set(stream.id, stream);
    return stream;
  }

  protected override async closeChannel(code: number, signal: AbortSignal | undefined): Promise<void> {
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

  protected override dropChannel(): void {
    this.#session?.dispose();
  }

  protected override failed(failure: ConnectionFailure): void {
    this.#connected?.local.fail(failure.connectionError);
  }

  #sessionStarted(session: YamuxSession): void {
    this.#session = session;
    void session.closed.then((error) => this.#sessionFailed(error));
  }

  #becomeConnected({ session, control, peerControl, peerStreamLimits }: ConnectedSession): void {
    const local = new LocalStreams(session, this.isServer, peerStreamLimits);
    const remote = new RemoteStreams(!this.isServer, this.options, this.#host);
    this.#connected = { session, control, local, remote };
    this.markConnected();
    void this.#receiveControlMessages(peerControl);
    remote
      .acceptAll(session, (stream) => {
        this.streams.set(stream.id, stream);
        this.acceptQueue.push(stream);
      })
      .catch((error: unknown) => this.#backgroundFailure(error));
  }

  /** Resolves once `message` was handed to the byte channel; rejects once the session ended (never unhandled). */
  #sendControl(message: ControlMessage): Promise<void> {
    return this.#connected!.control.write(encodeControlMessage(message));
  }

  async #receiveControlMessages(peerControl: BufferedStreamReader): Promise<void> {
    try {
      while (this.failure === undefined) {
        this.#receive(await readControlMessage(peerControl));
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
        this.fail(closedByPeer(message.applicationErrorCode));
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
    const remote = serverInitiated !== this.isServer;
    if (remote && !bidirectional) {
      throw adapterProtocolError(`received ${name}, a unidirectional stream the peer writes and this side reads.`);
    }
    if (!remote && !this.#connected!.local.wasCreated(bidirectional, sequence)) {
      throw adapterProtocolError(`received ${name}, which this side never created.`);
    }
    const stream = this.streams.get(id);
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
    if (this.failure !== undefined) {
      return;
    }
    if (isIceRpcException(error, IceRpcError.IceRpcError)) {
      this.fail(connectionLost(error));
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
    if (this.failure !== undefined) {
      return Promise.resolve();
    }
    if (isRemoteGoAway(error)) {
      return new Promise((resolve) =>
        runSoon(() => {
          this.fail(connectionLost(connectionErrorOf(error)));
          resolve();
        }),
      );
    }
    this.fail(connectionLost(connectionErrorOf(error)));
    return Promise.resolve();
  }
}
