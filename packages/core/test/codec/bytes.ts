import { SliceDecoder, SliceEncoder } from "../../src/codec/index.js";

/** Parses space-separated hex bytes: `"05 00"`. */
export function hex(text: string): Uint8Array {
  const trimmed = text.trim();
  return trimmed === "" ? new Uint8Array(0) : Uint8Array.from(trimmed.split(/\s+/), (byte) => parseInt(byte, 16));
}

/** Formats bytes as upper-case space-separated hex, the way the protocol reference writes them. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).toUpperCase().padStart(2, "0")).join(" ");
}

/** The bytes `encode` writes into a fresh encoder. */
export function encodeWith(encode: (encoder: SliceEncoder) => void): Uint8Array {
  const encoder = new SliceEncoder();
  encode(encoder);
  return encoder.finish();
}

/** Decodes `bytes` with `decode` and checks that nothing is left over. */
export function decodeAll<T>(bytes: Uint8Array, decode: (decoder: SliceDecoder) => T): T {
  const decoder = new SliceDecoder(bytes);
  const value = decode(decoder);
  decoder.checkEndOfBuffer();
  return value;
}
