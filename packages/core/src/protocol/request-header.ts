import { SliceDecoder, SliceEncoder, type VarIntWidth } from "../codec/index.js";
import { isValidPath } from "../address/uri-syntax.js";
import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { InvalidDataError } from "../errors/usage-errors.js";
import type { OutgoingFieldValue } from "./fields.js";
import { decodeFields, encodeFields } from "./fields-codec.js";

export interface RequestHeader {
  readonly path: string;
  readonly operation: string;
  readonly fields: ReadonlyMap<number, Uint8Array>;
}

/**
 * The size-prefixed request header. Throws `IceRpcException(LimitExceeded)` when the header is larger than the
 * peer's MaxHeaderSize: the peer would reject it.
 */
export function encodeRequestHeader(
  request: { readonly serviceAddress: { readonly path: string }; readonly operation: string; readonly fields: ReadonlyMap<number, OutgoingFieldValue> },
  peerMaxHeaderSize: number,
  sizeWidth: VarIntWidth,
): Uint8Array {
  const encoder = new SliceEncoder({ initialCapacity: 64 });
  const placeholder = encoder.reserveVarUInt62(sizeWidth);
  encoder.encodeString(request.serviceAddress.path);
  encoder.encodeString(request.operation);
  encodeFields(encoder, request.fields, sizeWidth);
  fillHeaderSize(encoder, placeholder, peerMaxHeaderSize, "request");
  return encoder.finish();
}

/** Decodes a request header (without its size prefix). */
export function decodeRequestHeader(bytes: Uint8Array): RequestHeader {
  const decoder = new SliceDecoder(bytes);
  const path = decoder.decodeString();
  if (!isValidPath(path)) {
    throw new InvalidDataError(`The request path '${escapeForMessage(path)}' is not a valid absolute path.`);
  }
  const operation = decoder.decodeString();
  const fields = decodeFields(decoder);
  decoder.checkEndOfBuffer();
  return { path, operation, fields };
}

/** Fills in the header size, checking it against the peer's limit. Shared by request and response headers. */
export function fillHeaderSize(
  encoder: SliceEncoder,
  placeholder: ReturnType<SliceEncoder["reserveVarUInt62"]>,
  peerMaxHeaderSize: number,
  kind: string,
): void {
  const size = encoder.length - placeholder.offset - placeholder.width;
  if (size > peerMaxHeaderSize) {
    throw new IceRpcException(
      IceRpcError.LimitExceeded,
      `The ${kind} header is ${size} bytes, more than the peer's MaxHeaderSize of ${peerMaxHeaderSize} bytes: send fewer or smaller fields.`,
    );
  }
  encoder.fillVarUInt62(placeholder, size);
}

function escapeForMessage(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
