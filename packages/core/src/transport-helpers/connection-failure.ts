import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { ObjectDisposedError } from "../errors/usage-errors.js";
import { closeCodeToError } from "../transport/close-code.js";

/**
 * Why a transport connection stopped working, as the contract says each kind of operation reports it. Transport
 * implementations share these so that every transport fails the same way.
 */
export interface ConnectionFailure {
  /** What pending and later `connect`, `createStream` and `acceptStream` calls reject with. */
  readonly connectionError: Error;
  /** What pending and later stream reads, flushes and ends reject with. */
  readonly streamError: Error;
}

/** This side called `close`: blocked creations are aborted, streams are cut off. */
export function closedLocally(): ConnectionFailure {
  return {
    connectionError: new IceRpcException(IceRpcError.OperationAborted, "The operation was aborted because the connection was closed."),
    streamError: new IceRpcException(IceRpcError.ConnectionAborted, "The connection was closed."),
  };
}

/** The peer closed the connection with `code`. */
export function closedByPeer(code: number): ConnectionFailure {
  const error = closeCodeToError(code);
  return { connectionError: error, streamError: error };
}

/** The connection was lost without a close: the peer went away, the network failed, a protocol error... */
export function connectionLost(error: Error): ConnectionFailure {
  return { connectionError: error, streamError: error };
}

/** This side was disposed; `label` names the connection in errors (e.g. "tcp-yamux connection"). */
export function disposed(label: string): ConnectionFailure {
  return {
    connectionError: new ObjectDisposedError(label),
    streamError: new IceRpcException(IceRpcError.OperationAborted),
  };
}
