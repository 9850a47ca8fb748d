import type { Multiplexer } from "@icerpc-ts/core/transport-helpers";

import { type YamuxAdapterOptions, yamuxSessionOptionsOf } from "./yamux-adapter-options.js";
import { YamuxMultiplexedConnection } from "./yamux-multiplexed-connection.js";

/**
 * The yamux adapter as the multiplexer of a `ByteChannelTransport`. Throws `RangeError` for an invalid option, when
 * the transport is made rather than at its first connection.
 */
export function yamuxMultiplexer(adapterOptions?: YamuxAdapterOptions): Multiplexer {
  const sessionOptions = yamuxSessionOptionsOf(adapterOptions);
  return (config) => new YamuxMultiplexedConnection({ ...config, sessionOptions });
}
