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

  test("an unknown transport name fails with a message naming the package to install", () => {
    const registry = new TransportRegistry().register(clientTransport("memory"));
    expect(() => registry.clientTransport("quic")).toThrow(TypeError);
    expect(() => registry.clientTransport("quic")).toThrow(/'quic'.*registered: memory.*@icerpc-ts\/transport-quic/);
    expect(() => registry.serverTransport("memory")).toThrow(/No server transport named 'memory'/);
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
    expect(() => new TransportRegistry().register(a, b).clientTransport()).toThrow(/names no transport.*a, b/);
  });

  test("an empty registry says to install a transport package", () => {
    expect(() => new TransportRegistry().clientTransport()).toThrow(/No client transport is registered/);
  });

  test("refuses an object that is neither a client nor a server transport", () => {
    expect(() => new TransportRegistry().register({ name: "odd" } as unknown as MultiplexedClientTransport)).toThrow(TypeError);
  });
});
