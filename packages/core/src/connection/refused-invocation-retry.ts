import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { ObjectDisposedError } from "../errors/usage-errors.js";
import type { IncomingResponse } from "../invocation/incoming-response.js";
import type { OutgoingRequest } from "../invocation/outgoing-request.js";
import { asConnectionAborted } from "./as-connection-aborted.js";
import type { ProtocolConnection } from "./protocol-connection.js";

/** What {@link invokeRetryingRefusals} needs from the owner of the connections (ClientConnection, ConnectionCache). */
export interface ConnectionOwner<T> {
  /** The connection to invoke on, connected. */
  next(): Promise<T>;
  /** Stops using `connection`, which refused an invocation. */
  detach(connection: T): void;
  /** Once true, an invocation's failure is final. */
  isClosing(): boolean;
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
export async function invokeRetryingRefusals<T extends { readonly connection: ProtocolConnection }>(
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
export function retryRefusedInvocation<T extends { readonly connection: ProtocolConnection }>(
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

/** Throws the error an invocation reports, unless it failed before sending and the owner can try another connection. */
function throwUnlessRetryable(error: unknown, owner: { isClosing(): boolean }): void {
  if (owner.isClosing()) {
    throw error;
  }
  if (!wasRefusedBeforeSending(error)) {
    throw asConnectionAborted(error);
  }
}
