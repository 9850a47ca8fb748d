// Node TCP and TLS sockets as the byte channels of a transport: a transport over TCP is a TcpNetwork plus its
// multiplexer, put together by core's ByteChannelTransport.
export { TcpNetwork, type TcpNetworkConfig } from "./tcp-network.js";
export {
  defaultListenBacklog,
  listenBacklogOf,
  type TcpClientTlsOptions,
  type TcpNetworkOptions,
  type TcpServerTlsOptions,
} from "./tcp-network-options.js";
// For a multiplexer session over a socket of one's own (tests and benchmarks), with failures as IceRpcExceptions.
export { socketChannel } from "./socket-channel.js";
// For other Node networks over sockets (the WebSocket transport): the same failure messages and connection details.
export { listenServer } from "./listen-server.js";
export { socketException } from "./socket-errors.js";
export { connectionInformationOf, describeEndpoint } from "./socket-information.js";
