import { SliceEncoder, VAR_UINT62_MAX, type VarIntWidth } from "@icerpc-ts/core/codec";
import { concatBytes } from "@icerpc-ts/primitives";

/**
 * Encoders of icerpc frames and headers with any content, valid or not, for tests that play a hostile peer. They
 * follow the wire format (reference §1.4 to §1.6) without the checks of the core's encoders, which refuse to produce
 * invalid data.
 */

/** The largest varuint62 (2^62 − 1), what C#'s tests use as "a bogus huge value". */
export const varUInt62Max = VAR_UINT62_MAX;

export const ControlFrameType = { settings: 0, goAway: 1 } as const;

/** A varuint62 or a size: a number, or a bigint for values above 2^53. */
export type VarUInt = number | bigint;

/** `body` prefixed with its size encoded on `width` bytes (2, as C# writes with the default MaxHeaderSize). */
export function sizePrefixed(body: Uint8Array, width: VarIntWidth = 2): Uint8Array {
  const encoder = new SliceEncoder();
  encoder.encodeVarUInt62(body.length, width);
  encoder.encodeBytes(body);
  return encoder.finish();
}

/** The bytes `encode` writes. */
export function encodeBytes(encode: (encoder: SliceEncoder) => void): Uint8Array {
  const encoder = new SliceEncoder();
  encode(encoder);
  return encoder.finish();
}

/** A control frame: its type byte, then `body` prefixed by its size on `width` bytes. */
export function controlFrame(type: number, body: Uint8Array, width: VarIntWidth = 2): Uint8Array {
  return concatBytes([Uint8Array.of(type), sizePrefixed(body, width)]);
}

/** A Settings body: a dictionary of varuint62 keys and values, in the order given (duplicates allowed). */
export function settingsBody(entries: ReadonlyArray<readonly [VarUInt, VarUInt]> = []): Uint8Array {
  return encodeBytes((encoder) => {
    encoder.encodeSize(entries.length);
    for (const [key, value] of entries) {
      encoder.encodeVarUInt62(key);
      encoder.encodeVarUInt62(value);
    }
  });
}

/** A whole Settings frame; without entries, what every C# peer sends by default (`00 05 00 00`). */
export function settingsFrame(entries: ReadonlyArray<readonly [VarUInt, VarUInt]> = []): Uint8Array {
  return controlFrame(ControlFrameType.settings, settingsBody(entries));
}

/** A whole GoAway frame with the first bidirectional and unidirectional stream ids not accepted. */
export function goAwayFrame(bidirectionalStreamId: VarUInt, unidirectionalStreamId: VarUInt): Uint8Array {
  return controlFrame(
    ControlFrameType.goAway,
    encodeBytes((encoder) => {
      encoder.encodeVarUInt62(bidirectionalStreamId);
      encoder.encodeVarUInt62(unidirectionalStreamId);
    }),
  );
}

/** A field as it goes on the wire: its key and its value bytes. An array, so that a test can repeat a key. */
export type RawFields = ReadonlyArray<readonly [VarUInt, Uint8Array]>;

function encodeRawFields(encoder: SliceEncoder, fields: RawFields): void {
  encoder.encodeSize(fields.length);
  for (const [key, value] of fields) {
    encoder.encodeVarUInt62(key);
    encoder.encodeByteSequence(value);
  }
}

/** A request header body: path, operation, fields (reference §1.5), without any validation. */
export function requestHeaderBody(header: { path: string; operation: string; fields?: RawFields }): Uint8Array {
  return encodeBytes((encoder) => {
    encoder.encodeString(header.path);
    encoder.encodeString(header.operation);
    encodeRawFields(encoder, header.fields ?? []);
  });
}

/** A size-prefixed request header, ready to be followed by a payload. */
export function requestHeader(header: { path: string; operation: string; fields?: RawFields }, width: VarIntWidth = 2): Uint8Array {
  return sizePrefixed(requestHeaderBody(header), width);
}

/** A response header body: status code, error message unless Ok, fields (reference §1.6). */
export function responseHeaderBody(header: { statusCode: number; errorMessage?: string; fields?: RawFields }): Uint8Array {
  return encodeBytes((encoder) => {
    encoder.encodeVarUInt62(header.statusCode);
    if (header.statusCode !== 0) {
      encoder.encodeString(header.errorMessage ?? "");
    }
    encodeRawFields(encoder, header.fields ?? []);
  });
}

/** A size-prefixed response header, ready to be followed by a payload. */
export function responseHeader(
  header: { statusCode: number; errorMessage?: string; fields?: RawFields },
  width: VarIntWidth = 2,
): Uint8Array {
  return sizePrefixed(responseHeaderBody(header), width);
}
