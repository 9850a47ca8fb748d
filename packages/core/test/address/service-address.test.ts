import { describe, expect, test } from "@jest/globals";
import { ServiceAddress } from "../../src/index.js";

describe("ServiceAddress", () => {
  test("parses a service address with server address and alt-servers", () => {
    const address = ServiceAddress.parse(
      "icerpc://a:1/hello.Greeter?transport=quic&alt-server=b:2?transport=tcp-yamux$p=1,[::1]",
    );
    expect(address.protocol).toBe("icerpc");
    expect(address.path).toBe("/hello.Greeter");
    expect(address.serverAddress).toEqual({ host: "a", port: 1, transport: "quic", params: {} });
    expect(address.altServerAddresses).toEqual([
      { host: "b", port: 2, transport: "tcp-yamux", params: { p: "1" } },
      { host: "::1", port: 4062, params: {} },
    ]);
    expect(address.toString()).toBe(
      "icerpc://a:1/hello.Greeter?transport=quic&alt-server=b:2?transport=tcp-yamux$p=1,[::1]:4062",
    );
    expect(ServiceAddress.parse(address.toString())).toEqual(address);
  });

  test("an address without server address keeps its parameters", () => {
    const address = ServiceAddress.parse("icerpc:/hello?adapter=x");
    expect(address.serverAddress).toBeUndefined();
    expect(address.params).toEqual({ adapter: "x" });
    expect(address.toString()).toBe("icerpc:/hello?adapter=x");
  });

  test("a relative address is a path only", () => {
    const address = ServiceAddress.parse("/hello");
    expect(address.protocol).toBeUndefined();
    expect(address.toString()).toBe("/hello");
  });

  test("an empty path becomes '/'", () => {
    expect(ServiceAddress.parse("icerpc://h").path).toBe("/");
  });

  test.each([
    ["icerpc://h/p#facet", /does not support fragments/],
    ["icerpc://h/a b", /not a valid host|Invalid path/],
    ["icerpc://h/\u00e9", /Invalid path/],
    ["icerpc://h/p?alt-server=", /alt-server is empty/],
    ["icerpc://h/p?alt-server=b/x", /not a valid alt-server/],
    ["ice://h/p", /ice protocol is not supported/],
    ["foo://h/p", /unknown protocol 'foo'/],
    ["/p?x=1", /path only/],
  ])("rejects %s", (uri, message) => {
    expect(() => ServiceAddress.parse(uri)).toThrow(message);
  });

  test("rejects paths with control characters, spaces and a missing leading slash", () => {
    for (const path of ["/a\r\nb", "/a\u0000", "no-slash", "/a b"]) {
      expect(() => new ServiceAddress({ protocol: "icerpc", path })).toThrow(/Invalid path/);
    }
  });
});
