/** The status of an icerpc response (IceRPC's `StatusCode`); values a peer sends beyond these are kept as numbers. */
export enum StatusCode {
  Ok = 0,
  ApplicationError = 1,
  NotFound = 2,
  NotImplemented = 3,
  Unavailable = 4,
  InternalError = 5,
  InvalidData = 6,
  TruncatedPayload = 7,
  DeadlineExceeded = 8,
  Unauthorized = 9,
  NotSupported = 10,
}

/** The name of a status code for messages: `NotFound`, or the number for a code this version does not know. */
export function statusCodeName(code: number): string {
  return StatusCode[code] ?? String(code);
}
