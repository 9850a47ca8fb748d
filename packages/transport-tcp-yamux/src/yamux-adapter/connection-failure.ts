import { IceRpcError, IceRpcException, ObjectDisposedError } from "@icerpc-ts/core";
import { closeCodeToError } from "@icerpc-ts/core/transport";

/** Why a connection stopped working, as each kind of operation reports it. */
export interface ConnectionFailure {
  /** What pending and later `connect`, `createStream` and `acceptStream` calls reject with. */
  readonly connectionError: Error;
  /** What pending and later stream reads, flushes and ends reject with. */
  readonly streamError: Error;
}

/** This side called `close`: blocked creations are aborted, streams are cut off. */
export function closedLocally(): ConnectionFailure {
  return {
    connectionError: new IceRpcException(
      IceRpcError.OperationAborted,
      "The operation was aborted because the connection was closed.",
    ),
    streamError: new IceRpcException(IceRpcError.ConnectionAborted, "The connection was closed."),
  };
}

/** The peer sent Close with `code`. */
export function closedByPeer(code: number): ConnectionFailure {
  const error = closeCodeToError(code);
  return { connectionError: error, streamError: error };
}

/** The connection was lost (the peer went away, the network failed, keep-alive expired, protocol error). */
export function lost(error: Error): ConnectionFailure {
  return { connectionError: error, streamError: error };
}

/** This side was disposed; `label` names the connection in errors (e.g. "tcp-yamux connection"). */
export function disposed(label: string): ConnectionFailure {
  return {
    connectionError: new ObjectDisposedError(label),
    streamError: new IceRpcException(IceRpcError.OperationAborted),
  };
}
