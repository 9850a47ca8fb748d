import { IceRpcError, IceRpcException, isIceRpcException } from "@icerpc-ts/core";

/**
 * The error a connection reports when its yamux session ended with `error` without a Close message: a graceful
 * yamux end without Close is still an abort for the adapter, and when the byte channel failed with an
 * `IceRpcException` of its own (a reset socket, a TLS alert), that diagnosis is the one to report.
 */
export function connectionErrorOf(error: unknown): Error {
  if (isIceRpcException(error, IceRpcError.ConnectionClosedByPeer)) {
    return new IceRpcException(
      IceRpcError.ConnectionAborted,
      "The peer ended the connection without a Close message.",
      { cause: error },
    );
  }
  if (isIceRpcException(error, IceRpcError.ConnectionAborted) && error.cause instanceof IceRpcException) {
    return error.cause;
  }
  if (error instanceof Error) {
    return error;
  }
  return new IceRpcException(IceRpcError.ConnectionAborted, "The connection failed.", { cause: error });
}
