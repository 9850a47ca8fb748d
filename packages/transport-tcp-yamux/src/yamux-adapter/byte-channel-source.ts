import type { TransportConnectionInformation } from "@icerpc-ts/core/transport";
import type { ByteChannel } from "@icerpc-ts/yamux";

/** A byte channel ready for a yamux session, with what the connection reports about it. */
export interface EstablishedChannel {
  readonly channel: ByteChannel;
  readonly information: TransportConnectionInformation;
}

/**
 * Where a connection gets its byte channel: a TCP connect and TLS handshake, a socket a listener accepted, a
 * WebSocket... The adapter calls `open` once, from `connect`; from then on the channel is the session's.
 */
export interface ByteChannelSource {
  /**
   * Establishes the channel. Rejects with an `IceRpcException` saying what failed (refused, unreachable, TLS), and
   * with `signal.reason` when `signal` aborts, after releasing what it opened.
   */
  open(signal: AbortSignal): Promise<EstablishedChannel>;

  /**
   * Releases what the source holds (a socket accepted or being connected), for a connection disposed before or while
   * it opened. Idempotent; harmless once the channel is open.
   */
  discard(): void;
}
