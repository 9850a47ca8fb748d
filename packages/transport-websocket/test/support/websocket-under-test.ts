// The WebSocket transports as tcp-transport-tests' fixture sees them: ws, and wss with the given TLS options.
import type { TcpTransportUnderTest } from "@icerpc-ts/tcp-transport-tests";

import { WebSocketTransport } from "../../src/index.js";

export const ws: TcpTransportUnderTest = {
  name: "ws",
  createTransport: (options = {}) => new WebSocketTransport(options),
};

export const wss: TcpTransportUnderTest = {
  name: "wss",
  createTransport: (options = {}) => new WebSocketTransport({ ...options, secure: true }),
};
