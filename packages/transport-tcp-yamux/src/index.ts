// icerpc over TCP and TLS with the yamux multiplexer.
export { TcpYamuxTransport, type TcpYamuxTransportOptions } from "./tcp/tcp-yamux-transport.js";
export { defaultListenBacklog, type TcpClientTlsOptions, type TcpServerTlsOptions } from "@icerpc-ts/tcp-network";
export { defaultYamuxAdapterOptions, type YamuxAdapterOptions } from "./yamux-adapter/yamux-adapter-options.js";
