import { checkIntegerOption } from "@icerpc-ts/primitives";
import type { MultiplexedConnectionOptions } from "../transport/multiplexed-connection.js";

/** setTimeout's largest delay: a longer one fires at once. */
const maxHandshakeTimeout = 2 ** 31 - 1;

/**
 * A frozen copy of `options` once checked, so that later changes by the caller have no effect. Transports call this
 * in `createConnection` and `listen`. Throws `RangeError` for an invalid value.
 */
export function checkConnectionOptions(options: MultiplexedConnectionOptions): MultiplexedConnectionOptions {
  checkIntegerOption("maxBidirectionalStreams", options.maxBidirectionalStreams, 0);
  checkIntegerOption("maxUnidirectionalStreams", options.maxUnidirectionalStreams, 0);
  const { handshakeTimeout } = options;
  // Not an integer option: a fraction of a millisecond is harmless.
  if (!(handshakeTimeout > 0 && handshakeTimeout <= maxHandshakeTimeout)) {
    throw new RangeError(
      `Invalid handshakeTimeout ${handshakeTimeout}: it must be a number of milliseconds above 0 and at most ${maxHandshakeTimeout}.`,
    );
  }
  return Object.freeze({
    maxBidirectionalStreams: options.maxBidirectionalStreams,
    maxUnidirectionalStreams: options.maxUnidirectionalStreams,
    handshakeTimeout,
  });
}
