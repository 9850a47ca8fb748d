import { SliceDecoder, type SliceEncoder } from "@icerpc-ts/core/codec";

/** Milliseconds from 0001-01-01T00:00Z (.NET's DateTime epoch) to 1970-01-01T00:00Z. */
const unixEpochInDotNetMs = 62_135_596_800_000n;
const ticksPerMs = 10_000n;

/** Encodes `deadline` (ms since the Unix epoch) as request field 3: an int64 of UTC .NET ticks (100 ns units). */
export function encodeDeadline(encoder: SliceEncoder, deadline: number): void {
  encoder.encodeInt64((BigInt(Math.trunc(deadline)) + unixEpochInDotNetMs) * ticksPerMs);
}

/** Decodes request field 3 into ms since the Unix epoch; throws `InvalidDataError` when it is not one int64. */
export function decodeDeadline(bytes: Uint8Array): number {
  const decoder = new SliceDecoder(bytes);
  const ticks = decoder.decodeInt64();
  decoder.checkEndOfBuffer();
  return Number(ticks / ticksPerMs - unixEpochInDotNetMs);
}
