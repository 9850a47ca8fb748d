import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import type { StreamLimits, TransportConnectionInformation } from "@icerpc-ts/core/transport";
import {
  ByteChannelConnection,
  closedByPeer,
  connectionLost,
  type ConnectionFailure,
  type EstablishedChannel,
  type MultiplexerConfig,
  partsOfStreamId,
} from "@icerpc-ts/core/transport-helpers";
import { type AsyncSemaphore, type ByteChannel, Deferred, waitAbortable } from "@icerpc-ts/primitives";

import {
  decodeInitializeAckBody,
  decodeInitializeBody,
  decodePingBody,
  decodeVarUInt62Body,
  decodeVersionBody,
  encodeInitializeAckBody,
  encodeInitializeBody,
  encodePingBody,
  encodeVarUInt62Body,
  encodeVersionBody,
  type SlicParameters,
} from "./frame-bodies.js";
import { FrameDecoder, type FrameHandler } from "./frame-decoder.js";
import { encodeConnectionFrame, encodeStreamControlFrame, encodeStreamDataHeader } from "./frame-encoder.js";
import {
  FrameType,
  maxMaxStreamFrameSize,
  minInitialStreamWindowSize,
  minMaxStreamFrameSize,
  slicVersion1,
} from "./frame-type.js";
import { FrameWriter } from "./frame-writer.js";
import { KeepAlive } from "./keep-alive.js";
import { LocalStreams } from "./local-streams.js";
import { resolveSlicOptions, type SlicOptions } from "./slic-options.js";
import { slicProtocolError } from "./slic-protocol-error.js";
import { SlicStream, type StreamHost } from "./slic-stream.js";

/**
 * What a Slic connection is made of: the client sends Initialize and shuts its writes down first; the contract's
 * options give the stream limits this side grants the peer (its Slic parameters).
 */
export type SlicRole = MultiplexerConfig["role"];

export interface SlicConnectionConfig extends MultiplexerConfig {
  readonly slicOptions?: SlicOptions;
}

/** What the connection learnt from the peer's Initialize or InitializeAck. */
interface PeerParameters {
  readonly maxStreamFrameSize: number;
  readonly initialStreamWindowSize: number;
  readonly idleTimeout: number;
  readonly limits: StreamLimits;
}

/** The stream whose data the decoder is delivering: undefined to discard it (a stream closed or forgotten). */
interface DataTarget {
  readonly stream: SlicStream | undefined;
  readonly last: boolean;
}

/** Ping payloads, as C# sends them. */
const writePingPayload = 0n;
const readPingPayload = 1n;

/**
 * What the connection reports for a failure of its channel: the channel's own exception (a socket error naming the
 * peer and saying what to do), or else a generic loss.
 */
function channelFailure(reason: unknown): Error {
  return reason instanceof IceRpcException
    ? reason
    : new IceRpcException(IceRpcError.ConnectionAborted, "The connection was lost.", { cause: reason });
}

/**
 * A multiplexed connection over a byte channel with Slic version 1, as IceRPC C# speaks it: QUIC-style stream ids,
 * bidirectional and unidirectional streams with the limits each side advertises, per-stream flow control,
 * closures in each direction, close codes, and the idle timeout with its keep-alive pings. See the package README
 * for the wire format and how it maps onto the contract. Browser-safe: the byte channel comes from a
 * {@link ByteChannelSource}.
 */
export class SlicConnection extends ByteChannelConnection<SlicStream> {
  readonly #slicOptions: Required<SlicOptions>;
  readonly #decoder: FrameDecoder;
  readonly #host: StreamHost;
  /** Resolves once nothing more can arrive: the peer ended the channel, it failed, or this side dropped it. */
  readonly #inputEnded = new Deferred<void>();
  /** Resolves when the connection fails, to wake what waits for the channel's backpressure. */
  readonly #failed = new Deferred<void>();
  #channel: ByteChannel | undefined;
  #writer: FrameWriter | undefined;
  /** Settles the handshake: resolved by the frame that completes it, rejected when the connection fails. */
  #handshake: Deferred<PeerParameters> | undefined;
  #peer: PeerParameters | undefined;
  #local: LocalStreams | undefined;
  #keepAlive: KeepAlive | undefined;
  #closeReceived = false;
  /** The server sent Version and waits for an Initialize it supports. */
  #versionSent = false;

  // Remote streams: the next id of each type the peer may open, and how many are open.
  #nextRemoteBidirectionalId: number;
  #nextRemoteUnidirectionalId: number;
  #remoteBidirectionalCount = 0;
  #remoteUnidirectionalCount = 0;

  /** Pings sent and not answered (C#'s accounting: a read ping waits for none pending, a write ping adds one). */
  #pendingPongs = 0;
  /** Pongs queued and not yet written. */
  #outstandingPongs = 0;

  #dataTarget: DataTarget | undefined;

  /** Throws `RangeError` for invalid options. */
  constructor(config: SlicConnectionConfig) {
    super(config);
    this.#slicOptions = resolveSlicOptions(config.slicOptions);
    this.#nextRemoteBidirectionalId = this.isServer ? 0 : 1;
    this.#nextRemoteUnidirectionalId = this.isServer ? 2 : 3;
    this.#decoder = new FrameDecoder(this.#frameHandler(), this.#slicOptions.maxStreamFrameSize);
    const peer = (): PeerParameters => this.#peer!;
    this.#host = {
      windowSize: this.#slicOptions.initialStreamWindowSize,
      get peerWindowSize(): number {
        return peer().initialStreamWindowSize;
      },
      get peerMaxStreamFrameSize(): number {
        return peer().maxStreamFrameSize;
      },
      sendData: (stream, data, last) => this.#sendData(stream, data, last),
      sendControl: (stream, type, increment) => this.#sendStreamControl(stream, type, increment),
      whenWritable: (signal) => this.#whenWritable(signal),
      streamClosed: (stream) => this.#streamClosed(stream),
    };
  }

  // --- Connection establishment ------------------------------------------------------------------------------

  protected override async handshake(
    { channel, information }: EstablishedChannel,
    signal: AbortSignal,
  ): Promise<TransportConnectionInformation> {
    this.#handshake = new Deferred<PeerParameters>();
    this.#startChannel(channel);
    if (!this.isServer) {
      const body = encodeInitializeBody(slicVersion1, this.#localParameters());
      this.#writer!.enqueue(encodeConnectionFrame(FrameType.Initialize, body));
    }
    const peer = await waitAbortable(this.#handshake.promise, signal);
    return { ...information, peerStreamLimits: peer.limits };
  }

  protected override abandonHandshake(): void {
    this.dropChannel();
  }

  #startChannel(channel: ByteChannel): void {
    this.#channel = channel;
    this.#writer = new FrameWriter(
      channel,
      (reason) => this.#lost(channelFailure(reason)),
      () => this.#keepAlive?.wrote(),
    );
    channel.start({
      data: (bytes) => this.#received(bytes),
      end: () => this.#channelEnded(),
      error: (reason) => this.#lost(channelFailure(reason)),
    });
  }

  /** What this side advertises, in C#'s way: the stream limits only when above 0, the idle timeout when finite. */
  #localParameters(): SlicParameters {
    const { idleTimeout, initialStreamWindowSize, maxStreamFrameSize } = this.#slicOptions;
    const { maxBidirectionalStreams, maxUnidirectionalStreams } = this.options;
    return {
      maxStreamFrameSize,
      initialStreamWindowSize,
      ...(idleTimeout === Infinity ? {} : { idleTimeout }),
      ...(maxBidirectionalStreams > 0 ? { maxBidirectionalStreams } : {}),
      ...(maxUnidirectionalStreams > 0 ? { maxUnidirectionalStreams } : {}),
    };
  }

  /** A frame that arrived while connecting. */
  #handshakeFrame(type: FrameType, body: Uint8Array): void {
    if (this.isServer) {
      if (type !== FrameType.Initialize) {
        throw slicProtocolError(`expected Initialize, received ${FrameType[type]}.`);
      }
      const { parameters } = decodeInitializeBody(body);
      if (parameters === undefined) {
        // A version this side does not speak: say which it does, and wait for the client to retry or leave.
        this.#versionSent = true;
        this.#writer!.enqueue(encodeConnectionFrame(FrameType.Version, encodeVersionBody([slicVersion1])));
        return;
      }
      this.#writer!.enqueue(
        encodeConnectionFrame(FrameType.InitializeAck, encodeInitializeAckBody(this.#localParameters())),
      );
      this.#becomeConnected(parameters);
    } else if (type === FrameType.InitializeAck) {
      this.#becomeConnected(decodeInitializeAckBody(body));
    } else if (type === FrameType.Version) {
      const versions = decodeVersionBody(body);
      if (versions.includes(slicVersion1)) {
        throw slicProtocolError("the server answered with a Version frame that lists version 1, which the client asked for.");
      }
      throw new IceRpcException(
        IceRpcError.ConnectionRefused,
        `The connection was refused: the server supports only Slic version(s) ${versions.join(", ")}, not version 1.`,
      );
    } else {
      throw slicProtocolError(`expected InitializeAck or Version, received ${FrameType[type]}.`);
    }
  }

  /**
   * The peer's parameters arrived: the connection is up. Done within the frame that brought them, so that the
   * frames after it in the same chunk (the server's first streams) find the connection ready.
   */
  #becomeConnected(parameters: SlicParameters): void {
    const peer = checkPeerParameters(parameters);
    this.#peer = peer;
    this.#local = new LocalStreams(this.isServer, peer.limits, (chunks) => this.#writer!.enqueue(...chunks));
    this.markConnected();
    const idleTimeout = Math.min(this.#slicOptions.idleTimeout, peer.idleTimeout);
    if (idleTimeout !== Infinity) {
      // Only the client pings, as in C#; both answer.
      this.#keepAlive = new KeepAlive(idleTimeout, {
        idle: () =>
          this.#lost(
            new IceRpcException(
              IceRpcError.ConnectionIdle,
              `The ${this.label} received nothing for ${idleTimeout} ms: the peer or the network is dead.`,
            ),
          ),
        ...(this.isServer ? {} : { readPing: () => this.#sendReadPing(), writePing: () => this.#sendWritePing() }),
      });
      this.#keepAlive.start();
    }
    this.#handshake!.resolve(peer);
  }

  // --- Streams -----------------------------------------------------------------------------------------------

  protected override localSlots(bidirectional: boolean): AsyncSemaphore {
    return this.#local!.slots(bidirectional);
  }

  protected override newLocalStream(bidirectional: boolean): SlicStream {
    const local = this.#local!;
    const stream = new SlicStream(this.#host, local.nextId(bidirectional), bidirectional, false);
    local.created(stream);
    this.streams.set(stream.id, stream);
    return stream;
  }

  #sendData(stream: SlicStream, data: Uint8Array, last: boolean): void {
    if (this.failure !== undefined) {
      return;
    }
    const frames =
      data.length === 0
        ? [encodeStreamControlFrame(FrameType.StreamLast, stream.id)]
        : [encodeStreamDataHeader(last, stream.id, data.length), data];
    this.#sendStreamFrames(stream, frames, true);
  }

  #sendStreamControl(stream: SlicStream, type: FrameType, increment?: number): void {
    if (this.failure !== undefined) {
      return;
    }
    const body = increment === undefined ? undefined : encodeVarUInt62Body(increment);
    this.#sendStreamFrames(stream, [encodeStreamControlFrame(type, stream.id, body)], false);
  }

  #sendStreamFrames(stream: SlicStream, frames: Uint8Array[], opening: boolean): void {
    if (stream.isRemote) {
      this.#writer!.enqueue(...frames);
    } else {
      this.#local!.send(stream, frames, opening);
    }
  }

  #whenWritable(signal: AbortSignal | undefined): Promise<void> | undefined {
    const blocked = this.#writer?.whenWritable();
    return blocked === undefined ? undefined : waitAbortable(Promise.race([blocked, this.#failed.promise]), signal);
  }

  /** Both directions of `stream` closed as Slic counts them: free its slot or its place in the count. */
  #streamClosed(stream: SlicStream): void {
    if (this.streams.get(stream.id) === stream) {
      this.streams.delete(stream.id);
    }
    if (stream.isRemote) {
      if (stream.isBidirectional) {
        this.#remoteBidirectionalCount--;
      } else {
        this.#remoteUnidirectionalCount--;
      }
    } else if (this.failure === undefined) {
      const local = this.#local!;
      local.closed(stream);
      local.slots(stream.isBidirectional).release();
    }
  }

  /**
   * The stream a frame names, creating it when it is the peer's next stream of its type. Undefined for a stream that
   * existed and is closed (its frames are discarded). A protocol error for a stream that cannot exist yet, a
   * stream out of order or one beyond this side's limit.
   */
  #streamOf(type: FrameType, streamId: number): SlicStream | undefined {
    const stream = this.streams.get(streamId);
    if (stream !== undefined) {
      return stream;
    }
    const { bidirectional, serverInitiated } = partsOfStreamId(streamId);
    const isRemote = serverInitiated !== this.isServer;
    const frameName = `${FrameType[type]} frame for stream ${streamId}`;
    if (!isRemote) {
      if (!this.#local!.wasAnnounced(streamId, bidirectional)) {
        throw slicProtocolError(`received a ${frameName}, a stream this side did not open.`);
      }
      return undefined;
    }
    const nextId = bidirectional ? this.#nextRemoteBidirectionalId : this.#nextRemoteUnidirectionalId;
    if (streamId < nextId) {
      return undefined;
    }
    if (streamId > nextId) {
      throw slicProtocolError(`received a ${frameName}, out of order: the peer's next stream of its type is ${nextId}.`);
    }
    if (type === FrameType.StreamWindowUpdate || (type === FrameType.StreamReadsClosed && !bidirectional)) {
      throw slicProtocolError(`received a ${frameName}, which the peer has not opened.`);
    }
    const limit = bidirectional ? this.options.maxBidirectionalStreams : this.options.maxUnidirectionalStreams;
    const count = bidirectional ? this.#remoteBidirectionalCount : this.#remoteUnidirectionalCount;
    if (count >= limit) {
      throw slicProtocolError(
        `the peer opened stream ${streamId} beyond the ${limit} ${bidirectional ? "bi" : "uni"}directional ` +
          "streams this side allows.",
      );
    }
    if (bidirectional) {
      this.#nextRemoteBidirectionalId += 4;
      this.#remoteBidirectionalCount++;
    } else {
      this.#nextRemoteUnidirectionalId += 4;
      this.#remoteUnidirectionalCount++;
    }
    const created = new SlicStream(this.#host, streamId, bidirectional, true);
    this.streams.set(streamId, created);
    this.acceptQueue.push(created);
    return created;
  }

  // --- Frames received ---------------------------------------------------------------------------------------

  #received(bytes: Uint8Array): void {
    if (this.#inputEnded.settled) {
      return;
    }
    this.#keepAlive?.read();
    try {
      this.#decoder.push(bytes);
    } catch (error) {
      this.#lost(error instanceof Error ? error : slicProtocolError(String(error)));
    }
  }

  #frameHandler(): FrameHandler {
    return {
      frame: (type, streamId, body) => this.#frame(type, streamId, body),
      streamDataStart: (type, streamId, dataLength) => this.#streamDataStart(type, streamId, dataLength),
      streamData: (bytes) => this.#dataTarget?.stream?.receiveData(bytes),
      streamDataEnd: () => {
        const target = this.#dataTarget!;
        this.#dataTarget = undefined;
        if (target.last) {
          target.stream?.receiveEnd();
        }
      },
    };
  }

  #checkFrameAllowed(type: FrameType): void {
    if (this.#closeReceived) {
      throw slicProtocolError(`received a ${FrameType[type]} frame after the Close frame.`);
    }
  }

  #frame(type: FrameType, streamId: number | undefined, body: Uint8Array): void {
    this.#checkFrameAllowed(type);
    if (!this.isConnected) {
      this.#handshakeFrame(type, body);
      return;
    }
    if (this.failure !== undefined && type !== FrameType.Close) {
      return; // closed locally: the peer's frames in flight are discarded until its Close and its end
    }
    switch (type) {
      case FrameType.Initialize:
      case FrameType.InitializeAck:
      case FrameType.Version:
        throw slicProtocolError(`received a ${FrameType[type]} frame after the connection was established.`);
      case FrameType.Close:
        this.#closeFrame(decodeVarUInt62Body("Close", body));
        return;
      case FrameType.Ping:
        this.#ping(decodePingBody("Ping", body));
        return;
      case FrameType.Pong:
        this.#pong(decodePingBody("Pong", body));
        return;
      case FrameType.StreamReadsClosed:
      case FrameType.StreamWritesClosed:
        if (body.length > 0) {
          throw slicProtocolError(`received a ${FrameType[type]} frame with a ${body.length}-byte body; it has none.`);
        }
        if (type === FrameType.StreamReadsClosed) {
          this.#streamOf(type, streamId!)?.receiveReadsClosed();
        } else {
          this.#streamOf(type, streamId!)?.receiveWritesClosed();
        }
        return;
      case FrameType.StreamWindowUpdate: {
        const stream = this.#streamOf(type, streamId!);
        const increment = decodeVarUInt62Body("StreamWindowUpdate", body);
        stream?.receiveWindowUpdate(increment);
        return;
      }
      default:
        throw slicProtocolError(`received an unexpected ${FrameType[type]} frame.`);
    }
  }

  #streamDataStart(type: FrameType.Stream | FrameType.StreamLast, streamId: number, dataLength: number): void {
    this.#checkFrameAllowed(type);
    if (!this.isConnected) {
      throw slicProtocolError(`received a ${FrameType[type]} frame before the connection was established.`);
    }
    if (type === FrameType.Stream && dataLength === 0) {
      throw slicProtocolError(`received an empty Stream frame for stream ${streamId}.`);
    }
    const { bidirectional, serverInitiated } = partsOfStreamId(streamId);
    if (!bidirectional && serverInitiated === this.isServer) {
      throw slicProtocolError(`received a ${FrameType[type]} frame for stream ${streamId}, a unidirectional stream this side writes.`);
    }
    const stream = this.failure === undefined ? this.#streamOf(type, streamId) : undefined;
    stream?.receiveDataHeader(dataLength);
    this.#dataTarget = { stream, last: type === FrameType.StreamLast };
  }

  #closeFrame(code: number): void {
    this.#closeReceived = true;
    if (this.fail(closedByPeer(code))) {
      // As IceRPC C#: a side that had not closed answers the peer's Close with its own.
      this.#writer!.enqueue(encodeConnectionFrame(FrameType.Close, encodeVarUInt62Body(code)));
    }
    if (!this.isServer) {
      // The client shuts its writes down first, at once; the server does once it sees that end.
      this.#writer!.finish("end");
    }
  }

  #ping(payload: bigint): void {
    if (this.#outstandingPongs >= this.#slicOptions.maxOutstandingPongs) {
      throw slicProtocolError(
        `received a Ping while ${this.#outstandingPongs} Pongs wait to be written: the peer does not read them.`,
      );
    }
    this.#outstandingPongs++;
    this.#writer!.enqueue(encodeConnectionFrame(FrameType.Pong, encodePingBody(payload)));
    // Outstanding until the writer may write again: what matters is a channel that pushes back, pongs piling up.
    void Promise.resolve(this.#writer!.whenWritable()).then(() => this.#outstandingPongs--);
  }

  #pong(payload: bigint): void {
    if (this.#pendingPongs <= 0) {
      throw slicProtocolError("received a Pong without a pending Ping.");
    }
    if (payload !== writePingPayload && payload !== readPingPayload) {
      throw slicProtocolError(`received a Pong with payload ${payload}; this side sends only 0 and 1.`);
    }
    this.#pendingPongs--;
  }

  #sendReadPing(): void {
    if (this.#pendingPongs === 0) {
      this.#sendPing(readPingPayload);
    }
  }

  #sendWritePing(): void {
    this.#sendPing(writePingPayload);
  }

  #sendPing(payload: bigint): void {
    if (this.failure === undefined) {
      this.#pendingPongs++;
      this.#writer!.enqueue(encodeConnectionFrame(FrameType.Ping, encodePingBody(payload)));
    }
  }

  // --- Closure -----------------------------------------------------------------------------------------------

  protected override async finishPeerClose(signal: AbortSignal | undefined): Promise<void> {
    if (this.#closeReceived) {
      // The peer closed first and this side answered: the close completes with the graceful end of the channel.
      await waitAbortable(this.#inputEnded.promise, signal);
    }
  }

  protected override async closeChannel(code: number, signal: AbortSignal | undefined): Promise<void> {
    const writer = this.#writer!;
    writer.enqueue(encodeConnectionFrame(FrameType.Close, encodeVarUInt62Body(code)));
    if (!this.isServer) {
      writer.finish("end"); // the client shuts its writes down first, which spares the server TCP's TIME_WAIT
    }
    try {
      await waitAbortable(this.#inputEnded.promise, signal);
    } catch (error) {
      this.dropChannel();
      throw error;
    }
  }

  /** The peer ended the channel. */
  #channelEnded(): void {
    if (this.#inputEnded.settled) {
      return;
    }
    if (!this.#decoder.atFrameBoundary) {
      this.#lost(new IceRpcException(IceRpcError.ConnectionAborted, "The peer ended the connection in the middle of a frame."));
      return;
    }
    if (!this.isConnected) {
      this.#lost(
        this.#versionSent
          ? new IceRpcException(
              IceRpcError.ConnectionRefused,
              "The connection was refused: the client does not speak Slic version 1, the only version this server speaks.",
            )
          : new IceRpcException(IceRpcError.ConnectionAborted, "The peer ended the connection during the handshake."),
      );
      return;
    }
    if (!this.#closeReceived && this.failure === undefined) {
      this.#lost(new IceRpcException(IceRpcError.ConnectionAborted, "The peer ended the connection without closing it."));
      return;
    }
    // A graceful end after a Close, either way: the server now shuts its writes down too.
    this.#writer!.finish("end");
    this.#keepAlive?.stop();
    this.#inputEnded.resolve();
  }

  /** The connection is lost (protocol error, channel failure, idle timeout): fail and drop the channel. */
  #lost(error: Error): void {
    this.fail(connectionLost(error));
    this.dropChannel();
  }

  protected override dropChannel(): void {
    this.#keepAlive?.stop();
    if (this.#writer !== undefined) {
      this.#writer.finish("close");
    } else {
      this.#channel?.close();
    }
    this.#inputEnded.resolve();
  }

  protected override failed(failure: ConnectionFailure): void {
    this.#failed.resolve();
    this.#handshake?.reject(failure.connectionError);
    this.#local?.slots(true).fail(failure.connectionError);
    this.#local?.slots(false).fail(failure.connectionError);
  }
}

/** The peer's parameters, checked as C# checks them; absent stream limits are 0, an absent idle timeout infinite. */
function checkPeerParameters(parameters: SlicParameters): PeerParameters {
  const { maxStreamFrameSize, initialStreamWindowSize, idleTimeout } = parameters;
  if (maxStreamFrameSize === undefined) {
    throw slicProtocolError("the peer did not send the required MaxStreamFrameSize parameter.");
  }
  if (maxStreamFrameSize < minMaxStreamFrameSize || maxStreamFrameSize > maxMaxStreamFrameSize) {
    throw slicProtocolError(
      `the peer's MaxStreamFrameSize ${maxStreamFrameSize} is out of range (${minMaxStreamFrameSize} to ${maxMaxStreamFrameSize}).`,
    );
  }
  if (initialStreamWindowSize === undefined) {
    throw slicProtocolError("the peer did not send the required InitialStreamWindowSize parameter.");
  }
  if (initialStreamWindowSize < minInitialStreamWindowSize) {
    throw slicProtocolError(
      `the peer's InitialStreamWindowSize ${initialStreamWindowSize} is below the minimum of ${minInitialStreamWindowSize}.`,
    );
  }
  if (idleTimeout === 0) {
    throw slicProtocolError("the peer's IdleTimeout is 0; it must be above 0.");
  }
  return {
    maxStreamFrameSize,
    initialStreamWindowSize,
    idleTimeout: idleTimeout ?? Infinity,
    limits: {
      maxBidirectionalStreams: parameters.maxBidirectionalStreams ?? 0,
      maxUnidirectionalStreams: parameters.maxUnidirectionalStreams ?? 0,
    },
  };
}
