import { describe, expect, test } from "@jest/globals";
import { checkIntegerOption } from "../src/integer-option.js";

describe("checkIntegerOption", () => {
  test("accepts integers within the range, bounds included", () => {
    expect(() => checkIntegerOption("count", 0, 0)).not.toThrow();
    expect(() => checkIntegerOption("count", Number.MAX_SAFE_INTEGER, 0)).not.toThrow();
    expect(() => checkIntegerOption("count", 1, 1, 10)).not.toThrow();
    expect(() => checkIntegerOption("count", 10, 1, 10)).not.toThrow();
    expect(() => checkIntegerOption("count", -3, -5, -1)).not.toThrow();
  });

  test("rejects values outside the range with a RangeError naming the option and the range", () => {
    expect(() => checkIntegerOption("windowSize", 0, 1, 10)).toThrow(
      new RangeError("Invalid windowSize 0: it must be an integer from 1 to 10."),
    );
    expect(() => checkIntegerOption("windowSize", 11, 1, 10)).toThrow(
      new RangeError("Invalid windowSize 11: it must be an integer from 1 to 10."),
    );
    expect(() => checkIntegerOption("maxStreams", -1, 0)).toThrow(
      new RangeError("Invalid maxStreams -1: it must be an integer 0 or more."),
    );
    expect(() => checkIntegerOption("maxStreams", Number.MAX_SAFE_INTEGER + 1, 0)).toThrow(RangeError);
  });

  test.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    "rejects %p, which is not an integer, naming the option",
    (value) => {
      expect(() => checkIntegerOption("maxStreams", value, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toThrow(
        RangeError,
      );
      expect(() => checkIntegerOption("maxStreams", value, 0)).toThrow(`Invalid maxStreams ${value}`);
    },
  );

  test("rejects what plain JavaScript may pass instead of a number", () => {
    for (const value of ["5", undefined, null, {}]) {
      expect(() => checkIntegerOption("maxStreams", value as number, 0)).toThrow(RangeError);
    }
  });
});
