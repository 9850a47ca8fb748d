import { InvalidDataError } from "../errors/usage-errors.js";
import { SliceDecoder } from "./slice-decoder.js";
import { SliceEncoder } from "./slice-encoder.js";

/** Ends the tagged members of a Slice2 struct, and so the parameters of an operation: varint32 −1 (byte `FC`). */
const TAG_END_MARKER = -1;

/**
 * The payload of a Slice2 request (an operation's arguments) or of its Ok response (the return value), written as
 * IceRPC C#'s generated code writes it: one segment whose size is on 4 bytes, holding the parameters as a struct, in
 * order, closed by the tag end marker. C# reserves each string's size from its UTF-16 length, so this encoder does
 * too: the bytes are C#'s, to the byte. E.g. `greet("Bob")` is `16 00 00 00 0C 42 6F 62 FC`.
 */
export function encodeOperationPayload(encodeParameters: (encoder: SliceEncoder) => void): Uint8Array {
  const encoder = new SliceEncoder({ stringSizeEncoding: "fromMaxUtf8Length" });
  encoder.encodeSizePrefixed(4, (body) => {
    encodeParameters(body);
    body.encodeVarInt32(TAG_END_MARKER);
  });
  return encoder.finish();
}

/**
 * Decodes what {@link encodeOperationPayload} writes, from any Slice2 peer: the segment's size may be on any width,
 * tagged parameters this side does not know (a newer peer's) are skipped, and anything else after the parameters in
 * the segment, or a segment without its tag end marker, is an `InvalidDataError` (a dispatch answers InvalidData).
 * Bytes after the segment, a stream parameter's, are not read.
 */
export function decodeOperationPayload<T>(payload: Uint8Array, decodeParameters: (decoder: SliceDecoder) => T): T {
  const segment = new SliceDecoder(new SliceDecoder(payload).decodeByteSequence());
  const parameters = decodeParameters(segment);
  skipTaggedParameters(segment);
  segment.checkEndOfBuffer();
  return parameters;
}

/** Skips `[tag][size][value]` records up to and including the tag end marker. */
function skipTaggedParameters(decoder: SliceDecoder): void {
  for (;;) {
    if (decoder.remaining === 0) {
      throw new InvalidDataError(
        `The operation parameters end at offset ${decoder.position} without the tag end marker (FC) Slice2 requires.`,
      );
    }
    const start = decoder.position;
    const tag = decoder.decodeVarInt32();
    if (tag === TAG_END_MARKER) {
      return;
    }
    if (tag < 0) {
      throw new InvalidDataError(`Invalid tag ${tag} at offset ${start}: tags are 0 or more.`);
    }
    decoder.skip(decoder.decodeSize());
  }
}
