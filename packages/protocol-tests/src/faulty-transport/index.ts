// A fault-injecting decorator for any multiplexed transport, as IceRPC C#'s TestMultiplexedTransportDecorator.
export { FaultyClientTransport, type ConnectionFaults } from "./faulty-client-transport.js";
export { FaultyConnection } from "./faulty-connection.js";
export { FaultyListener, FaultyServerTransport } from "./faulty-server-transport.js";
export { FaultyStream, type InputCompletion, type OutputCompletion } from "./faulty-stream.js";
export { ItemList } from "./item-list.js";
export { OperationLog, type Milestone } from "./operation-log.js";
export { OperationSwitches } from "./operation-switches.js";
export type { FaultPlan, TransportOperation } from "./transport-operation.js";
