import { SliceDecoder, type SliceEncoder } from "@icerpc-ts/core/codec";

/** Encodes `context` as a Slice2 `Dictionary<string, string>`, the value of request field 0 (as IceRPC C# does). */
export function encodeRequestContext(encoder: SliceEncoder, context: ReadonlyMap<string, string>): void {
  encoder.encodeDictionary(
    context,
    (e, key) => e.encodeString(key),
    (e, value) => e.encodeString(value),
  );
}

/** Decodes the value of request field 0; throws `InvalidDataError` when the bytes are not exactly one dictionary. */
export function decodeRequestContext(bytes: Uint8Array): Map<string, string> {
  const decoder = new SliceDecoder(bytes);
  const context = decoder.decodeDictionary(
    (d) => d.decodeString(),
    (d) => d.decodeString(),
  );
  decoder.checkEndOfBuffer();
  return context;
}
