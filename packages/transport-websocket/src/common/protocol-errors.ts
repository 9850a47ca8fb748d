import { IceRpcError, IceRpcException } from "@icerpc-ts/core";

/** WebSocket close codes (RFC 6455 §7.4.1) the transport sends. */
export const CloseCode = {
  normal: 1000,
  unsupportedData: 1003,
  messageTooBig: 1009,
} as const;

/** The peer sent a text message: the transport carries bytes in binary messages only. */
export function textMessageError(peer: string): IceRpcException {
  return new IceRpcException(
    IceRpcError.IceRpcError,
    `The WebSocket connection with ${peer} received a text message: icerpc over WebSocket uses binary messages only, ` +
      "so the peer is not an icerpc peer or is broken; the connection is closed (1003).",
  );
}

/** The peer closed the WebSocket with a code other than a normal closure. */
export function abnormalCloseError(peer: string, code: number, reason: string): IceRpcException {
  const error = code === CloseCode.messageTooBig ? IceRpcError.IceRpcError : IceRpcError.ConnectionAborted;
  const detail = reason === "" ? "" : `: ${reason}`;
  return new IceRpcException(error, `The WebSocket connection with ${peer} was closed with code ${code}${detail}.`);
}
