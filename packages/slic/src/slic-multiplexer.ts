import type { Multiplexer } from "@icerpc-ts/core/transport-helpers";

import { SlicConnection } from "./slic-connection.js";
import { resolveSlicOptions, type SlicOptions } from "./slic-options.js";

/**
 * Slic as the multiplexer of a `ByteChannelTransport` (Slic over TCP, over a WebSocket...). Throws `RangeError` for
 * an invalid option, when the transport is made rather than at its first connection.
 */
export function slicMultiplexer(options?: SlicOptions): Multiplexer {
  const slicOptions = resolveSlicOptions(options);
  return (config) => new SlicConnection({ ...config, slicOptions });
}
