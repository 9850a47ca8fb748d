// The yamux adapter: the multiplexed transport contract over a yamux session on any byte channel. Browser-safe, so
// that transports over other channels (WebSocket) reuse it; the wire format is described in the package README.
export {
  adapterProtocolVersion,
  type ControlMessage,
  ControlMessageType,
  encodeControlMessage,
  maxControlBodySize,
} from "./control-message.js";
export { StreamKind } from "./stream-id.js";
export {
  checkConnectionOptions,
  defaultYamuxAdapterOptions,
  resolveYamuxAdapterOptions,
  type YamuxAdapterOptions,
} from "./yamux-adapter-options.js";
export { type YamuxConnectionConfig, YamuxMultiplexedConnection } from "./yamux-multiplexed-connection.js";
export { yamuxMultiplexer } from "./yamux-multiplexer.js";
