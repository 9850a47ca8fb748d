import type { StreamLimits } from "../../transport/multiplexed-connection.js";

/**
 * Why the peer can never accept a two-way or a one-way request on a connection, judged from the stream limits it
 * advertised; absent when it can (or when the transport did not learn its limits). A peer's limits never grow, so an
 * invocation it refuses this way fails at once rather than waiting forever for a stream.
 */
export interface PeerRequestRefusals {
  readonly twoWay?: string;
  readonly oneway?: string;
}

const callbacksNeedDispatcher =
  "A client connection accepts requests from its server (callbacks) only when it is created with a dispatcher.";

export function peerRequestRefusals(limits: StreamLimits | undefined): PeerRequestRefusals {
  if (limits === undefined) {
    return {};
  }
  return {
    twoWay:
      limits.maxBidirectionalStreams > 0
        ? undefined
        : `The peer accepts no two-way request on this connection: it allows no bidirectional stream. ${callbacksNeedDispatcher}`,
    // The peer's control stream takes one of the unidirectional streams it allows.
    oneway:
      limits.maxUnidirectionalStreams > 1
        ? undefined
        : `The peer accepts no one-way request on this connection: it allows ${limits.maxUnidirectionalStreams} ` +
          `unidirectional stream, for its control stream. ${callbacksNeedDispatcher}`,
  };
}
