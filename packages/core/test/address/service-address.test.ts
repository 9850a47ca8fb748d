import { inspect } from "node:util";

import { describe, expect, test } from "@jest/globals";
import { ServerAddress, ServiceAddress } from "../../src/index.js";

describe("ServiceAddress", () => {
  test("parses a service address with server address and alt-servers", () => {
    const address = ServiceAddress.parse(
      "icerpc://a:1/hello.Greeter?transport=quic&alt-server=b:2?transport=tcp-yamux$p=1,[::1]",
    );
    expect(address.protocol).toBe("icerpc");
    expect(address.path).toBe("/hello.Greeter");
    expect(address.serverAddress?.toString()).toBe("icerpc://a:1?transport=quic");
    expect(address.altServerAddresses.map(String)).toEqual(["icerpc://b:2?transport=tcp-yamux&p=1", "icerpc://[::1]:4062"]);
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
      expect(() => new ServiceAddress({ path })).toThrow(/Invalid path/);
    }
  });
});

describe("new ServiceAddress", () => {
  test("is an icerpc address, with path / unless given", () => {
    const address = new ServiceAddress();
    expect(address.protocol).toBe("icerpc");
    expect(address.path).toBe("/");
    expect(address.toString()).toBe("icerpc:/");
  });

  test("takes its server addresses as ServerAddress objects or URIs", () => {
    const address = new ServiceAddress({
      path: "/hello",
      serverAddress: "icerpc://a:1?transport=quic",
      altServerAddresses: [ServerAddress.parse("icerpc://b:2"), "icerpc://c"],
    });
    expect(address.serverAddress).toBeInstanceOf(ServerAddress);
    expect(address.altServerAddresses.every((alt) => alt instanceof ServerAddress)).toBe(true);
    expect(address.toString()).toBe("icerpc://a:1/hello?transport=quic&alt-server=b:2,c:4062");
  });

  test.each([
    [{ serverAddress: "icerpc://h/path" }, /no path/],
    [{ altServerAddresses: ["icerpc://b"] }, /without server address cannot have alt-server/],
    [{ serverAddress: "icerpc://h", params: { a: "1" } }, /no parameters of its own/],
    [{ params: { "a#": "1" } }, /service address parameter 'a#=1'/],
  ])("rejects %o", (init, message) => {
    expect(() => new ServiceAddress(init)).toThrow(TypeError);
    expect(() => new ServiceAddress(init)).toThrow(message);
  });

  test("String, template literals, JSON and util.inspect (console.log) show the URI", () => {
    const uri = "icerpc://h:4062/hello?transport=quic";
    const address = ServiceAddress.parse(uri);
    expect(String(address)).toBe(uri);
    expect(`${address}`).toBe(uri);
    expect(JSON.stringify(address)).toBe(`"${uri}"`);
    expect(inspect({ address })).toBe(`{ address: ${uri} }`);
  });
});
