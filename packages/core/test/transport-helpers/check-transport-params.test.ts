import { describe, expect, test } from "@jest/globals";
import { checkTransportParams } from "../../src/transport-helpers/check-transport-params.js";

describe("checkTransportParams", () => {
  const address = (params: Record<string, string>) => ({ host: "h", port: 0, params });

  test("accepts known parameters and rejects unknown ones with their name", () => {
    expect(() => checkTransportParams(address({ window: "1" }), "t", ["window"])).not.toThrow();
    expect(() => checkTransportParams(address({ "unknown-parameter": "1" }), "t", ["window"])).toThrow(
      /Unknown parameter 'unknown-parameter' for transport 't': it accepts only window/,
    );
    expect(() => checkTransportParams(address({ x: "" }), "t")).toThrow(/accepts no parameters/);
  });
});
