// @icerpc-ts/core/transport: the multiplexed transport contract, what every transport package implements and what
// the icerpc protocol connection builds on. The helpers transports share are in ../transport-helpers.
export { closeCodeToError, MultiplexedConnectionCloseError } from "./close-code.js";
export {
  defaultMultiplexedConnectionOptions,
  type MultiplexedConnection,
  type MultiplexedConnectionOptions,
  type StreamLimits,
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
export type { NetworkAddress, TransportAddress } from "./transport-address.js";
