// The multiplexed transport contract: what every transport package implements and what the core builds on.
export { closeCodeToError, MultiplexedConnectionCloseError } from "./close-code.js";
export {
  closedByPeer,
  closedLocally,
  connectionLost,
  disposed,
  type ConnectionFailure,
} from "./connection-failure.js";
export {
  defaultMultiplexedConnectionOptions,
  type MultiplexedConnection,
  type MultiplexedConnectionOptions,
  type TlsConnectionInformation,
  type TransportConnectionInformation,
} from "./multiplexed-connection.js";
export type { FlushResult, MultiplexedStream, StreamInput, StreamOutput } from "./multiplexed-stream.js";
export type {
  AcceptedConnection,
  Listener,
  MultiplexedClientTransport,
  MultiplexedServerTransport,
} from "./multiplexed-transport.js";
export { checkTransportParams, type NetworkAddress, type TransportAddress } from "./transport-address.js";
export { TransportRegistry } from "./transport-registry.js";
