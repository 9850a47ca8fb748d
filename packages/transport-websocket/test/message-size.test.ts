// How the byte stream is cut into WebSocket messages: every byte once, in order, no message above 64 KiB, and a
// small write is one message of its own size.
import { describe, expect, test } from "@jest/globals";
import { concatBytes } from "@icerpc-ts/primitives";

import { maxSentMessageSize, messagesOf } from "../src/common/message-size.js";

function pattern(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

describe("messagesOf", () => {
  test("a small write of several chunks is one message of exactly their size", () => {
    const chunks = [pattern(5, 1), pattern(0, 2), pattern(27, 3)];
    const messages = [...messagesOf(chunks)];
    expect(messages).toHaveLength(1);
    expect(messages[0]!.buffer.byteLength).toBe(32);
    expect(messages[0]).toEqual(concatBytes(chunks));
  });

  test("a single chunk below the maximum is sent as is, not copied", () => {
    const chunk = pattern(1000, 4);
    const [message] = [...messagesOf([chunk])];
    expect(message!.buffer).toBe(chunk.buffer);
  });

  test.each([
    [[70_000]],
    [[65_536, 1]],
    [[10, 65_536, 10]],
    [[40_000, 40_000, 40_000, 3]],
    [[1, 2, 3, 200_000, 7]],
  ])("chunks of %j: every byte once, in order, messages of at most 64 KiB, all full but the last", (sizes) => {
    const chunks = sizes.map((size, i) => pattern(size, i));
    const messages = [...messagesOf(chunks)];
    expect(concatBytes(messages)).toEqual(concatBytes(chunks));
    expect(messages.every((message) => message.length <= maxSentMessageSize)).toBe(true);
    expect(messages.slice(0, -1).every((message) => message.length === maxSentMessageSize)).toBe(true);
  });
});
