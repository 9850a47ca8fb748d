import type { Invoker } from "../invocation/invoker.js";
import type { TransportConnectionInformation } from "../transport/multiplexed-connection.js";

/** What `ProtocolConnection.connect` reports. */
export interface ConnectResult {
  readonly transportConnectionInformation: TransportConnectionInformation;
  /**
   * Resolves when the connection wants its owner to shut it down: the peer sent GoAway, the connection was
   * inactive for `inactivityTimeout`, or it was lost. New invocations are already refused by then.
   */
  readonly shutdownRequested: Promise<void>;
}

/**
 * An icerpc connection over a multiplexed transport connection: sends requests (it is an invoker) and dispatches
 * the peer's requests. `ClientConnection`, `ConnectionCache` and `Server` own these.
 */
export interface ProtocolConnection extends Invoker, AsyncDisposable {
  /** Connects the transport and exchanges icerpc Settings; once only. */
  connect(signal?: AbortSignal): Promise<ConnectResult>;
  /**
   * Shuts down gracefully: refuses new invocations, exchanges GoAway, waits for pending invocations and dispatches,
   * and closes the transport connection. Once only, after a successful connect.
   */
  shutdown(signal?: AbortSignal): Promise<void>;
  /** Aborts everything in progress and releases the transport connection. Idempotent. */
  dispose(): Promise<void>;
  /** Resolves once the connection is closed, with the error that closed it or `undefined` after a graceful shutdown. */
  readonly closed: Promise<Error | undefined>;
}
