import { ByteChannelTransport } from "@icerpc-ts/core/transport-helpers";
import { slicMultiplexer } from "@icerpc-ts/slic";

import { NodeWebSocketNetwork } from "./node-websocket-network.js";
import type { WebSocketTransportOptions } from "./websocket-transport-options.js";

/**
 * icerpc over WebSocket, multiplexed with Slic: `?transport=ws`, or `?transport=wss` for an instance made with
 * `secure: true`. Addresses take one parameter, `path`, the WebSocket's URL path (`/icerpc` by default). One
 * instance serves any number of connections and listeners.
 */
export class WebSocketTransport extends ByteChannelTransport {
  /** Throws `RangeError` for an invalid option. */
  constructor(options: WebSocketTransportOptions = {}) {
    const name = options.secure === true ? "wss" : "ws";
    super(name, new NodeWebSocketNetwork(name, options), slicMultiplexer(options.slic));
  }
}
