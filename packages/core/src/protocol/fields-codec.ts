import type { SliceDecoder, SliceEncoder, VarIntWidth } from "../codec/index.js";
import type { OutgoingFieldValue } from "./fields.js";

/**
 * Encodes a fields dictionary. A value given as bytes gets a minimal size; a value given as an encode function is
 * encoded in place with its size on `sizeWidth` bytes, as IceRPC C# does for "write action" fields.
 */
export function encodeFields(encoder: SliceEncoder, fields: ReadonlyMap<number, OutgoingFieldValue>, sizeWidth: VarIntWidth): void {
  encoder.encodeSize(fields.size);
  for (const [key, value] of fields) {
    encoder.encodeVarUInt62(key);
    if (value instanceof Uint8Array) {
      encoder.encodeByteSequence(value);
    } else {
      encoder.encodeSizePrefixed(sizeWidth, value);
    }
  }
}

/** Decodes a fields dictionary; duplicate keys and counts that cannot fit in what remains are invalid. */
export function decodeFields(decoder: SliceDecoder): Map<number, Uint8Array> {
  return decoder.decodeDictionary(
    (d) => d.decodeVarUInt62(),
    (d) => d.decodeByteSequence(),
  );
}
