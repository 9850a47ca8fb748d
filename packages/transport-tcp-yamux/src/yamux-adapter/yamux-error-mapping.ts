import { IceRpcError, IceRpcException, InvalidOperationError } from "@icerpc-ts/core";
import { YamuxError, YamuxErrorCode } from "@icerpc-ts/yamux";

// The one place where yamux's errors become the contract's: the rest of the adapter branches on yamux codes and
// reports what this file returns.

/** The `IceRpcError` each yamux code stands for (a usage error is a bug, reported as `InvalidOperationError`). */
const iceRpcErrorOf: Readonly<Record<Exclude<YamuxErrorCode, YamuxErrorCode.UsageError>, IceRpcError>> = {
  [YamuxErrorCode.ProtocolError]: IceRpcError.IceRpcError,
  [YamuxErrorCode.InternalError]: IceRpcError.IceRpcError,
  [YamuxErrorCode.LocalShutdown]: IceRpcError.OperationAborted,
  // A graceful yamux end is still an abort for the adapter: a peer that closes sends Close first.
  [YamuxErrorCode.RemoteGoAway]: IceRpcError.ConnectionAborted,
  [YamuxErrorCode.RemoteGoAwayError]: IceRpcError.ConnectionAborted,
  [YamuxErrorCode.ChannelEnded]: IceRpcError.ConnectionAborted,
  [YamuxErrorCode.ChannelFailed]: IceRpcError.ConnectionAborted,
  [YamuxErrorCode.KeepAliveTimeout]: IceRpcError.ConnectionIdle,
  [YamuxErrorCode.StreamsExhausted]: IceRpcError.LimitExceeded,
  [YamuxErrorCode.LocalReset]: IceRpcError.OperationAborted,
  [YamuxErrorCode.RemoteReset]: IceRpcError.TruncatedData,
};

/**
 * The error a connection reports when its yamux session ended with `error` (or an operation failed with it)
 * without a Close message. When the byte channel failed with an `IceRpcException` of its own (a reset socket, a TLS
 * alert), that diagnosis is the one reported. Errors that are not yamux's (the adapter's own, an aborted signal's
 * reason) are returned as they are.
 */
export function connectionErrorOf(error: unknown): Error {
  if (!(error instanceof YamuxError)) {
    return error instanceof Error
      ? error
      : new IceRpcException(IceRpcError.ConnectionAborted, "The connection failed.", { cause: error });
  }
  const { code } = error;
  if (code === YamuxErrorCode.UsageError) {
    return new InvalidOperationError(error.message, { cause: error });
  }
  if (code === YamuxErrorCode.ChannelFailed && error.cause instanceof IceRpcException) {
    return error.cause;
  }
  const message =
    code === YamuxErrorCode.RemoteGoAway ? "The peer ended the connection without a Close message." : error.message;
  return new IceRpcException(iceRpcErrorOf[code], message, { cause: error });
}

/** True when `error` says that the peer reset the yamux stream (RST). */
export function isRemoteReset(error: unknown): boolean {
  return error instanceof YamuxError && error.code === YamuxErrorCode.RemoteReset;
}

/** True when `error` says that the peer sent GoAway normal: it closes, and its Close message may still be on its way. */
export function isRemoteGoAway(error: unknown): boolean {
  return error instanceof YamuxError && error.code === YamuxErrorCode.RemoteGoAway;
}
