// @icerpc-ts/transport-websocket in Node: the ws package, client and server. Bundlers that honour the "browser"
// condition take ./browser.ts instead, the native WebSocket, client only.
export { WebSocketTransport } from "./node/websocket-transport.js";
export type { WebSocketTransportOptions } from "./node/websocket-transport-options.js";
export { defaultPath, subprotocol } from "./common/websocket-address.js";
export { defaultMaxMessageSize, maxSentMessageSize } from "./common/message-size.js";
