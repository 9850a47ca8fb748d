import { DispatchException, OutgoingResponse, StatusCode, type Dispatcher } from "@icerpc-ts/core";
import { SliceDecoder, SliceEncoder } from "@icerpc-ts/core/codec";

/** The greeter service: operation `greet(name: string) -> string`, with Slice2-encoded string payloads. */
export const greeter: Dispatcher = {
  async dispatch(request) {
    if (request.operation !== "greet") {
      throw new DispatchException(StatusCode.NotImplemented, `The greeter has no operation '${request.operation}'.`);
    }
    const name = new SliceDecoder(await request.payload.readAll({ maxBytes: 4096 })).decodeString();
    const encoder = new SliceEncoder();
    encoder.encodeString(`Hello, ${name}!`);
    return new OutgoingResponse({ payload: encoder.finish() });
  },
};

export function encodeName(name: string): Uint8Array {
  const encoder = new SliceEncoder();
  encoder.encodeString(name);
  return encoder.finish();
}
