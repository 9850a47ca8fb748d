import { IceRpcError, IceRpcException, ObjectDisposedError } from "@icerpc-ts/core";
import { closeCodeToError } from "@icerpc-ts/core/transport";

/** Why a connection end stopped working, as each kind of operation reports it. */
export interface ConnectionFailure {
  /** What pending and later `connect`, `createStream` and `acceptStream` calls reject with. */
  readonly connectionError: Error;
  /** What pending and later stream reads and flushes reject with. */
  readonly streamError: Error;
}

/** This end called `close`: blocked creates are aborted, streams are cut off. */
export function closedLocally(): ConnectionFailure {
  return {
    connectionError: new IceRpcException(
      IceRpcError.OperationAborted,
      "The operation was aborted because the connection was closed.",
    ),
    streamError: new IceRpcException(IceRpcError.ConnectionAborted, "The connection was closed."),
  };
}

/** The peer called `close(code)`. */
export function closedByPeer(code: number): ConnectionFailure {
  return { connectionError: closeCodeToError(code), streamError: closeCodeToError(code) };
}

/** The peer went away without a close (disposed, gave up connecting, or refused by a listener that stopped). */
export function peerGone(error: IceRpcException): ConnectionFailure {
  return { connectionError: error, streamError: error };
}

/** This end was disposed. */
export function disposed(): ConnectionFailure {
  return {
    connectionError: new ObjectDisposedError("memory connection"),
    streamError: new IceRpcException(IceRpcError.OperationAborted),
  };
}
