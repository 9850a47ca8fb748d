import { IceRpcError, IceRpcException, InvalidDataError } from "@icerpc-ts/core";

/**
 * The error a connection fails with when the peer breaks the Slic protocol, as IceRPC C# reports it:
 * `IceRpcException(IceRpcError.IceRpcError)`.
 */
export function slicProtocolError(detail: string, cause?: unknown): IceRpcException {
  return new IceRpcException(
    IceRpcError.IceRpcError,
    `The connection was aborted by a Slic protocol error: ${detail}`,
    cause === undefined ? undefined : { cause },
  );
}

/** Runs `decode` over a frame body; bytes that do not decode are the peer's protocol error. */
export function decodeBody<T>(frameName: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof InvalidDataError) {
      throw slicProtocolError(`the ${frameName} frame body is invalid: ${error.message}`, error);
    }
    throw error;
  }
}
