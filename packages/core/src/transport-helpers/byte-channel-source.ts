import type { ByteChannel } from "@icerpc-ts/primitives";

import type { TransportConnectionInformation } from "../transport/multiplexed-connection.js";

/** A byte channel ready for a multiplexer, with what the connection reports about it. */
export interface EstablishedChannel {
  readonly channel: ByteChannel;
  /** The addresses and TLS details; the multiplexer adds the peer's stream limits. */
  readonly information: TransportConnectionInformation;
}

/**
 * Where a multiplexed connection over a byte channel (Slic, yamux) gets its channel: a TCP connect and TLS
 * handshake, a socket a listener accepted, a WebSocket, an in-memory pair... The connection calls `open` once, from
 * `connect`; from then on the channel is the connection's.
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

  /**
   * Rephrases the failure of a `connect` that got this channel open with what only the channel can see of its cause
   * (e.g. a plain TCP client whose server closed without a byte most likely reached a TLS server). The multiplexer
   * calls it, when present, on every connect failure after `open` succeeded, and reports what it returns.
   */
  explainConnectFailure?(error: unknown): unknown;
}
