import { describe, expect, test } from "@jest/globals";
import { DispatchException, errorToResponse } from "../../src/dispatch/dispatch-exception.js";
import { IceRpcError, IceRpcException, InvalidDataError, StatusCode } from "../../src/index.js";

describe("errorToResponse maps what a dispatcher throws as IceRPC C# does", () => {
  test("a DispatchException keeps its status code and message", () => {
    const response = errorToResponse(new DispatchException(StatusCode.Unauthorized, "who are you?"), false);
    expect(response.statusCode).toBe(StatusCode.Unauthorized);
    expect(response.errorMessage).toBe("who are you?");
  });

  test("a DispatchException with convertToInternalError becomes InternalError", () => {
    const response = errorToResponse(new DispatchException(StatusCode.NotFound, undefined, { convertToInternalError: true }), false);
    expect(response.statusCode).toBe(StatusCode.InternalError);
  });

  test("InvalidDataError becomes InvalidData, TruncatedData becomes TruncatedPayload, others InternalError", () => {
    expect(errorToResponse(new InvalidDataError("bad"), false).statusCode).toBe(StatusCode.InvalidData);
    expect(errorToResponse(new IceRpcException(IceRpcError.TruncatedData), false).statusCode).toBe(StatusCode.TruncatedPayload);
    expect(errorToResponse(new TypeError("oops"), false).statusCode).toBe(StatusCode.InternalError);
  });

  test("an unexpected error's message is withheld unless its detail is to be sent", () => {
    expect(errorToResponse(new TypeError("password=hunter2"), false).errorMessage).toBe(
      "The dispatch failed with status code InternalError.",
    );
    expect(errorToResponse(new InvalidDataError("at /srv/secret.bin"), false).errorMessage).toBe(
      "The dispatch failed with status code InvalidData.",
    );
    expect(errorToResponse(new TypeError("oops"), true).errorMessage).toBe(
      "The dispatch failed with status code InternalError. The failure was caused by an exception of type 'TypeError' with message: oops",
    );
  });

  test("a DispatchException needs an error status", () => {
    expect(() => new DispatchException(StatusCode.Ok)).toThrow(RangeError);
    expect(new DispatchException(StatusCode.NotFound).message).toBe("The dispatch failed with status code NotFound.");
  });
});
