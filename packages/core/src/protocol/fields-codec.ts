import type { SliceDecoder, SliceEncoder, VarIntWidth } from "../codec/index.js";
import { InvalidDataError } from "../errors/usage-errors.js";
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

const noFields: ReadonlyMap<number, Uint8Array> = new Map();

/** Decodes a fields dictionary; duplicate keys and counts that cannot fit in what remains are invalid. */
export function decodeFields(decoder: SliceDecoder): ReadonlyMap<number, Uint8Array> {
  // Most headers have no fields, and then the dictionary is the header's last byte: share one empty map rather
  // than allocate one per request.
  if (decoder.remaining === 1) {
    const count = decoder.decodeSize();
    if (count !== 0) {
      throw new InvalidDataError(`The header announces ${count} field(s) but has no bytes left for them.`);
    }
    return noFields;
  }
  return decoder.decodeDictionary(
    (d) => d.decodeVarUInt62(),
    (d) => d.decodeByteSequence(),
  );
}
