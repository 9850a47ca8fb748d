import type { TransportConnectionInformation } from "../transport/multiplexed-connection.js";

/**
 * Told about the life of each connection that a `ClientConnection`, a `ConnectionCache`, a
 * `ClientProtocolConnectionFactory` or a `Server` creates (its `connectionObserver` option), e.g. to count them as
 * IceRPC's connection meters do (`@icerpc-ts/metrics`). For each connection: `connectStarted`, then exactly one of
 * `connected` and `connectFailed`, and after `connected`, `closed` once. A server's connection starts when it is
 * accepted, so a transport handshake that fails and a connection refused for the connection limit are failures to
 * connect. The calls are synchronous, in the connection's own code path: keep them short. What they throw is
 * ignored, so that an observer cannot break a connection.
 */
export interface ConnectionObserver {
  /** A connection starts connecting: the transport handshake, then the icerpc Settings. */
  connectStarted?(): void;
  /** It connected. */
  connected?(information: TransportConnectionInformation): void;
  /** It did not connect: the handshake failed or timed out, it was disposed first, or the server refused it. */
  connectFailed?(error: unknown): void;
  /**
   * A connected connection is closed: `error` is `undefined` after a graceful shutdown, else what closed it (the
   * connection was lost, or disposed before a graceful shutdown completed, as `await using` does).
   */
  closed?(error: Error | undefined): void;
}

/** Calls one method of an observer, which must not disturb the connection it observes. */
export function notifyObserver(call: () => void): void {
  try {
    call();
  } catch {
    // Ignored, as documented: the observer's failure is not the connection's.
  }
}
