import { DispatchException, OutgoingResponse, StatusCode, type IncomingRequest } from "@icerpc-ts/core";
import { decodeOperationPayload, encodeOperationPayload } from "@icerpc-ts/core/codec";

/**
 * The path of the greeter, that of IceRPC C#'s greeter example (Slice `module VisitorCenter`,
 * `interface Greeter { greet(name: string) -> string }`), so that either side can be a C# peer.
 */
export const GREETER_PATH = "/VisitorCenter.Greeter";

/**
 * The greeter service, a dispatch function. Its argument and return value are encoded as C#'s Slice-generated code
 * encodes them (see `encodeOperationPayload`).
 */
export async function greeter(request: IncomingRequest): Promise<OutgoingResponse> {
  if (request.operation !== "greet") {
    throw new DispatchException(StatusCode.NotImplemented, `The greeter has no operation '${request.operation}'.`);
  }
  const name = decodeGreetArguments(await request.payload.readAll({ maxBytes: 4096 }));
  return new OutgoingResponse({ payload: encodeString(`Hello, ${name}!`) });
}

/** The request payload of `greet(name)`. */
export const encodeGreetArguments = encodeString;

/** The name a `greet` request carries. */
export const decodeGreetArguments = decodeString;

/** The greeting an Ok response to `greet` carries. */
export const decodeGreetReturnValue = decodeString;

function encodeString(value: string): Uint8Array {
  return encodeOperationPayload((encoder) => encoder.encodeString(value));
}

function decodeString(payload: Uint8Array): string {
  return decodeOperationPayload(payload, (decoder) => decoder.decodeString());
}
