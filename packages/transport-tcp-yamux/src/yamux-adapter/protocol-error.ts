import { IceRpcError, IceRpcException } from "@icerpc-ts/core";

/**
 * The error a connection fails with when the peer breaks the adapter protocol (a bad control message, a stream
 * without its kind byte, more streams than allowed): the connection cannot go on, and retrying would fail again.
 */
export function adapterProtocolError(detail: string, cause?: unknown): IceRpcException {
  return new IceRpcException(
    IceRpcError.IceRpcError,
    `The peer broke the yamux adapter protocol: ${detail}`,
    cause === undefined ? undefined : { cause },
  );
}
