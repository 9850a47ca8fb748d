// @icerpc-ts/core/transport-helpers: what transport implementations share so that each keeps the contract's rules
// the same way (state checks, failures, stream halves, option and address checks, accept and read queues). Not
// part of the contract: a transport may do without them.
export { ByteChannelConnection, type FailableStream } from "./byte-channel-connection.js";
export type { ByteChannelSource, EstablishedChannel } from "./byte-channel-source.js";
export {
  type AcceptedChannel,
  type ByteChannelListener,
  type ByteChannelNetwork,
  ByteChannelTransport,
  type Multiplexer,
  type MultiplexerConfig,
} from "./byte-channel-transport.js";
export { BufferedStreamReader, type ReadableStreamInput } from "./buffered-stream-reader.js";
export { ChunkedStreamInput } from "./chunked-stream-input.js";
export { checkConnectionOptions } from "./check-connection-options.js";
export { checkNetworkAddress } from "./check-network-address.js";
export { checkTransportParams } from "./check-transport-params.js";
export {
  closedByPeer,
  closedLocally,
  connectionLost,
  disposed,
  type ConnectionFailure,
} from "./connection-failure.js";
export { rejectInvalidCloseCode, rejectUnlessConnected } from "./connection-usage.js";
export { CreditStreamOutput } from "./credit-stream-output.js";
export { ListenerAccepts } from "./listener-accepts.js";
export { partsOfStreamId, type StreamIdParts, streamIdOf } from "./stream-id.js";
export { openHalfCount, presentInput, presentOutput } from "./stream-halves.js";
export { type PendingRead, StreamInputState } from "./stream-input-state.js";
