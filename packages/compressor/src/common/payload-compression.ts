import {
  CompressionFormat,
  IceRpcException,
  IncomingPayload,
  InvalidDataError,
  type OutgoingPayload,
} from "@icerpc-ts/core";

import type { CompressionCodec } from "./compression-codec.js";
import { IterableStreamInput } from "./iterable-stream-input.js";

/** What requests and responses on their way out have in common. */
interface OutgoingFrame {
  payload: OutgoingPayload;
  payloadContinuation: AsyncIterable<Uint8Array> | undefined;
}

/**
 * Replaces the payload of `frame` with its compressed bytes. The payload and its continuation form one compressed
 * stream; with a continuation, all of it is sent as the continuation, so that it still streams while the caller
 * awaits the response.
 */
export function compressOutgoing(frame: OutgoingFrame, codec: CompressionCodec, format: CompressionFormat): void {
  const compressed = codec.compress(format, concatenated(frame.payload, frame.payloadContinuation));
  if (frame.payloadContinuation === undefined) {
    frame.payload = compressed;
  } else {
    frame.payload = new Uint8Array(0);
    frame.payloadContinuation = compressed;
  }
}

async function* concatenated(
  payload: OutgoingPayload,
  continuation: AsyncIterable<Uint8Array> | undefined,
): AsyncGenerator<Uint8Array> {
  if (payload instanceof Uint8Array) {
    yield payload;
  } else {
    yield* payload;
  }
  if (continuation !== undefined) {
    yield* continuation;
  }
}

/**
 * The decompressed payload of `payload`. A failure of `payload` itself (TruncatedData, the connection's error)
 * reaches the reader as it is; bytes that do not decompress give an `InvalidDataError`.
 */
export function decompressIncoming(payload: IncomingPayload, codec: CompressionCodec, format: CompressionFormat): IncomingPayload {
  const input = new IterableStreamInput(invalidDataOnFailure(codec.decompress(format, payload), format), () => payload.abort());
  return new IncomingPayload(input);
}

async function* invalidDataOnFailure(source: AsyncIterable<Uint8Array>, format: CompressionFormat): AsyncGenerator<Uint8Array> {
  try {
    yield* source;
  } catch (error) {
    if (error instanceof IceRpcException) {
      throw error;
    }
    throw new InvalidDataError(`The payload is not valid ${CompressionFormat[format]} data.`, { cause: error });
  }
}

/** The format of a compression format field (one byte); undefined when it is not a format this package knows. */
export function decodeCompressionFormat(value: Uint8Array): CompressionFormat | undefined {
  const format = value.length === 1 ? value[0] : undefined;
  return format === CompressionFormat.Deflate || format === CompressionFormat.Brotli ? format : undefined;
}
