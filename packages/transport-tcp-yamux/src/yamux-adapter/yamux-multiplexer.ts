import type { Multiplexer } from "@icerpc-ts/core/transport-helpers";

import { resolveYamuxAdapterOptions, type YamuxAdapterOptions } from "./yamux-adapter-options.js";
import { YamuxMultiplexedConnection } from "./yamux-multiplexed-connection.js";

/**
 * The yamux adapter as the multiplexer of a `ByteChannelTransport` (yamux over TCP, over a WebSocket...). Throws
 * `RangeError` for an invalid option, when the transport is made rather than at its first connection.
 */
export function yamuxMultiplexer(adapterOptions?: YamuxAdapterOptions): Multiplexer {
  const resolved = resolveYamuxAdapterOptions(adapterOptions);
  return (config) => new YamuxMultiplexedConnection({ ...config, adapterOptions: resolved });
}
