import type { Invoker } from "../invocation/invoker.js";
import type { TransportConnectionInformation } from "../transport/multiplexed-connection.js";

/** The connection a request or response came from, as Ice's `Connection` describes it to its users. */
export interface ConnectionContext {
  /** Sends requests back to the peer over this same connection (callbacks, as Ice's `createProxy` on a connection). */
  readonly invoker: Invoker;
  /** Local and remote addresses, and TLS details when TLS is used. */
  readonly transportConnectionInformation: TransportConnectionInformation;
  /** The name of the transport, e.g. `tcp-yamux`. */
  readonly transportName: string;
  /** True on the server side of the connection (Ice's "incoming"), false on the client side. */
  readonly isServer: boolean;
  /** Resolves when the connection closes: with `undefined` after a graceful shutdown, else with the error. */
  readonly closed: Promise<Error | undefined>;
}
