import { SliceDecoder, SliceEncoder, type VarIntWidth } from "../codec/index.js";
import type { OutgoingFieldValue } from "./fields.js";
import { decodeFields, encodeFields } from "./fields-codec.js";
import { fillHeaderSize } from "./request-header.js";
import { StatusCode } from "./status-code.js";

export interface ResponseHeader {
  readonly statusCode: number;
  /** Present exactly when the status code is not Ok. */
  readonly errorMessage?: string;
  readonly fields: ReadonlyMap<number, Uint8Array>;
}

/**
 * The size-prefixed response header. Throws `IceRpcException(LimitExceeded)` when it is larger than the peer's
 * MaxHeaderSize.
 */
export function encodeResponseHeader(
  response: { readonly statusCode: number; readonly errorMessage: string | undefined; readonly fields: ReadonlyMap<number, OutgoingFieldValue> },
  peerMaxHeaderSize: number,
  sizeWidth: VarIntWidth,
): Uint8Array {
  const encoder = new SliceEncoder({ initialCapacity: 64 });
  const placeholder = encoder.reserveVarUInt62(sizeWidth);
  encoder.encodeVarUInt62(response.statusCode);
  if (response.statusCode !== StatusCode.Ok) {
    encoder.encodeString(response.errorMessage ?? "");
  }
  encodeFields(encoder, response.fields, sizeWidth);
  fillHeaderSize(encoder, placeholder, peerMaxHeaderSize, "response");
  return encoder.finish();
}

/** Decodes a response header (without its size prefix). */
export function decodeResponseHeader(bytes: Uint8Array): ResponseHeader {
  const decoder = new SliceDecoder(bytes);
  const statusCode = decoder.decodeVarUInt62();
  const errorMessage = statusCode === StatusCode.Ok ? undefined : decoder.decodeString();
  const fields = decodeFields(decoder);
  decoder.checkEndOfBuffer();
  return errorMessage === undefined ? { statusCode, fields } : { statusCode, errorMessage, fields };
}
