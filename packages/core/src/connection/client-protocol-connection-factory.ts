import { Deadline, runWithSignal } from "@icerpc-ts/primitives";
import { toServerAddress, type ServerAddress } from "../address/server-address.js";
import type { IncomingResponse } from "../invocation/incoming-response.js";
import type { OutgoingRequest } from "../invocation/outgoing-request.js";
import type { TransportRegistry } from "../transport/transport-registry.js";
import type { ClientConnectionOptions } from "./client-connection.js";
import { connectWithTimeout, createClientProtocolConnection } from "./connection-lifecycle.js";
import { checkInteger, resolveConnectionOptions, type ConnectionOptions } from "./connection-options.js";
import type { IceRpcProtocolConnection } from "./icerpc/icerpc-protocol-connection.js";
import type { ConnectResult, ProtocolConnection } from "./protocol-connection.js";

/** The options of a {@link ClientProtocolConnectionFactory}: a `ClientConnection`'s, without the server address. */
export type ClientProtocolConnectionFactoryOptions = Omit<ClientConnectionOptions, "serverAddress">;

/**
 * Creates the client side of icerpc connections, the building block of `ClientConnection` and `ConnectionCache`, for
 * an application that owns its connections itself (IceRPC's `ClientProtocolConnectionFactory`). A connection it
 * creates does only what its caller asks: nothing connects it, reconnects it, retries a refused invocation or shuts
 * it down when it asks for it (`ConnectResult.shutdownRequested`); its caller does, and disposes it.
 */
export class ClientProtocolConnectionFactory {
  readonly #transports: TransportRegistry;
  readonly #options: ConnectionOptions;
  readonly #connectTimeout: number;
  readonly #shutdownTimeout: number;

  /** Throws `RangeError` naming an invalid option. */
  constructor(options: ClientProtocolConnectionFactoryOptions) {
    this.#transports = options.transports;
    this.#options = resolveConnectionOptions(options);
    this.#connectTimeout = options.connectTimeout ?? 10_000;
    this.#shutdownTimeout = options.shutdownTimeout ?? 10_000;
    checkInteger("connectTimeout", this.#connectTimeout, 1);
    checkInteger("shutdownTimeout", this.#shutdownTimeout, 1);
  }

  /**
   * A new, not yet connected, connection to `serverAddress` over the transport the address names. Its `connect`
   * rejects with a `TimeoutError` DOMException after `connectTimeout`, its `shutdown` after `shutdownTimeout`.
   * Throws `TypeError` when that transport is not registered, and the transport's error for an address it rejects.
   */
  createConnection(serverAddress: string | ServerAddress): ProtocolConnection {
    const connection = createClientProtocolConnection(toServerAddress(serverAddress), this.#transports, this.#options, this.#connectTimeout);
    return new TimedProtocolConnection(connection, this.#connectTimeout, this.#shutdownTimeout);
  }
}

/** A protocol connection whose connect and shutdown are bounded by the factory's timeouts, as IceRPC's are. */
class TimedProtocolConnection implements ProtocolConnection {
  readonly #connection: IceRpcProtocolConnection;
  readonly #connectTimeout: number;
  readonly #shutdownTimeout: number;

  constructor(connection: IceRpcProtocolConnection, connectTimeout: number, shutdownTimeout: number) {
    this.#connection = connection;
    this.#connectTimeout = connectTimeout;
    this.#shutdownTimeout = shutdownTimeout;
  }

  get closed(): Promise<Error | undefined> {
    return this.#connection.closed;
  }

  connect(signal?: AbortSignal): Promise<ConnectResult> {
    return connectWithTimeout(this.#connection, this.#connectTimeout, signal);
  }

  invoke(request: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse> {
    return this.#connection.invoke(request, signal);
  }

  shutdown(signal?: AbortSignal): Promise<void> {
    const expired = `The graceful shutdown did not complete within the shutdown timeout (${this.#shutdownTimeout} ms).`;
    const deadline = new Deadline(this.#shutdownTimeout, signal, expired);
    return runWithSignal(deadline, (deadlineSignal) => this.#connection.shutdown(deadlineSignal));
  }

  dispose(): Promise<void> {
    return this.#connection.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
