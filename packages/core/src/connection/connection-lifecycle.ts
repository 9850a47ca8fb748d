import { Deadline, runWithSignal } from "@icerpc-ts/primitives";
import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { ObjectDisposedError } from "../errors/usage-errors.js";
import type { ServerAddress } from "../address/server-address.js";
import type { MultiplexedConnection, MultiplexedConnectionOptions } from "../transport/multiplexed-connection.js";
import type { TransportAddress } from "../transport/transport-address.js";
import type { TransportRegistry } from "../transport/transport-registry.js";
import type { IncomingResponse } from "../invocation/incoming-response.js";
import type { OutgoingRequest } from "../invocation/outgoing-request.js";
import type { ConnectionOptions } from "./connection-options.js";
import { IceRpcProtocolConnection } from "./icerpc/icerpc-protocol-connection.js";
import type { ConnectResult } from "./protocol-connection.js";

/** The stream limits a connection advertises: none without dispatcher, and one more unidirectional for control. */
export function multiplexedOptionsFor(options: ConnectionOptions, connectTimeout: number): MultiplexedConnectionOptions {
  const dispatches = options.dispatcher !== undefined;
  return {
    maxBidirectionalStreams: dispatches ? options.maxBidirectionalStreams : 0,
    maxUnidirectionalStreams: dispatches ? options.maxUnidirectionalStreams + 1 : 1,
    handshakeTimeout: connectTimeout,
  };
}

export function toTransportAddress(serverAddress: ServerAddress): TransportAddress {
  const { host, port, transport, params } = serverAddress;
  return transport === undefined ? { host, port, params } : { host, port, transport, params };
}

/** Creates the client side of an icerpc connection to `serverAddress` with the transport the address names. */
export function createClientProtocolConnection(
  serverAddress: ServerAddress,
  transports: TransportRegistry,
  options: ConnectionOptions,
  connectTimeout: number,
): IceRpcProtocolConnection {
  const transport = transports.clientTransport(serverAddress.transport);
  const connection: MultiplexedConnection = transport.createConnection(
    toTransportAddress(serverAddress),
    multiplexedOptionsFor(options, connectTimeout),
  );
  return new IceRpcProtocolConnection(connection, { isServer: false, options, transportName: transport.name });
}

/**
 * Connects within `timeout` milliseconds; the timeout rejects with a `TimeoutError` DOMException. `signal` (the
 * caller's) can cancel too.
 */
export function connectWithTimeout(
  connection: IceRpcProtocolConnection,
  timeout: number,
  signal?: AbortSignal,
): Promise<ConnectResult> {
  const expired = `The connection establishment did not complete within the connect timeout (${timeout} ms).`;
  return runWithSignal(new Deadline(timeout, signal, expired), (deadline) => connection.connect(deadline));
}

/** Shuts `connection` down gracefully within `timeout` milliseconds, then disposes it whatever happened. */
export async function shutdownThenDispose(connection: IceRpcProtocolConnection, timeout: number, signal?: AbortSignal): Promise<void> {
  try {
    const expired = `The graceful shutdown did not complete within the shutdown timeout (${timeout} ms).`;
    await runWithSignal(new Deadline(timeout, signal, expired), (deadline) => connection.shutdown(deadline));
  } finally {
    await connection.dispose();
  }
}

/**
 * Converts the `OperationAborted` an invocation gets when its connection is disposed under it by its owner (after a
 * shutdown request, not by the application) into `ConnectionAborted`, as IceRPC does.
 */
export function asConnectionAborted(error: unknown): unknown {
  return error instanceof IceRpcException && error.error === IceRpcError.OperationAborted
    ? new IceRpcException(IceRpcError.ConnectionAborted, "The connection was aborted while the invocation was in progress.", { cause: error })
    : error;
}

/**
 * True when an invocation failed before anything was sent (the connection refused it or was already disposed): an
 * owner of connections retries it on another connection, transparently.
 */
export function wasRefusedBeforeSending(error: unknown): boolean {
  return (
    error instanceof ObjectDisposedError ||
    (error instanceof IceRpcException && error.error === IceRpcError.InvocationRefused)
  );
}

/**
 * Invokes `request` on the connection `next` provides, and again on a new one each time a connection refused it
 * before sending it (the owner `detach`es the refusing connection). Once the owner is closing, errors are final.
 */
export async function invokeRetryingRefusals<T extends { readonly connection: IceRpcProtocolConnection }>(
  owner: ConnectionOwner<T>,
  request: OutgoingRequest,
  signal: AbortSignal | undefined,
): Promise<IncomingResponse> {
  for (;;) {
    const connection = await owner.next();
    try {
      return await connection.connection.invoke(request, signal);
    } catch (error) {
      throwUnlessRetryable(error, owner);
      owner.detach(connection);
    }
  }
}

/**
 * Continues an invocation that `connection` failed with `error`, which the owner tried first without waiting for
 * `next` (its connection was connected): retried as {@link invokeRetryingRefusals} does when it was refused.
 */
export function retryRefusedInvocation<T extends { readonly connection: IceRpcProtocolConnection }>(
  error: unknown,
  connection: T,
  owner: ConnectionOwner<T>,
  request: OutgoingRequest,
  signal: AbortSignal | undefined,
): Promise<IncomingResponse> {
  throwUnlessRetryable(error, owner);
  owner.detach(connection);
  return invokeRetryingRefusals(owner, request, signal);
}

/** What {@link invokeRetryingRefusals} needs from the owner of the connections. */
export interface ConnectionOwner<T> {
  next(): Promise<T>;
  detach(connection: T): void;
  isClosing(): boolean;
}

/** Throws the error an invocation reports, unless it failed before sending and the owner can try another connection. */
function throwUnlessRetryable(error: unknown, owner: { isClosing(): boolean }): void {
  if (owner.isClosing()) {
    throw error;
  }
  if (!wasRefusedBeforeSending(error)) {
    throw asConnectionAborted(error);
  }
}
