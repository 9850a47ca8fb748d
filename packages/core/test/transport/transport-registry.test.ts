import { describe, expect, test } from "@jest/globals";
import type { MultiplexedClientTransport, MultiplexedServerTransport } from "../../src/transport/multiplexed-transport.js";
import { TransportRegistry } from "../../src/transport/transport-registry.js";

// Registry lookups never create connections, so transports that refuse to do anything are enough here.
function clientTransport(name: string): MultiplexedClientTransport {
  return { name, createConnection: () => { throw new Error("not used"); } };
}
function serverTransport(name: string): MultiplexedServerTransport {
  return { name, listen: () => Promise.reject(new Error("not used")) };
}

describe("TransportRegistry", () => {
  test("finds client and server transports by name", () => {
    const a = clientTransport("a");
    const b = serverTransport("b");
    const registry = new TransportRegistry().register(a, b);
    expect(registry.clientTransport("a")).toBe(a);
    expect(registry.serverTransport("b")).toBe(b);
  });

  test("registers an object implementing both interfaces as both", () => {
    const both = { ...clientTransport("x"), ...serverTransport("x") };
    const registry = new TransportRegistry().register(both);
    expect(registry.clientTransport("x")).toBe(both);
    expect(registry.serverTransport("x")).toBe(both);
  });

  test("an address without transport uses the only registered transport", () => {
    const a = clientTransport("a");
    expect(new TransportRegistry().register(a).clientTransport()).toBe(a);
  });

  test("an address without transport uses the configured default among several", () => {
    const a = clientTransport("a");
    const b = clientTransport("b");
    const registry = new TransportRegistry({ defaultTransport: "b" }).register(a, b);
    expect(registry.clientTransport()).toBe(b);
    expect(() => new TransportRegistry().register(a, b).clientTransport()).toThrow(/names no transport.*'a', 'b'/);
  });

  test("refuses an object that is neither a client nor a server transport", () => {
    expect(() => new TransportRegistry().register({ name: "odd" } as unknown as MultiplexedClientTransport)).toThrow(TypeError);
  });
});

/** The message of the TypeError that `lookup` throws. */
function failure(lookup: () => unknown): string {
  try {
    lookup();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as TypeError).message;
  }
  throw new Error("Expected the lookup to fail, but it returned a transport.");
}

describe("TransportRegistry errors say what is registered and how to register, and name no package", () => {
  const registry = new TransportRegistry().register(clientTransport("tcp-yamux"), clientTransport("memory"), serverTransport("memory"));

  test("an unknown name lists the registered transports and shows how to register one", () => {
    const message = failure(() => registry.clientTransport("quic"));
    expect(message).toBe(
      "No client transport named 'quic' is registered (registered: 'tcp-yamux', 'memory'). " +
        "To use 'quic', register its client transport: new TransportRegistry().register(new XTransport()).",
    );
  });

  test.each([
    ["tcp", "a prefix of"],
    ["yamux", "a dash-separated part of"],
    ["tcp-yamux-tls", "an extension of"],
    ["tcp-yamx", "one typo from"],
    ["tpc-yamux", "a swap of neighbours from"],
    ["tcp_yamix", "two typos from"],
    ["TCP-Yamux", "another case of"],
  ])("'%s', %s 'tcp-yamux', suggests 'tcp-yamux'", (name) => {
    expect(failure(() => registry.clientTransport(name))).toContain("Did you mean 'tcp-yamux'?");
  });

  test("a name like none registered suggests nothing", () => {
    for (const name of ["quic", "ws", "webtransport", "udp"]) {
      expect(failure(() => registry.clientTransport(name))).not.toContain("Did you mean");
    }
  });

  test("a short name counts one typo as close, not two", () => {
    const short = new TransportRegistry().register(clientTransport("ws"), clientTransport("quic"));
    expect(failure(() => short.clientTransport("wss"))).toContain("Did you mean 'ws'?");
    expect(failure(() => short.clientTransport("qiuc"))).toContain("Did you mean 'quic'?");
    expect(failure(() => short.clientTransport("tcp"))).not.toContain("Did you mean");
  });

  test("several close names are suggested closest first", () => {
    const several = new TransportRegistry().register(clientTransport("tcp-yamux"), clientTransport("tcp"));
    expect(failure(() => several.clientTransport("tcp-"))).toContain("Did you mean 'tcp' or 'tcp-yamux'?");
  });

  test("a name registered on the other side only says so", () => {
    expect(failure(() => registry.serverTransport("tcp-yamux"))).toBe(
      "No server transport named 'tcp-yamux' is registered (registered: 'memory'). " +
        "'tcp-yamux' is registered as a client transport only: register its server transport too.",
    );
  });

  test("a default transport that is not registered is named as the default", () => {
    const withDefault = new TransportRegistry({ defaultTransport: "memroy" }).register(clientTransport("memory"));
    expect(failure(() => withDefault.clientTransport())).toMatch(
      /^No client transport named the registry's defaultTransport 'memroy' is registered \(registered: 'memory'\)\. Did you mean 'memory'\?/,
    );
  });

  test("an address without transport and several registered says how to choose", () => {
    expect(failure(() => registry.clientTransport())).toBe(
      "The server address names no transport and several client transports are registered ('tcp-yamux', 'memory'): " +
        "add '?transport=NAME' to the address, or give the TransportRegistry a defaultTransport.",
    );
  });

  test("an empty registry shows how to register", () => {
    expect(failure(() => new TransportRegistry().clientTransport())).toBe(
      "No client transport is registered: register the transports you installed, e.g. " +
        "new TransportRegistry().register(new XTransport()).",
    );
    expect(failure(() => new TransportRegistry().serverTransport("memory"))).toBe(
      "No server transport named 'memory' is registered (the registry has no server transport). " +
        "To use 'memory', register its server transport: new TransportRegistry().register(new XTransport()).",
    );
  });
});
