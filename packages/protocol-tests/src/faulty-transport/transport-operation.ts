/**
 * The transport operations a {@link FaultyClientTransport} or {@link FaultyServerTransport} can hold or fail
 * (IceRPC C#'s `MultiplexedTransportOperations`):
 * - `accept`: a listener's `accept`;
 * - `connect`, `createStream`, `acceptStream`, `close`, `dispose`: a connection's methods (`dispose` is a listener's
 *   too);
 * - `streamRead`: a stream input's `read`;
 * - `streamWrite`: a stream output's `flush` and `end` (`write` only buffers, so it is not an operation).
 */
export type TransportOperation =
  | "accept"
  | "connect"
  | "createStream"
  | "acceptStream"
  | "streamRead"
  | "streamWrite"
  | "close"
  | "dispose";

/**
 * Which operations to hold and which to fail, given to a transport decorator for the connections it creates and to a
 * connection for the streams it creates or accepts. A plan is a starting point: each connection, stream and listener
 * then has its own {@link OperationSwitches} that a test can flip at any time.
 */
export interface FaultPlan {
  /** Operations that wait, once called, until released (or their signal aborts). */
  readonly hold?: readonly TransportOperation[];
  /** Operations that reject with `failure`. */
  readonly fail?: readonly TransportOperation[];
  /** What failing operations reject with; by default an `IceRpcException(IceRpcError)` naming the operation. */
  readonly failure?: Error;
}
