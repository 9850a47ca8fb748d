import { inspect } from "node:util";

import { describe, expect, test } from "@jest/globals";
import { ServerAddress } from "../../src/index.js";

describe("ServerAddress.parse", () => {
  test("parses host, port, transport and parameters", () => {
    const address = ServerAddress.parse("icerpc://example.com:10000?transport=quic&window=5");
    expect(address).toBeInstanceOf(ServerAddress);
    expect({ ...address }).toEqual({ host: "example.com", port: 10000, transport: "quic", params: { window: "5" } });
  });

  test("defaults the port to 4062 and leaves the transport unset", () => {
    const address = ServerAddress.parse("icerpc://localhost");
    expect({ ...address }).toEqual({ host: "localhost", port: 4062, transport: undefined, params: {} });
  });

  test("parses IPv6 hosts without their brackets and formats them back with brackets", () => {
    const address = ServerAddress.parse("icerpc://[::1]:0?transport=tcp-yamux");
    expect(address.host).toBe("::1");
    expect(address.port).toBe(0);
    expect(address.toString()).toBe("icerpc://[::1]:0?transport=tcp-yamux");
  });

  test("lower-cases host names, as URIs are case-insensitive there", () => {
    expect(ServerAddress.parse("ICERPC://Example.COM").host).toBe("example.com");
  });

  test("accepts a parameter without value and keeps '=' inside values", () => {
    expect(ServerAddress.parse("icerpc://h?flag&x=a=b").params).toEqual({ flag: "", x: "a=b" });
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
    ["icerpc://::1:4062", /an IPv6 address goes in brackets/],
  ])("rejects %s", (uri, message) => {
    expect(() => ServerAddress.parse(uri)).toThrow(TypeError);
    expect(() => ServerAddress.parse(uri)).toThrow(message);
  });
});

describe("new ServerAddress", () => {
  test("defaults the port and the parameters, and lower-cases the host", () => {
    const address = new ServerAddress({ host: "Example.com" });
    expect(address.toString()).toBe("icerpc://example.com:4062");
    expect(address.equals("icerpc://example.com")).toBe(true);
  });

  test.each([
    [{ host: "" }, /the host is empty/],
    [{ host: "a b" }, /'a b' is not a valid host/],
    [{ host: "::g" }, /not an IPv6 address/],
    [{ host: "h", port: 65_536 }, /port 65536/],
    [{ host: "h", port: 1.5 }, /port 1.5/],
    [{ host: "h", transport: "" }, /transport ''/],
    [{ host: "h", params: { transport: "quic" } }, /transport property/],
    [{ host: "h", params: { "alt-server": "x" } }, /alt-servers belong to a service address/],
    [{ host: "h", params: { "a&b": "1" } }, /parameter 'a&b=1'/],
  ])("rejects %o", (init, message) => {
    expect(() => new ServerAddress(init)).toThrow(TypeError);
    expect(() => new ServerAddress(init)).toThrow(message);
  });
});

describe("ServerAddress printing", () => {
  const uri = "icerpc://[::1]:4062?transport=quic&p=1";
  const address = ServerAddress.parse(uri);

  test("String, template literals, JSON and util.inspect (console.log) show the URI", () => {
    expect(String(address)).toBe(uri);
    expect(`${address}`).toBe(uri);
    expect(JSON.stringify({ address })).toBe(`{"address":"${uri}"}`);
    expect(inspect(address)).toBe(uri);
    expect(inspect({ address })).toBe(`{ address: ${uri} }`);
  });
});

describe("ServerAddress.equals", () => {
  const a = ServerAddress.parse("icerpc://h:1?transport=quic&p=1");

  test("compares host, port, transport and parameters", () => {
    expect(a.equals(ServerAddress.parse("icerpc://h:1?p=1&transport=quic"))).toBe(true);
    expect(a.equals("icerpc://h:1?p=1&transport=quic")).toBe(true);
    expect(a.equals("icerpc://h:2?transport=quic&p=1")).toBe(false);
    expect(a.equals("icerpc://h:1?transport=quic&p=2")).toBe(false);
    expect(a.equals("icerpc://h:1?transport=tcp-yamux&p=1")).toBe(false);
  });

  test("treats a missing transport as a wildcard only with optionalTransport", () => {
    const noTransport = ServerAddress.parse("icerpc://h:1?p=1");
    expect(a.equals(noTransport)).toBe(false);
    expect(a.equals(noTransport, { optionalTransport: true })).toBe(true);
    expect(noTransport.equals(a, { optionalTransport: true })).toBe(true);
  });
});
