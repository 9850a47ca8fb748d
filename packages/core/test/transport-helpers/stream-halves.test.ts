import { describe, expect, test } from "@jest/globals";
import { InvalidOperationError } from "../../src/errors/usage-errors.js";
import type { StreamInput, StreamOutput } from "../../src/transport/multiplexed-stream.js";
import { openHalfCount, presentInput, presentOutput } from "../../src/transport-helpers/stream-halves.js";

// The helpers only tell a present half from an absent one: plain objects with the halves' shape are enough.
const input: StreamInput = {
  read: () => Promise.resolve(null),
  tryRead: () => null,
  abort: () => {},
};
const output: StreamOutput = {
  write: () => {},
  unflushedBytes: 0,
  flush: () => Promise.resolve("flushed"),
  end: () => Promise.resolve("flushed"),
  abort: () => {},
};

describe("presentInput", () => {
  test("returns the input itself", () => {
    expect(presentInput(input, 0)).toBe(input);
  });

  test("throws InvalidOperationError naming the stream when it has no input", () => {
    expect(() => presentInput(undefined, 7)).toThrow(InvalidOperationError);
    expect(() => presentInput(undefined, 7)).toThrow("Stream 7 has no input");
  });
});

describe("presentOutput", () => {
  test("returns the output itself", () => {
    expect(presentOutput(output, 0)).toBe(output);
  });

  test("throws InvalidOperationError naming the stream when it has no output", () => {
    expect(() => presentOutput(undefined, 10)).toThrow(InvalidOperationError);
    expect(() => presentOutput(undefined, 10)).toThrow("Stream 10 has no output");
  });
});

describe("openHalfCount", () => {
  test("counts the halves a stream has", () => {
    expect(openHalfCount(input, output)).toBe(2);
    expect(openHalfCount(input, undefined)).toBe(1);
    expect(openHalfCount(undefined, output)).toBe(1);
    expect(openHalfCount(undefined, undefined)).toBe(0);
  });
});
