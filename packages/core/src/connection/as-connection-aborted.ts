import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";

/**
 * Converts the `OperationAborted` an invocation gets when its connection is disposed under it by its owner (after a
 * shutdown request, not by the application) into `ConnectionAborted`, as IceRPC does; other errors pass unchanged.
 */
export function asConnectionAborted(error: unknown): unknown {
  return error instanceof IceRpcException && error.error === IceRpcError.OperationAborted
    ? new IceRpcException(IceRpcError.ConnectionAborted, "The connection was aborted while the invocation was in progress.", { cause: error })
    : error;
}
