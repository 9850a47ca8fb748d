import type { ConnectionContext } from "../../dispatch/connection-context.js";
import type { MultiplexedConnection } from "../../transport/multiplexed-connection.js";
import type { BackgroundTasks } from "./background-tasks.js";
import type { ConnectionActivity } from "./connection-activity.js";
import type { PeerHeaderLimit } from "./control-streams.js";

/** What the invocation and dispatch sides of an icerpc connection share once it is connected. */
export interface ConnectedConnection {
  readonly transport: MultiplexedConnection;
  /** The context of every request and response of the connection. */
  readonly connectionContext: ConnectionContext;
  /** Our MaxHeaderSize: the largest header we read. */
  readonly maxHeaderSize: number;
  /** What the headers we send must fit. */
  readonly peerHeaderLimit: PeerHeaderLimit;
  readonly activity: ConnectionActivity;
  readonly background: BackgroundTasks;
}
