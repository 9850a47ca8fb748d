import { IceRpcError, IceRpcException } from "@icerpc-ts/core";

/** The error a session fails with when the peer's frames violate the yamux protocol. */
export function protocolError(what: string): IceRpcException {
  return new IceRpcException(IceRpcError.IceRpcError, `yamux protocol error: ${what}`);
}
