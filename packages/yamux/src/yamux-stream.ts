/**
 * How the peer's side of a stream ended: `"fin"` it half-closed (its data ends there), `"reset"` it reset the
 * stream, `"aborted"` neither happened because the stream was reset locally or the session ended first.
 */
export type RemoteClose = "fin" | "reset" | "aborted";

/** A yamux stream: a bidirectional, flow-controlled byte stream of a {@link YamuxSession}. */
export interface YamuxStream {
  /** The stream id: odd for streams the client opened, even for the server's. */
  readonly id: number;

  /** True for a stream this side opened, false for one it accepted. */
  readonly isLocal: boolean;

  /**
   * Resolves with the next bytes received, in the pieces they arrived in, or `null` once the peer's FIN was
   * reached. The bytes belong to the caller. Reading is what grants the peer more credit: a reader that stops
   * reading stops the sender once the stream's window is full. Calls must not overlap (`YamuxError(UsageError)`).
   *
   * Rejects with `YamuxError(RemoteReset)` once the peer reset the stream before its FIN (unread data is
   * discarded), `YamuxError(LocalReset)` once it was reset locally, the session's error once the
   * session ended before the peer's FIN, and `signal.reason` if `signal` aborts (no data is lost: the next read
   * goes on). Data completed by the peer's FIN stays readable whatever happens afterwards.
   */
  read(signal?: AbortSignal): Promise<Uint8Array | null>;

  /**
   * What `read` would resolve with at once, without a promise: the next chunk received, or `null` at the end.
   * Returns undefined when `read` would wait or reject (or a read is pending): call `read` then.
   */
  tryRead(): Uint8Array | null | undefined;

  /**
   * Queues `data` after the bytes written before and resolves once all of it was handed to the channel, which
   * waits for the peer's credit (its window) and for the channel's backpressure. Large writes leave in frames of
   * the session's `maxFrameSize`. The stream takes ownership of `data`: do not modify it afterwards.
   *
   * Rejects with `YamuxError(UsageError)` after `end`, `YamuxError(LocalReset)` after a local reset,
   * `YamuxError(RemoteReset)` once the peer reset the stream, the session's error once it ended, and
   * `signal.reason` if `signal` aborts (bytes already sent stay sent, the rest is withdrawn). The promise may be
   * left unawaited (to queue several writes in one task): its rejection is never reported as unhandled.
   */
  write(data: Uint8Array, signal?: AbortSignal): Promise<void>;

  /**
   * Half-closes: sends FIN after the bytes written so far and `data`, if given (on the last Data frame when it can),
   * and resolves once the FIN was handed to the channel. `end(data)` is `write(data)` then `end()` with one promise
   * instead of two: it rejects if writing `data` fails. Rejects like `write` (and may be left unawaited like it);
   * calling it twice is a `YamuxError(UsageError)`.
   */
  end(data?: Uint8Array): Promise<void>;

  /**
   * Gives up every write and end not sent yet, without a RST: their unsent bytes are discarded and they reject with
   * `reason`; the bytes already sent stay sent, and a FIN already requested still leaves (right away, since nothing
   * precedes it anymore). Later writes go on as usual. For a writer that learns its reader stopped, or a connection
   * that stops its streams' writes, while the stream itself stays open.
   */
  withdrawWrites(reason: unknown): void;

  /**
   * Resets the stream in both directions (RST): unsent and unread bytes are discarded, pending and later reads and
   * writes reject with `YamuxError(LocalReset)`, the peer's with `YamuxError(RemoteReset)`. Does nothing once the
   * stream is closed.
   */
  reset(): void;

  /** Resolves, never rejects, once the peer's side ended: see {@link RemoteClose}. */
  readonly remoteClosed: Promise<RemoteClose>;

  /**
   * Resolves, never rejects, once the session forgot the stream: FIN was sent and received, a RST was sent or
   * received, or the session ended. Bytes received before still can be read.
   */
  readonly closed: Promise<void>;

  /** Bytes received and not yet read. */
  readonly bufferedBytes: number;

  /** The current receive window: the most this stream buffers. It grows up to the session's `maxStreamWindowSize`. */
  readonly receiveWindow: number;

  /** How many bytes the peer currently lets this side send. */
  readonly sendCredit: number;
}
