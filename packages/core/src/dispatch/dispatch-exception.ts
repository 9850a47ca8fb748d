import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { InvalidDataError } from "../errors/usage-errors.js";
import { StatusCode, statusCodeName } from "../protocol/status-code.js";
import { OutgoingResponse } from "./outgoing-response.js";

/** Thrown by dispatch code to answer with a specific error status code. */
export class DispatchException extends Error {
  override readonly name = "DispatchException";
  readonly statusCode: StatusCode | number;
  /** When set, the response carries InternalError instead of `statusCode` (for exceptions rethrown from a call). */
  convertToInternalError: boolean;

  constructor(statusCode: StatusCode | number, message?: string, options?: { cause?: unknown; convertToInternalError?: boolean }) {
    if (statusCode === StatusCode.Ok) {
      throw new RangeError("A DispatchException needs an error status code, not Ok.");
    }
    super(message ?? defaultMessage(statusCode, options?.cause), options);
    this.statusCode = statusCode;
    this.convertToInternalError = options?.convertToInternalError ?? false;
  }
}

function defaultMessage(statusCode: number, cause: unknown): string {
  let message = `The dispatch failed with status code ${statusCodeName(statusCode)}.`;
  if (cause instanceof Error) {
    message += ` The failure was caused by an exception of type '${cause.name}' with message: ${cause.message}`;
  }
  return message;
}

/**
 * The response for an error thrown by a dispatcher, with IceRPC C#'s status codes. A DispatchException's message is
 * sent as given; any other error's message may carry secrets, so it is sent only with `sendDetail`, otherwise the
 * message names the status code alone.
 */
export function errorToResponse(error: unknown, sendDetail: boolean): OutgoingResponse {
  if (error instanceof DispatchException) {
    return error.convertToInternalError
      ? new OutgoingResponse({ statusCode: StatusCode.InternalError, errorMessage: defaultMessage(StatusCode.InternalError, error) })
      : new OutgoingResponse({ statusCode: error.statusCode, errorMessage: error.message });
  }
  const statusCode =
    error instanceof InvalidDataError
      ? StatusCode.InvalidData
      : error instanceof IceRpcException && error.error === IceRpcError.TruncatedData
        ? StatusCode.TruncatedPayload
        : StatusCode.InternalError;
  return new OutgoingResponse({ statusCode, errorMessage: defaultMessage(statusCode, sendDetail ? error : undefined) });
}
