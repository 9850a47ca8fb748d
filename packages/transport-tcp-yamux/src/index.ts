// icerpc over TCP and TLS with the yamux multiplexer.
export { TcpYamuxTransport } from "./tcp/tcp-yamux-transport.js";
export {
  defaultListenBacklog,
  type TcpYamuxClientTlsOptions,
  type TcpYamuxServerTlsOptions,
  type TcpYamuxTransportOptions,
} from "./tcp/tcp-yamux-transport-options.js";
export { defaultYamuxAdapterOptions, type YamuxAdapterOptions } from "./yamux-adapter/index.js";
// The yamux byte channel over a socket, for a YamuxSession over a socket of one's own (the benchmarks use it).
export { SocketChannel } from "./tcp/socket-channel.js";
