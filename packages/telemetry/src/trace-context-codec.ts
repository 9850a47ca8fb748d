import { InvalidDataError } from "@icerpc-ts/core";
import { SliceDecoder, type SliceEncoder } from "@icerpc-ts/core/codec";
import { createTraceState, type SpanContext } from "@opentelemetry/api";

/**
 * The W3C Baggage spec guarantees propagation only up to 64 entries; IceRPC clips at that count both when it writes
 * and when it reads, so that no hop grows the baggage.
 */
export const maxBaggageEntries = 64;

export interface TraceContext {
  readonly spanContext: SpanContext;
  readonly baggage: readonly (readonly [key: string, value: string])[];
}

/**
 * Encodes the request field TraceContext (1) as IceRPC does: the W3C traceparent in binary (version 0, 16-byte trace
 * id, 8-byte span id, flags byte), then the tracestate as a string and the baggage as a `Sequence<{key: string,
 * value: string}>`.
 */
export function encodeTraceContext(encoder: SliceEncoder, traceContext: TraceContext): void {
  const { spanContext } = traceContext;
  encoder.encodeUInt8(0);
  encoder.encodeBytes(hexToBytes(spanContext.traceId));
  encoder.encodeBytes(hexToBytes(spanContext.spanId));
  encoder.encodeUInt8(spanContext.traceFlags);
  encoder.encodeString(spanContext.traceState?.serialize() ?? "");
  encoder.encodeSequence(traceContext.baggage.slice(0, maxBaggageEntries), (entryEncoder, [key, value]) => {
    entryEncoder.encodeString(key);
    entryEncoder.encodeString(value);
  });
}

/**
 * Decodes the TraceContext field of a request received from a peer; throws `InvalidDataError` for bytes that are not
 * a trace context, which the dispatch answers with InvalidData, as IceRPC C# does. As C#, it ignores the version
 * byte, keeps the first 64 baggage entries and leaves the rest unread.
 */
export function decodeTraceContext(bytes: Uint8Array): TraceContext {
  const decoder = new SliceDecoder(bytes);
  decoder.decodeUInt8();
  const traceId = bytesToHex(decoder.decodeBytes(16));
  const spanId = bytesToHex(decoder.decodeBytes(8));
  const traceFlags = decoder.decodeUInt8();
  const traceState = decoder.decodeString();
  // Two empty strings take two bytes.
  const count = Math.min(decoder.decodeCount(2), maxBaggageEntries);
  const baggage: [string, string][] = [];
  for (let i = 0; i < count; ++i) {
    baggage.push([decoder.decodeString(), decoder.decodeString()]);
  }
  return {
    spanContext: {
      traceId,
      spanId,
      traceFlags,
      isRemote: true,
      ...(traceState === "" ? {} : { traceState: parseTraceState(traceState) }),
    },
    baggage,
  };
}

function parseTraceState(text: string): ReturnType<typeof createTraceState> {
  try {
    return createTraceState(text);
  } catch (error) {
    throw new InvalidDataError(`The trace context carries an invalid tracestate: ${String(error)}`);
  }
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; ++i) {
    bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return bytes;
}

function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
