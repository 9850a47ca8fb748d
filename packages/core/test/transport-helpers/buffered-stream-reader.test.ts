import { describe, expect, test } from "@jest/globals";
import { BufferedStreamReader } from "../../src/transport-helpers/buffered-stream-reader.js";
import { InvalidDataError } from "../../src/errors/usage-errors.js";
import type { StreamInput } from "../../src/transport/multiplexed-stream.js";

/** An input holding `chunks` already received, then the end: `tryRead` hands them out as `read` does. */
function receivedInput(...chunks: number[][]): StreamInput {
  const queue = chunks.map((chunk) => Uint8Array.from(chunk));
  const tryRead = (): Uint8Array | null => queue.shift() ?? null;
  return { tryRead, read: () => Promise.resolve(tryRead()), abort: () => {} };
}

// Size prefixes are varuint62: a 1-byte prefix holds the size shifted left by 2.
describe("BufferedStreamReader.tryReadSizePrefixed", () => {
  test("returns a block received whole and keeps the bytes after it", () => {
    const reader = new BufferedStreamReader(receivedInput([2 << 2, 7, 8, 9]));
    expect(Array.from(reader.tryReadSizePrefixed(100, "header")!)).toEqual([7, 8]);
    expect(Array.from(reader.takeRemaining()!)).toEqual([9]);
  });

  test("returns undefined for a block not received whole, consuming nothing, for readSizePrefixed to finish", async () => {
    const reader = new BufferedStreamReader(receivedInput([3 << 2, 7], [8, 9]));
    expect(reader.tryReadSizePrefixed(100, "header")).toBeUndefined();
    expect(Array.from(await reader.readSizePrefixed(100, "header"))).toEqual([7, 8, 9]);
  });

  test("returns undefined at the end, which readSizePrefixed reports", async () => {
    const reader = new BufferedStreamReader(receivedInput());
    expect(reader.tryReadSizePrefixed(100, "header")).toBeUndefined();
    await expect(reader.readSizePrefixed(100, "header")).rejects.toBeInstanceOf(InvalidDataError);
  });

  test("throws InvalidDataError for an empty or oversized block", () => {
    expect(() => new BufferedStreamReader(receivedInput([0])).tryReadSizePrefixed(100, "header")).toThrow(InvalidDataError);
    expect(() => new BufferedStreamReader(receivedInput([3 << 2, 1, 2, 3])).tryReadSizePrefixed(2, "header")).toThrow(
      InvalidDataError,
    );
  });
});
