// How the adapter reports yamux's errors: each code as the IceRpcException the contract gives for it.
import { describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException, InvalidOperationError } from "@icerpc-ts/core";
import { YamuxError, YamuxErrorCode } from "@icerpc-ts/yamux";

import { connectionErrorOf } from "../src/yamux-adapter/yamux-error-mapping.js";

describe("yamux errors as the connection reports them", () => {
  test.each([
    [YamuxErrorCode.ProtocolError, IceRpcError.IceRpcError],
    [YamuxErrorCode.InternalError, IceRpcError.IceRpcError],
    [YamuxErrorCode.LocalShutdown, IceRpcError.OperationAborted],
    [YamuxErrorCode.RemoteGoAway, IceRpcError.ConnectionAborted],
    [YamuxErrorCode.RemoteGoAwayError, IceRpcError.ConnectionAborted],
    [YamuxErrorCode.ChannelEnded, IceRpcError.ConnectionAborted],
    [YamuxErrorCode.ChannelFailed, IceRpcError.ConnectionAborted],
    [YamuxErrorCode.KeepAliveTimeout, IceRpcError.ConnectionIdle],
    [YamuxErrorCode.StreamsExhausted, IceRpcError.LimitExceeded],
    [YamuxErrorCode.LocalReset, IceRpcError.OperationAborted],
    [YamuxErrorCode.RemoteReset, IceRpcError.TruncatedData],
  ])("%s is IceRpcError %s, with the yamux error as its cause", (code, expected) => {
    const yamuxError = new YamuxError(code, "what yamux says");
    const error = connectionErrorOf(yamuxError);
    expect(error).toBeInstanceOf(IceRpcException);
    expect((error as IceRpcException).error).toBe(expected);
    expect(error.cause).toBe(yamuxError);
  });

  test("a graceful yamux end says that the peer sent no Close", () => {
    const error = connectionErrorOf(new YamuxError(YamuxErrorCode.RemoteGoAway, "GoAway"));
    expect(error.message).toBe("The peer ended the connection without a Close message.");
  });

  test("a channel that failed with an IceRpcException reports that diagnosis", () => {
    const socketError = new IceRpcException(IceRpcError.ConnectionAborted, "reset by the peer (ECONNRESET)");
    const error = connectionErrorOf(new YamuxError(YamuxErrorCode.ChannelFailed, "failed", { cause: socketError }));
    expect(error).toBe(socketError);
  });

  test("a yamux usage error is an InvalidOperationError", () => {
    expect(connectionErrorOf(new YamuxError(YamuxErrorCode.UsageError, "overlapping reads"))).toBeInstanceOf(
      InvalidOperationError,
    );
  });

  test("errors that are not yamux's are reported as they are", () => {
    const adapterError = new IceRpcException(IceRpcError.IceRpcError, "The peer broke the yamux adapter protocol: …");
    expect(connectionErrorOf(adapterError)).toBe(adapterError);
  });
});
