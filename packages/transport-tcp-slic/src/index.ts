// icerpc over TCP and TLS with Slic: IceRPC C#'s tcp transport.
export { TcpTransport, type TcpTransportOptions } from "./tcp-transport.js";
export { defaultListenBacklog, type TcpClientTlsOptions, type TcpServerTlsOptions } from "@icerpc-ts/tcp-network";
export { defaultSlicOptions, type SlicOptions } from "@icerpc-ts/slic";
