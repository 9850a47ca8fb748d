import { Deadline, runWithSignal } from "@icerpc-ts/primitives";
import type { IncomingResponse } from "../invocation/incoming-response.js";
import type { OutgoingRequest } from "../invocation/outgoing-request.js";
import type { ConnectionTimeouts } from "./connection-options.js";
import type { ConnectResult, ProtocolConnection } from "./protocol-connection.js";

/**
 * A protocol connection whose connect and shutdown are bounded by the connect and shutdown timeouts, as IceRPC's
 * connect and shutdown timeout decorators bound theirs: either rejects with a `TimeoutError` DOMException when its
 * timeout expires. The owners of connections (ClientConnection, ConnectionCache, Server) all hold theirs this way.
 */
export class TimedProtocolConnection implements ProtocolConnection {
  readonly #connection: ProtocolConnection;
  readonly #connectTimeout: number;
  readonly #shutdownTimeout: number;

  constructor(connection: ProtocolConnection, timeouts: ConnectionTimeouts) {
    this.#connection = connection;
    this.#connectTimeout = timeouts.connectTimeout;
    this.#shutdownTimeout = timeouts.shutdownTimeout;
  }

  get closed(): Promise<Error | undefined> {
    return this.#connection.closed;
  }

  /** Connects within the connect timeout; `signal` (the caller's) can cancel too. */
  connect(signal?: AbortSignal): Promise<ConnectResult> {
    const expired = `The connection establishment did not complete within the connect timeout (${this.#connectTimeout} ms).`;
    return runWithSignal(new Deadline(this.#connectTimeout, signal, expired), (deadline) => this.#connection.connect(deadline));
  }

  invoke(request: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse> {
    return this.#connection.invoke(request, signal);
  }

  /** Shuts down gracefully within the shutdown timeout; `signal` (the caller's) can cancel too. */
  shutdown(signal?: AbortSignal): Promise<void> {
    const expired = `The graceful shutdown did not complete within the shutdown timeout (${this.#shutdownTimeout} ms).`;
    return runWithSignal(new Deadline(this.#shutdownTimeout, signal, expired), (deadline) => this.#connection.shutdown(deadline));
  }

  dispose(): Promise<void> {
    return this.#connection.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
