import { describe, expect, test } from "@jest/globals";
import { DispatchException, errorToResponse } from "../../src/dispatch/dispatch-exception.js";
import { IceRpcError, IceRpcException, InvalidDataError, StatusCode } from "../../src/index.js";

describe("errorToResponse maps what a dispatcher throws as IceRPC C# does", () => {
  test("a DispatchException keeps its status code and message", () => {
    const response = errorToResponse(new DispatchException(StatusCode.Unauthorized, "who are you?"));
    expect(response.statusCode).toBe(StatusCode.Unauthorized);
    expect(response.errorMessage).toBe("who are you?");
  });

  test("a DispatchException with convertToInternalError becomes InternalError", () => {
    const response = errorToResponse(new DispatchException(StatusCode.NotFound, undefined, { convertToInternalError: true }));
    expect(response.statusCode).toBe(StatusCode.InternalError);
  });

  test("InvalidDataError becomes InvalidData, TruncatedData becomes TruncatedPayload, others InternalError", () => {
    expect(errorToResponse(new InvalidDataError("bad")).statusCode).toBe(StatusCode.InvalidData);
    expect(errorToResponse(new IceRpcException(IceRpcError.TruncatedData)).statusCode).toBe(StatusCode.TruncatedPayload);
    const response = errorToResponse(new TypeError("oops"));
    expect(response.statusCode).toBe(StatusCode.InternalError);
    expect(response.errorMessage).toBe(
      "The dispatch failed with status code InternalError. The failure was caused by an exception of type 'TypeError' with message: oops",
    );
  });

  test("a DispatchException needs an error status", () => {
    expect(() => new DispatchException(StatusCode.Ok)).toThrow(RangeError);
    expect(new DispatchException(StatusCode.NotFound).message).toBe("The dispatch failed with status code NotFound.");
  });
});
