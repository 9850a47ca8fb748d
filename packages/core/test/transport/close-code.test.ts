import { describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "../../src/errors/ice-rpc-error.js";
import { closeCodeToError, MultiplexedConnectionCloseError } from "../../src/transport/close-code.js";

describe("closeCodeToError", () => {
  test.each([
    [MultiplexedConnectionCloseError.NoError, IceRpcError.ConnectionClosedByPeer],
    [MultiplexedConnectionCloseError.Aborted, IceRpcError.ConnectionAborted],
    [MultiplexedConnectionCloseError.Refused, IceRpcError.ConnectionRefused],
    [MultiplexedConnectionCloseError.ServerBusy, IceRpcError.ServerBusy],
    [255, IceRpcError.ConnectionAborted],
  ])("close code %d maps to IceRpcError %d", (code, error) => {
    const e = closeCodeToError(code);
    expect(e).toBeInstanceOf(IceRpcException);
    expect(e.error).toBe(error);
  });

  test("an unknown code says so in the message", () => {
    expect(closeCodeToError(255).message).toMatch(/unknown application error code: 255/);
  });
});
