import { describe, expect, test } from "@jest/globals";
import { formatServerAddress, parseServerAddress, serverAddressEquals } from "../../src/address/server-address.js";

describe("parseServerAddress", () => {
  test("parses host, port, transport and parameters", () => {
    expect(parseServerAddress("icerpc://example.com:10000?transport=quic&window=5")).toEqual({
      host: "example.com",
      port: 10000,
      transport: "quic",
      params: { window: "5" },
    });
  });

  test("defaults the port to 4062 and leaves the transport unset", () => {
    const address = parseServerAddress("icerpc://localhost");
    expect(address).toEqual({ host: "localhost", port: 4062, params: {} });
    expect("transport" in address).toBe(false);
  });

  test("parses IPv6 hosts without their brackets and formats them back with brackets", () => {
    const address = parseServerAddress("icerpc://[::1]:0?transport=tcp-yamux");
    expect(address.host).toBe("::1");
    expect(address.port).toBe(0);
    expect(formatServerAddress(address)).toBe("icerpc://[::1]:0?transport=tcp-yamux");
  });

  test("lower-cases host names, as URIs are case-insensitive there", () => {
    expect(parseServerAddress("ICERPC://Example.COM").host).toBe("example.com");
  });

  test("accepts a parameter without value and keeps '=' inside values", () => {
    expect(parseServerAddress("icerpc://h?flag&x=a=b").params).toEqual({ flag: "", x: "a=b" });
  });

  test.each([
    ["icerpc:/path", /no host/],
    ["icerpc://h/path", /no path/],
    ["icerpc://h#frag", /no fragment/],
    ["icerpc://user@h", /user information/],
    ["icerpc://h:70000", /not a port number/],
    ["icerpc://h:-1", /not a port number/],
    ["icerpc://h?transport=", /transport parameter is empty/],
    ["icerpc://h?a=1&a=2", /more than once/],
    ["icerpc://h?a<b=1", /not a valid parameter name/],
    ["icerpc://h?alt-server=x", /alt-server belongs to a service address/],
    ["ice://h", /ice protocol is not supported/],
    ["http://h", /must start with icerpc/],
    ["icerpc://[::1", /unterminated IPv6/],
    ["icerpc://[zz]:1", /not an IPv6 address/],
    ["icerpc://h h", /not a valid host/],
  ])("rejects %s", (uri, message) => {
    expect(() => parseServerAddress(uri)).toThrow(TypeError);
    expect(() => parseServerAddress(uri)).toThrow(message);
  });
});

describe("serverAddressEquals", () => {
  const a = parseServerAddress("icerpc://h:1?transport=quic&p=1");

  test("compares host, port, transport and parameters", () => {
    expect(serverAddressEquals(a, parseServerAddress("icerpc://h:1?p=1&transport=quic"))).toBe(true);
    expect(serverAddressEquals(a, parseServerAddress("icerpc://h:2?transport=quic&p=1"))).toBe(false);
    expect(serverAddressEquals(a, parseServerAddress("icerpc://h:1?transport=quic&p=2"))).toBe(false);
    expect(serverAddressEquals(a, parseServerAddress("icerpc://h:1?transport=tcp-yamux&p=1"))).toBe(false);
  });

  test("treats a missing transport as a wildcard only with optionalTransport", () => {
    const noTransport = parseServerAddress("icerpc://h:1?p=1");
    expect(serverAddressEquals(a, noTransport)).toBe(false);
    expect(serverAddressEquals(a, noTransport, { optionalTransport: true })).toBe(true);
  });
});
