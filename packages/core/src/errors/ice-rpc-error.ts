/**
 * The error codes carried by {@link IceRpcException}, with the numeric values of IceRPC C#'s `IceRpcError` so that
 * logs and tests line up across implementations.
 */
export enum IceRpcError {
  /** An uncategorized error, typically a protocol violation by the peer. */
  IceRpcError = -1,
  /** The listen address is already in use. */
  AddressInUse = 1,
  /** The connection was aborted: peer abort, network failure, reset, or end of stream without a close frame. */
  ConnectionAborted = 2,
  /** The peer closed the connection gracefully. */
  ConnectionClosedByPeer = 3,
  /** The transport's idle timeout expired: the peer or the network is considered dead. */
  ConnectionIdle = 4,
  /** The peer refused the connection. */
  ConnectionRefused = 5,
  /** The request was sent but the peer did not dispatch it; it is safe to retry. */
  InvocationCanceled = 6,
  /** The invocation was refused before it was sent; it is always safe to retry. */
  InvocationRefused = 7,
  /** A limit was exceeded, for example a header larger than the peer's maximum header size. */
  LimitExceeded = 8,
  /** The invoker found no server address or connection to send the request to. */
  NoConnection = 9,
  /** The connection or stream was disposed while the operation was in progress. */
  OperationAborted = 10,
  /** The server rejected the connection because it reached its maximum number of connections. */
  ServerBusy = 11,
  /** The server could not be reached (host or network unreachable, name resolution failure, connect timeout). */
  ServerUnreachable = 12,
  /** A stream ended abnormally: the peer aborted its write side. */
  TruncatedData = 13,
}

const defaultMessages: Record<IceRpcError, string> = {
  [IceRpcError.IceRpcError]: "An unexpected error occurred.",
  [IceRpcError.AddressInUse]: "The address is already in use.",
  [IceRpcError.ConnectionAborted]: "The connection was aborted.",
  [IceRpcError.ConnectionClosedByPeer]: "The connection was closed by the peer.",
  [IceRpcError.ConnectionIdle]: "The connection was idle for too long and was aborted.",
  [IceRpcError.ConnectionRefused]: "The connection was refused by the peer.",
  [IceRpcError.InvocationCanceled]: "The invocation was canceled: the peer did not dispatch the request.",
  [IceRpcError.InvocationRefused]: "The invocation was refused: the request was not sent.",
  [IceRpcError.LimitExceeded]: "A limit was exceeded.",
  [IceRpcError.NoConnection]: "No connection or server address is available for this request.",
  [IceRpcError.OperationAborted]: "The operation was aborted because the connection or stream was disposed.",
  [IceRpcError.ServerBusy]: "The server is busy and refused the connection.",
  [IceRpcError.ServerUnreachable]: "The server could not be reached.",
  [IceRpcError.TruncatedData]: "The stream was aborted by the peer before its end: the data is truncated.",
};

/**
 * The exception for every failure that icerpc reports through an {@link IceRpcError} code. It prints with its code's
 * name, as Node prints its own error codes: `IceRpcException [ConnectionRefused]: The connection was refused...`,
 * in `String(e)`, in the first line of `e.stack` and in `console.log(e)`; `e.error` stays the numeric code.
 */
export class IceRpcException extends Error {
  override readonly name = "IceRpcException";

  constructor(
    readonly error: IceRpcError,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? defaultMessages[error], options);
    // V8 (Node, Chromium) writes the stack's first line from `name` when the stack is first read: read it now under
    // the name with the code, then restore the name.
    const mutable = this as { name: string };
    mutable.name = qualifiedName(error);
    void this.stack;
    mutable.name = "IceRpcException";
  }

  override toString(): string {
    return `${qualifiedName(this.error)}: ${this.message}`;
  }
}

/** `IceRpcException [ConnectionRefused]`; a code this version does not know shows as its number. */
function qualifiedName(error: IceRpcError): string {
  return `IceRpcException [${IceRpcError[error] ?? error}]`;
}

/** True when `e` is an {@link IceRpcException} carrying `error` (any error when `error` is omitted). */
export function isIceRpcException(e: unknown, error?: IceRpcError): e is IceRpcException {
  return e instanceof IceRpcException && (error === undefined || e.error === error);
}
