// @icerpc-ts/transport-websocket in browsers: the native WebSocket, client only, no Node built-in.
export { WebSocketTransport, type WebSocketTransportOptions } from "./browser/websocket-transport.js";
export { defaultPath, subprotocol } from "./common/websocket-address.js";
