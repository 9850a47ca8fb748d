import { describe, expect, test } from "@jest/globals";
import { IceRpcError } from "../../src/errors/ice-rpc-error.js";

describe("IceRpcError", () => {
  test("has IceRPC C#'s numeric values", () => {
    expect([
      IceRpcError.IceRpcError,
      IceRpcError.AddressInUse,
      IceRpcError.ConnectionAborted,
      IceRpcError.ConnectionClosedByPeer,
      IceRpcError.ConnectionIdle,
      IceRpcError.ConnectionRefused,
      IceRpcError.InvocationCanceled,
      IceRpcError.InvocationRefused,
      IceRpcError.LimitExceeded,
      IceRpcError.NoConnection,
      IceRpcError.OperationAborted,
      IceRpcError.ServerBusy,
      IceRpcError.ServerUnreachable,
      IceRpcError.TruncatedData,
    ]).toEqual([-1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });
});
