import type { MultiplexedConnectionOptions } from "../transport/multiplexed-connection.js";
import type { ConnectionOptions } from "./connection-options.js";

/**
 * The options a connection gives its transport connection: the stream limits it advertises (none without dispatcher,
 * and one more unidirectional stream for the peer's control stream) and the handshake's share of the connect timeout.
 */
export function multiplexedOptionsFor(options: ConnectionOptions, connectTimeout: number): MultiplexedConnectionOptions {
  const dispatches = options.dispatcher !== undefined;
  return {
    maxBidirectionalStreams: dispatches ? options.maxBidirectionalStreams : 0,
    maxUnidirectionalStreams: dispatches ? options.maxUnidirectionalStreams + 1 : 1,
    handshakeTimeout: connectTimeout,
  };
}
