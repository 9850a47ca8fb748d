import { describe, expect, test } from "@jest/globals";
import { ClientProtocolConnectionFactory, TransportRegistry } from "../../src/index.js";

// The connections themselves are tested over every transport by @icerpc-ts/protocol-tests; these are the checks that
// need none.
describe("ClientProtocolConnectionFactory", () => {
  const transports = new TransportRegistry();

  test.each([
    [{ connectTimeout: 0 }, "Invalid connectTimeout 0"],
    [{ shutdownTimeout: 1.5 }, "Invalid shutdownTimeout 1.5"],
    [{ maxHeaderSize: 62 }, "Invalid maxHeaderSize 62"],
  ])("rejects the invalid option %o with a RangeError naming it", (options, message) => {
    expect(() => new ClientProtocolConnectionFactory({ transports, ...options })).toThrow(RangeError);
    expect(() => new ClientProtocolConnectionFactory({ transports, ...options })).toThrow(message);
  });

  test("a server address whose transport is not registered fails at once, with the registry's explanation", () => {
    const factory = new ClientProtocolConnectionFactory({ transports });
    expect(() => factory.createConnection("icerpc://localhost?transport=quic")).toThrow(TypeError);
    expect(() => factory.createConnection("icerpc://localhost?transport=quic")).toThrow("No client transport named 'quic'");
  });
});
