/** What went wrong, in yamux's terms: the `code` of a {@link YamuxError}. */
export enum YamuxErrorCode {
  /** The peer sent frames that break the yamux spec; this side sent GoAway protocol-error and ended the session. */
  ProtocolError = "ProtocolError",
  /** This side failed while handling the peer's frames (a bug); it sent GoAway internal-error and ended the session. */
  InternalError = "InternalError",
  /** This side closed or disposed the session (`close`, `dispose`). */
  LocalShutdown = "LocalShutdown",
  /** The peer sent GoAway normal: it opens and accepts no new streams, and the session ends when it ends the channel. */
  RemoteGoAway = "RemoteGoAway",
  /** The peer sent GoAway with an error code (protocol error, internal error, or unknown): the session ended at once. */
  RemoteGoAwayError = "RemoteGoAwayError",
  /** The peer ended the channel without a GoAway, or in the middle of a frame. */
  ChannelEnded = "ChannelEnded",
  /** The byte channel failed; the channel's error is the `cause`. */
  ChannelFailed = "ChannelFailed",
  /** A keep-alive ping went unanswered for `keepAliveTimeout`: the peer or the network is dead. */
  KeepAliveTimeout = "KeepAliveTimeout",
  /** This side used up its stream ids (2^31 per side): streams must be opened on a new session. */
  StreamsExhausted = "StreamsExhausted",
  /** This side reset the stream (`reset`). */
  LocalReset = "LocalReset",
  /** The peer reset the stream (RST) before its FIN: what it did not send is lost. */
  RemoteReset = "RemoteReset",
  /** The call is not allowed now: a read while another is pending, a write or end after `end`. A bug of the caller. */
  UsageError = "UsageError",
}

/**
 * Every error a yamux session or stream fails with (apart from an aborted signal's reason and `RangeError` for a bad
 * option): `code` says what happened, the message says it for a person.
 */
export class YamuxError extends Error {
  override readonly name = "YamuxError";
  readonly code: YamuxErrorCode;

  constructor(code: YamuxErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** The error a session fails with when the peer's frames violate the yamux protocol. */
export function protocolError(what: string): YamuxError {
  return new YamuxError(YamuxErrorCode.ProtocolError, `yamux protocol error: ${what}`);
}
