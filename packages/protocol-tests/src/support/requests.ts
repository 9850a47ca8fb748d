import {
  OutgoingRequest,
  OutgoingResponse,
  ServiceAddress,
  type IncomingRequest,
  type OutgoingRequestInit,
} from "@icerpc-ts/core";

/**
 * A request to `icerpc:/` (IceRPC C#'s `new OutgoingRequest(new ServiceAddress(Protocol.IceRpc))`), operation `op`
 * unless `init` says otherwise. Protocol connections ignore the server address, so none is needed.
 */
export function newRequest(init: Partial<OutgoingRequestInit> = {}, serviceAddress: ServiceAddress | string = "icerpc:/"): OutgoingRequest {
  const address = typeof serviceAddress === "string" ? ServiceAddress.parse(serviceAddress) : serviceAddress;
  return new OutgoingRequest(address, { operation: "op", ...init });
}

/** A server's dispatch function that calls the client back (operation `callback`) and answers with its status. */
export async function callBack(request: IncomingRequest): Promise<OutgoingResponse> {
  const callback = await request.connectionContext.invoker.invoke(newRequest({ operation: "callback" }));
  await callback.payload.readAll();
  return new OutgoingResponse({ statusCode: callback.statusCode });
}

/**
 * `length` bytes whose every byte depends on `seed` and on its offset, so that lost, duplicated or reordered bytes
 * show (a pattern repeating every 256 bytes would hide them). Plain arithmetic only: `Math.imul` is very slow in
 * jest's module sandbox, and tests generate megabytes of this.
 */
export function patternBytes(length: number, seed = 1, startOffset = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const offset = startOffset + i;
    bytes[i] = (offset ^ ((offset >>> 8) * 31) ^ ((offset >>> 16) * 131) ^ ((offset >>> 24) * 59) ^ (seed * 97)) & 0xff;
  }
  return bytes;
}
