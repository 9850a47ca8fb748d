export { ClientConnection, type ClientConnectionOptions } from "./client-connection.js";
export {
  ClientProtocolConnectionFactory,
  type ClientProtocolConnectionFactoryOptions,
} from "./client-protocol-connection-factory.js";
export {
  ConnectionCache,
  serverAddressFeature,
  type ConnectionCacheOptions,
  type ServerAddressFeature,
} from "./connection-cache.js";
export type { ConnectionObserver } from "./connection-observer.js";
export type { ConnectionOptions } from "./connection-options.js";
export type { ConnectResult, ProtocolConnection } from "./protocol-connection.js";
export { Server, type ServerOptions } from "./server.js";
