import { inspect } from "node:util";

import { describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "../../src/index.js";

describe("IceRpcException", () => {
  const error = new IceRpcException(IceRpcError.ConnectionRefused, "Cannot connect to h:1.", { cause: new Error("inner") });

  test("String and template literals show the code's name", () => {
    expect(String(error)).toBe("IceRpcException [ConnectionRefused]: Cannot connect to h:1.");
    expect(`${error}`).toBe("IceRpcException [ConnectionRefused]: Cannot connect to h:1.");
  });

  test("the stack's first line shows the code's name", () => {
    expect(error.stack?.split("\n")[0]).toBe("IceRpcException [ConnectionRefused]: Cannot connect to h:1.");
  });

  test("util.inspect (console.log) shows the code's name, the numeric code and the cause", () => {
    const printed = inspect(error);
    expect(printed.split("\n")[0]).toBe("IceRpcException [ConnectionRefused]: Cannot connect to h:1.");
    expect(printed).toMatch(/error: 5,/);
    expect(printed).toMatch(/\[cause\]: Error: inner/);
  });

  test("the name and the numeric code stay as they were", () => {
    expect(error.name).toBe("IceRpcException");
    expect(error.error).toBe(5);
    expect(error.message).toBe("Cannot connect to h:1.");
  });

  test("every code prints its name; the default message is the code's", () => {
    expect(String(new IceRpcException(IceRpcError.IceRpcError))).toBe(
      "IceRpcException [IceRpcError]: An unexpected error occurred.",
    );
    expect(String(new IceRpcException(IceRpcError.TruncatedData))).toMatch(/^IceRpcException \[TruncatedData\]: /);
  });

  test("a code this version does not know prints as its number", () => {
    expect(String(new IceRpcException(99 as IceRpcError, "From a newer peer."))).toBe(
      "IceRpcException [99]: From a newer peer.",
    );
  });
});
