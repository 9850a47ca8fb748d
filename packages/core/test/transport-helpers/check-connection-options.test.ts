import { describe, expect, test } from "@jest/globals";
import { checkConnectionOptions } from "../../src/transport-helpers/check-connection-options.js";
import {
  defaultMultiplexedConnectionOptions,
  type MultiplexedConnectionOptions,
} from "../../src/transport/multiplexed-connection.js";

function withOption(name: keyof MultiplexedConnectionOptions, value: unknown): MultiplexedConnectionOptions {
  // Plain JavaScript callers can pass anything: the cast lets the test do the same.
  return { ...defaultMultiplexedConnectionOptions, [name]: value } as MultiplexedConnectionOptions;
}

describe("checkConnectionOptions", () => {
  test("accepts the defaults and the limits of each range", () => {
    expect(checkConnectionOptions(defaultMultiplexedConnectionOptions)).toEqual(defaultMultiplexedConnectionOptions);
    const edges = { maxBidirectionalStreams: 0, maxUnidirectionalStreams: 0, handshakeTimeout: 2 ** 31 - 1 };
    expect(checkConnectionOptions(edges)).toEqual(edges);
    const large = {
      maxBidirectionalStreams: Number.MAX_SAFE_INTEGER,
      maxUnidirectionalStreams: 1,
      handshakeTimeout: 0.5,
    };
    expect(checkConnectionOptions(large)).toEqual(large);
  });

  test("returns a frozen copy that later changes to the options do not reach", () => {
    const options = { maxBidirectionalStreams: 5, maxUnidirectionalStreams: 6, handshakeTimeout: 1000 };
    const checked = checkConnectionOptions(options);
    expect(checked).not.toBe(options);
    expect(Object.isFrozen(checked)).toBe(true);
    options.maxBidirectionalStreams = 50;
    expect(checked.maxBidirectionalStreams).toBe(5);
  });

  test.each(["maxBidirectionalStreams", "maxUnidirectionalStreams"] as const)(
    "rejects a %s that is not an integer of 0 or more, naming it",
    (name) => {
      const invalid = [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, "5", undefined];
      for (const value of invalid) {
        expect(() => checkConnectionOptions(withOption(name, value))).toThrow(RangeError);
        expect(() => checkConnectionOptions(withOption(name, value))).toThrow(`Invalid ${name} ${String(value)}`);
      }
    },
  );

  test("rejects a handshakeTimeout that is not above 0 and at most 2^31 - 1, naming it", () => {
    for (const value of [0, -1, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY, undefined]) {
      expect(() => checkConnectionOptions(withOption("handshakeTimeout", value))).toThrow(RangeError);
      expect(() => checkConnectionOptions(withOption("handshakeTimeout", value))).toThrow(
        `Invalid handshakeTimeout ${String(value)}`,
      );
    }
  });
});
