import { describe, expect, test } from "@jest/globals";
import { OutgoingRequest, ServiceAddress } from "../../src/index.js";

describe("OutgoingRequest", () => {
  test("takes its service address as a ServiceAddress or as its URI", () => {
    const uri = "icerpc://host:4062/path?transport=quic";
    const fromString = new OutgoingRequest(uri, { operation: "op" });
    expect(fromString.serviceAddress).toBeInstanceOf(ServiceAddress);
    expect(fromString.serviceAddress.toString()).toBe(uri);
    expect(new OutgoingRequest(ServiceAddress.parse(uri), { operation: "op" }).serviceAddress.toString()).toBe(uri);
  });

  test("rejects an invalid URI and a relative address, saying why", () => {
    expect(() => new OutgoingRequest("http://host/path", { operation: "op" })).toThrow(/unknown protocol 'http'/);
    expect(() => new OutgoingRequest("/path", { operation: "op" })).toThrow(/relative service address '\/path'/);
  });
});
