// The multiplexed transport contract: what every transport package implements and what the core builds on.
export { checkConnectionOptions } from "../transport-helpers/check-connection-options.js";
export { closeCodeToError, MultiplexedConnectionCloseError } from "./close-code.js";
export {
  closedByPeer,
  closedLocally,
  connectionLost,
  disposed,
  type ConnectionFailure,
} from "../transport-helpers/connection-failure.js";
export { rejectInvalidCloseCode, rejectUnlessConnected } from "../transport-helpers/connection-usage.js";
export { ListenerAccepts } from "../transport-helpers/listener-accepts.js";
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
export { openHalfCount, presentInput, presentOutput } from "../transport-helpers/stream-halves.js";
export { type PendingRead, StreamInputState } from "../transport-helpers/stream-input-state.js";
export { checkTransportParams, type NetworkAddress, type TransportAddress } from "./transport-address.js";
export { TransportRegistry } from "./transport-registry.js";
