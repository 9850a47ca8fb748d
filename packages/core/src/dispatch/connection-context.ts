import type { Invoker } from "../invocation/invoker.js";
import type { TransportConnectionInformation } from "../transport/multiplexed-connection.js";

/** The connection a request or response came from. */
export interface ConnectionContext {
  /** Sends requests back to the peer over this same connection (callbacks, as Ice's `createProxy` on a connection). */
  readonly invoker: Invoker;
  readonly transportConnectionInformation: TransportConnectionInformation;
}
