import { ByteChannelTransport } from "@icerpc-ts/core/transport-helpers";
import { slicMultiplexer, type SlicOptions } from "@icerpc-ts/slic";

import { BrowserWebSocketNetwork } from "./browser-websocket-network.js";

/** Options of a browser {@link WebSocketTransport}. TLS is the browser's: it verifies with its own trust store. */
export interface WebSocketTransportOptions {
  /** `wss` (WebSocket over TLS) when true, `ws` otherwise: the transport's name and its URL scheme. */
  readonly secure?: boolean;
  /**
   * How many bytes the browser may hold unsent (`WebSocket.bufferedAmount`) before writers wait: 1 MiB by default.
   * A positive integer.
   */
  readonly maxBufferedAmount?: number;
  /** The options of the Slic multiplexer. */
  readonly slic?: SlicOptions;
}

const defaultMaxBufferedAmount = 1_048_576;

/**
 * icerpc over the browser's WebSocket, multiplexed with Slic, as a client: `?transport=ws`, or `?transport=wss` for
 * an instance made with `secure: true`; the address's `path` parameter is the URL path (`/icerpc` by default).
 * Listening is not possible in a browser.
 */
export class WebSocketTransport extends ByteChannelTransport {
  /** Throws `RangeError` for an invalid option. */
  constructor(options: WebSocketTransportOptions = {}) {
    const name = options.secure === true ? "wss" : "ws";
    const maxBufferedAmount = options.maxBufferedAmount ?? defaultMaxBufferedAmount;
    if (!Number.isInteger(maxBufferedAmount) || maxBufferedAmount < 1) {
      throw new RangeError(`Invalid maxBufferedAmount ${maxBufferedAmount}: it must be a positive integer.`);
    }
    super(name, new BrowserWebSocketNetwork(name, { maxBufferedAmount }), slicMultiplexer(options.slic));
  }
}
