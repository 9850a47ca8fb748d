import {
  AsyncQueue,
  AsyncSemaphore,
  type ByteChannel,
  Deferred,
  abortable,
  waitAbortable,
} from "@icerpc-ts/primitives";

import { Flag, FrameType, GoAwayCode, initialStreamWindow, maxUint32 } from "./frame.js";
import { FrameDecoder } from "./frame-decoder.js";
import { FrameWriter } from "./frame-writer.js";
import { KeepAlive } from "./keep-alive.js";
import { SessionStream, type StreamHost } from "./session-stream.js";
import { WindowGrowth } from "./window-growth.js";
import { protocolError, YamuxError, YamuxErrorCode } from "./yamux-error.js";
import { type YamuxSessionOptions, resolveYamuxSessionOptions } from "./yamux-session-options.js";
import type { YamuxStream } from "./yamux-stream.js";

/** Which end of the channel a session is: the client opens odd stream ids, the server even ones. */
export type YamuxRole = "client" | "server";

interface PendingPing {
  readonly start: number;
  resolve(rtt: number): void;
  reject(reason: unknown): void;
}

/**
 * A yamux session (hashicorp/yamux spec) over a {@link ByteChannel}: many bidirectional, flow-controlled streams
 * over one ordered byte pipe.
 *
 * The session ends, and `closed` resolves with the reason, a {@link YamuxError} whose code says:
 * - `LocalShutdown`: `close` (GoAway normal, then the channel's end) or `dispose` (the channel is closed at once);
 * - `RemoteGoAway`: the peer ended the channel after a GoAway with the normal code; `ChannelEnded`: without one, or
 *   in the middle of a frame;
 * - `RemoteGoAwayError`: the peer sent a GoAway with an error code; `ChannelFailed`: the channel failed;
 * - `ProtocolError`: the peer broke the protocol, and this side sent GoAway protocol-error;
 * - `KeepAliveTimeout`: a keep-alive ping went unanswered.
 * Every pending and later operation then fails with that error, except reads of streams whose FIN had arrived.
 */
export class YamuxSession {
  readonly role: YamuxRole;
  /** Resolves, never rejects, with the error the session ended with. */
  readonly closed: Promise<YamuxError>;

  readonly #options: Required<YamuxSessionOptions>;
  readonly #channel: ByteChannel;
  readonly #writer: FrameWriter;
  readonly #decoder: FrameDecoder;
  readonly #host: StreamHost;
  readonly #streams = new Map<number, SessionStream>();
  readonly #acceptQueue = new AsyncQueue<SessionStream>();
  /** One slot per local stream awaiting the peer's ACK. */
  readonly #openSlots: AsyncSemaphore;
  readonly #pings = new Map<number, PendingPing>();
  readonly #windowGrowth: WindowGrowth;
  readonly #closed = new Deferred<YamuxError>();
  /** Resolves once nothing more can arrive: the peer ended the channel, it failed, or it was closed. */
  readonly #inputEnded = new Deferred<void>();

  #nextStreamId: number;
  /** The highest stream id the peer opened: its lower ids that are not open any more are closed streams. */
  #highestRemoteId = 0;
  #inboundStreams = 0;
  #nextPingId = 0;
  #goAwaySent: number | undefined;
  #remoteGoAway: number | undefined;
  #error: YamuxError | undefined;
  readonly #keepAlive: KeepAlive | undefined;

  /** The stream the payload being received belongs to (undefined: discard it) and the flags of its frame. */
  #payloadTarget: SessionStream | undefined;
  #payloadFlags = 0;

  /**
   * Starts a session over `channel` (which it starts) as `role`. Throws `RangeError` for an option out of range.
   */
  constructor(channel: ByteChannel, role: YamuxRole, options: YamuxSessionOptions = {}) {
    this.#options = resolveYamuxSessionOptions(options);
    this.role = role;
    this.#channel = channel;
    this.#nextStreamId = role === "client" ? 1 : 2;
    this.#openSlots = new AsyncSemaphore(this.#options.maxUnacknowledgedStreams);
    this.closed = this.#closed.promise;
    this.#writer = new FrameWriter(
      channel,
      (reason) => this.#channelFailed(reason),
      () =>
        this.#fail(
          protocolError("the peer sends requests (pings, streams to refuse) but does not read the answers."),
          undefined,
          "close",
        ),
    );
    const writer = this.#writer;
    this.#windowGrowth = new WindowGrowth(this.#options.maxWindowGrowth, () => this.ping());
    this.#host = {
      maxFrameSize: this.#options.maxFrameSize,
      maxStreamWindowSize: this.#options.maxStreamWindowSize,
      windowGrowth: this.#windowGrowth,
      markReady: (stream) => writer.markReady(stream),
      removeStream: (stream) => this.#removeStream(stream),
    };
    this.#decoder = new FrameDecoder({
      frameHeader: (type, flags, streamId, length) => this.#frameHeader(type, flags, streamId, length),
      payload: (bytes) => this.#payloadTarget?.payload(bytes),
      dataEnd: () => this.#dataEnd(),
    });
    channel.start({
      data: (bytes) => this.#received(bytes),
      end: () => this.#channelEnded(),
      error: (reason) => this.#channelFailed(reason),
    });
    const { keepAliveInterval, keepAliveTimeout } = this.#options;
    if (keepAliveInterval > 0) {
      this.#keepAlive = new KeepAlive(
        keepAliveInterval,
        keepAliveTimeout,
        () => this.ping(),
        () =>
          this.#fail(
            new YamuxError(
              YamuxErrorCode.KeepAliveTimeout,
              `The peer did not answer a yamux keep-alive ping within ${keepAliveTimeout} ms: ` +
                "the peer or the network is dead.",
            ),
            undefined,
            "close",
          ),
      );
      this.#keepAlive.start();
    }
  }

  /** How many streams the session tracks: open, or half-closed with a FIN still to send or receive. */
  get streamCount(): number {
    return this.#streams.size;
  }

  /** The code of the last GoAway the peer sent, if any. */
  get remoteGoAwayCode(): number | undefined {
    return this.#remoteGoAway;
  }

  /**
   * Opens a stream. Its SYN leaves with the next flush, on the first Data frame if the stream is written to in the
   * same task. Waits while `maxUnacknowledgedStreams` streams await the peer's ACK. Rejects with the session's
   * error once it ended, `YamuxError(RemoteGoAway)` once the peer sent GoAway, `YamuxError(StreamsExhausted)` once
   * the stream ids are used up, and `signal.reason` if `signal` aborts.
   */
  async openStream(signal?: AbortSignal): Promise<YamuxStream> {
    this.#checkCanOpen();
    await this.#openSlots.acquire(signal);
    try {
      this.#checkCanOpen();
    } catch (error) {
      this.#openSlots.release();
      throw error;
    }
    return this.#createLocalStream();
  }

  /**
   * Opens a stream at once when {@link openStream} would not wait: throws what `openStream` would reject with
   * (the session ended, the peer sent GoAway, the stream ids are used up), and returns undefined while
   * `maxUnacknowledgedStreams` streams await their ACK. It saves the promise round of `openStream` on the path of
   * every request.
   */
  tryOpenStream(): YamuxStream | undefined {
    this.#checkCanOpen();
    return this.#openSlots.tryAcquire() ? this.#createLocalStream() : undefined;
  }

  /** Creates the next local stream, in an open slot already taken. */
  #createLocalStream(): SessionStream {
    const id = this.#nextStreamId;
    if (id > maxUint32) {
      this.#openSlots.release();
      throw new YamuxError(
        YamuxErrorCode.StreamsExhausted,
        "This yamux session used up its stream ids (2^31 per side): open the streams on a new session.",
      );
    }
    this.#nextStreamId = id + 2;
    const stream = new SessionStream(this.#host, id, true);
    this.#streams.set(id, stream);
    this.#writer.markReady(stream);
    return stream;
  }

  /**
   * Resolves with the next stream the peer opened, in the order the SYNs arrived, and acknowledges it (ACK).
   * Rejects with the session's error once it ended and with `signal.reason` if `signal` aborts.
   */
  async acceptStream(signal?: AbortSignal): Promise<YamuxStream> {
    const stream = await this.#acceptQueue.shift(signal);
    stream.accepted();
    return stream;
  }

  /** Measures the round-trip time to the peer: resolves with it in milliseconds. Rejects like `acceptStream`. */
  ping(signal?: AbortSignal): Promise<number> {
    if (this.#error !== undefined) {
      return Promise.reject(this.#error);
    }
    const id = this.#nextPingId;
    this.#nextPingId = (id + 1) >>> 0;
    return abortable<number>(
      signal,
      (resolve, reject) => {
        this.#pings.set(id, { start: performance.now(), resolve, reject });
        this.#writer.control(FrameType.Ping, Flag.Syn, 0, id);
      },
      () => this.#pings.delete(id),
    );
  }

  /**
   * Sends GoAway with `code` (normal by default): the peer opens no more streams and this side refuses (RST) those
   * it opens meanwhile; open streams go on. Only the first call sends a frame; a call after the session ended does
   * nothing. Throws `RangeError` if `code` is not a 32-bit unsigned integer.
   */
  goAway(code: number = GoAwayCode.Normal): void {
    if (!Number.isInteger(code) || code < 0 || code > maxUint32) {
      throw new RangeError(`A GoAway code must be an integer from 0 to ${maxUint32}, not ${code}.`);
    }
    if (this.#error === undefined && this.#goAwaySent === undefined) {
      this.#goAwaySent = code;
      this.#writer.control(FrameType.GoAway, 0, 0, code);
    }
  }

  /**
   * Ends the session: sends GoAway normal (unless `goAway` sent a code already) after the frames already queued,
   * ends the channel, fails every pending operation with `YamuxError(LocalShutdown)`, and resolves once the
   * peer ended the channel too (or it failed). If `signal` aborts first, the session is disposed and the call
   * rejects with `signal.reason`.
   */
  async close(signal?: AbortSignal): Promise<void> {
    this.#fail(
      new YamuxError(YamuxErrorCode.LocalShutdown, "The yamux session was closed."),
      this.#goAwaySent === undefined ? GoAwayCode.Normal : undefined,
      "end",
    );
    try {
      await waitAbortable(this.#inputEnded.promise, signal);
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** Ends the session at once: closes the channel and fails every pending operation. Idempotent. */
  dispose(): void {
    this.#fail(
      new YamuxError(YamuxErrorCode.LocalShutdown, "The yamux session was disposed."),
      undefined,
      "close",
    );
  }

  // --- Receiving -----------------------------------------------------------------------------------------------

  #received(bytes: Uint8Array): void {
    if (this.#error !== undefined) {
      return; // draining what the peer sent before it sees our end
    }
    try {
      this.#decoder.push(bytes);
    } catch (error) {
      if (error instanceof YamuxError) {
        this.#fail(error, GoAwayCode.ProtocolError, "end");
      } else {
        const internal = new YamuxError(
          YamuxErrorCode.InternalError,
          "The yamux session failed while handling the peer's frames.",
          { cause: error },
        );
        this.#fail(internal, GoAwayCode.InternalError, "end");
      }
    }
  }

  #frameHeader(type: FrameType, flags: number, streamId: number, length: number): void {
    if (this.#error !== undefined) {
      return; // the session failed while handling an earlier frame of the same chunk
    }
    switch (type) {
      case FrameType.Data:
      case FrameType.WindowUpdate:
        this.#streamFrame(type, flags, streamId, length);
        return;
      case FrameType.Ping:
        this.#checkSessionFrame("Ping", streamId);
        if ((flags & Flag.Syn) !== 0) {
          this.#writer.control(FrameType.Ping, Flag.Ack, 0, length);
        } else if ((flags & Flag.Ack) !== 0) {
          this.#pingAnswered(length);
        }
        return;
      case FrameType.GoAway:
        this.#checkSessionFrame("GoAway", streamId);
        this.#goAwayReceived(length);
        return;
    }
  }

  #streamFrame(type: FrameType, flags: number, streamId: number, length: number): void {
    if (streamId === 0) {
      throw protocolError(`received a ${FrameType[type]} frame for stream 0, which is reserved for the session.`);
    }
    let stream = this.#streams.get(streamId);
    if ((flags & Flag.Syn) !== 0) {
      if (stream !== undefined) {
        throw protocolError(`the peer opened stream ${streamId}, which is already open.`);
      }
      if (this.#isLocalId(streamId)) {
        throw protocolError(`the peer opened stream ${streamId}: ids of that parity are the ${this.role}'s.`);
      }
      stream = this.#remoteStreamOpened(streamId);
    } else if (
      stream === undefined &&
      (this.#isLocalId(streamId) ? streamId >= this.#nextStreamId : streamId > this.#highestRemoteId)
    ) {
      throw protocolError(`received a ${FrameType[type]} frame for stream ${streamId}, which was never opened.`);
    }
    // Otherwise, without a stream, the frame is for a closed stream: its peer did not know yet, so it is ignored.
    if (type === FrameType.Data) {
      if (stream !== undefined) {
        stream.dataHeader(length);
      } else if (length > this.#options.maxStreamWindowSize) {
        throw protocolError(
          `received a ${length}-byte Data frame for closed stream ${streamId}, more than this side ever grants.`,
        );
      }
      this.#payloadTarget = stream;
      this.#payloadFlags = flags;
    } else if (stream !== undefined) {
      stream.windowUpdate(length);
      this.#applyFlags(stream, flags);
    }
  }

  #dataEnd(): void {
    const stream = this.#payloadTarget;
    if (stream !== undefined) {
      this.#payloadTarget = undefined;
      this.#applyFlags(stream, this.#payloadFlags);
    }
  }

  #applyFlags(stream: SessionStream, flags: number): void {
    if ((flags & Flag.Ack) !== 0 && stream.awaitingAck) {
      stream.awaitingAck = false;
      this.#openSlots.release();
    }
    if ((flags & Flag.Fin) !== 0) {
      stream.receiveFin();
    }
    if ((flags & Flag.Rst) !== 0) {
      stream.receiveReset();
    }
  }

  /** Registers a stream the peer opened, or refuses it with RST (after GoAway, or beyond the limits). */
  #remoteStreamOpened(streamId: number): SessionStream | undefined {
    if (streamId > this.#highestRemoteId) {
      this.#highestRemoteId = streamId;
    }
    if (
      this.#goAwaySent !== undefined ||
      this.#inboundStreams >= this.#options.maxInboundStreams ||
      this.#acceptQueue.length >= this.#options.acceptBacklog
    ) {
      this.#writer.control(FrameType.WindowUpdate, Flag.Rst, streamId, 0);
      return undefined;
    }
    const stream = new SessionStream(this.#host, streamId, false);
    this.#streams.set(streamId, stream);
    this.#inboundStreams++;
    this.#acceptQueue.push(stream);
    return stream;
  }

  #checkSessionFrame(type: string, streamId: number): void {
    if (streamId !== 0) {
      throw protocolError(`received a ${type} frame for stream ${streamId}; session frames use stream 0.`);
    }
  }

  #pingAnswered(id: number): void {
    const ping = this.#pings.get(id);
    if (ping !== undefined) {
      this.#pings.delete(id);
      const now = performance.now();
      const roundTrip = now - ping.start;
      this.#windowGrowth.sample(roundTrip, now);
      ping.resolve(roundTrip);
    }
  }

  #goAwayReceived(code: number): void {
    this.#remoteGoAway = code;
    if (code === GoAwayCode.Normal) {
      this.#openSlots.fail(this.#remoteGoAwayError());
    } else {
      const meaning =
        code === GoAwayCode.ProtocolError
          ? "it received frames that break the protocol"
          : code === GoAwayCode.InternalError
            ? "it failed internally"
            : "an unknown code";
      this.#fail(
        new YamuxError(
          YamuxErrorCode.RemoteGoAwayError,
          `The peer ended the yamux session with GoAway code ${code} (${meaning}).`,
        ),
        undefined,
        "end",
      );
    }
  }

  #channelEnded(): void {
    this.#inputEnded.resolve();
    const error = !this.#decoder.atFrameBoundary
      ? new YamuxError(YamuxErrorCode.ChannelEnded, "The peer ended the yamux session in the middle of a frame.")
      : this.#remoteGoAway === GoAwayCode.Normal
        ? new YamuxError(YamuxErrorCode.RemoteGoAway, "The peer sent GoAway, then ended the yamux session.")
        : new YamuxError(YamuxErrorCode.ChannelEnded, "The peer ended the yamux session without a GoAway.");
    this.#fail(error, undefined, "end");
  }

  #channelFailed(reason: unknown): void {
    this.#fail(
      new YamuxError(YamuxErrorCode.ChannelFailed, "The channel of the yamux session failed.", { cause: reason }),
      undefined,
      "close",
    );
  }

  // --- Streams and failure -------------------------------------------------------------------------------------

  #isLocalId(streamId: number): boolean {
    return (streamId & 1) === (this.role === "client" ? 1 : 0);
  }

  #checkCanOpen(): void {
    if (this.#error !== undefined) {
      throw this.#error;
    }
    if (this.#remoteGoAway === GoAwayCode.Normal) {
      throw this.#remoteGoAwayError();
    }
  }

  #remoteGoAwayError(): YamuxError {
    return new YamuxError(YamuxErrorCode.RemoteGoAway, "The peer sent GoAway: it accepts no new streams.");
  }

  #removeStream(stream: SessionStream): void {
    if (this.#streams.get(stream.id) !== stream) {
      return;
    }
    this.#streams.delete(stream.id);
    this.#windowGrowth.release(stream.receiveWindow - initialStreamWindow);
    if (!stream.isLocal) {
      this.#inboundStreams--;
    } else if (stream.awaitingAck) {
      stream.awaitingAck = false;
      this.#openSlots.release();
    }
  }

  /**
   * Ends the session with `error` (only the first call counts): fails everything pending, writes the frames already
   * queued and the GoAway `goAway` if given, then ends the channel ("end": the peer still gets those frames and
   * this side keeps discarding input until the peer ends) or closes it ("close": nothing more is exchanged).
   */
  #fail(error: YamuxError, goAway: GoAwayCode | undefined, release: "end" | "close"): void {
    if (release === "close") {
      this.#channel.close();
      this.#inputEnded.resolve();
    }
    if (this.#error !== undefined) {
      return;
    }
    this.#error = error;
    this.#keepAlive?.stop();
    for (const ping of this.#pings.values()) {
      ping.reject(error);
    }
    this.#pings.clear();
    this.#acceptQueue.fail(error);
    this.#openSlots.fail(error);
    for (const stream of this.#streams.values()) {
      stream.sessionEnded(error);
    }
    this.#streams.clear();
    this.#inboundStreams = 0;
    this.#payloadTarget = undefined;
    this.#writer.finish(
      goAway === undefined ? undefined : (out) => out.header(FrameType.GoAway, 0, 0, goAway),
      release,
    );
    this.#closed.resolve(error);
  }
}
