import { describe, expect, test } from "@jest/globals";
import { IceRpcError, IceRpcException } from "../../src/errors/ice-rpc-error.js";
import { InvalidOperationError } from "../../src/errors/usage-errors.js";
import { StreamInputState } from "../../src/transport-helpers/stream-input-state.js";
import { isStillPending } from "./still-pending.js";

/** A state with a counter of its `onDone` calls. */
function createState() {
  const done = { count: 0 };
  const state = new StreamInputState(() => {
    done.count += 1;
  });
  return { state, done };
}

async function expectIceRpcException(promise: Promise<unknown>, error: IceRpcError): Promise<void> {
  const reason = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(reason).toBeInstanceOf(IceRpcException);
  expect((reason as IceRpcException).error).toBe(error);
}

describe("StreamInputState.decideRead", () => {
  test("leaves a fresh input's read to the bytes", () => {
    const { state } = createState();
    expect(state.decideRead(undefined)).toBeUndefined();
  });

  test("an overlapping read is a usage error, checked before everything else", async () => {
    const { state } = createState();
    const waiting = state.waitForData(undefined);
    await expect(state.decideRead(AbortSignal.abort(new Error("stop")))).rejects.toThrow(InvalidOperationError);
    await expect(state.decideRead(undefined)).rejects.toThrow("another read is in progress");
    // The rejected overlapping read left the waiting one in place.
    expect(state.hasPendingRead).toBe(true);
    const bytes = new Uint8Array([1]);
    state.takePendingRead()?.resolve(bytes);
    expect(await waiting).toBe(bytes);
  });

  test("a read after abort is a usage error, even with an aborted signal", async () => {
    const { state } = createState();
    expect(state.abort()).toBe(true);
    await expect(state.decideRead(AbortSignal.abort(new Error("stop")))).rejects.toThrow(InvalidOperationError);
    await expect(state.decideRead(undefined)).rejects.toThrow("it was aborted");
  });

  test("an aborted signal rejects with its reason, over the end, the peer's abort and the failure", async () => {
    const reason = new Error("stop");
    const ended = createState().state;
    ended.endOfStream();
    await expect(ended.decideRead(AbortSignal.abort(reason))).rejects.toBe(reason);

    const reset = createState().state;
    reset.peerReset();
    await expect(reset.decideRead(AbortSignal.abort(reason))).rejects.toBe(reason);

    const failed = createState().state;
    failed.fail(() => new Error("lost"));
    await expect(failed.decideRead(AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  test("after the end, reads keep returning null, even after the peer's abort", async () => {
    const { state } = createState();
    state.endOfStream();
    await expect(state.decideRead(undefined)).resolves.toBeNull();
    await expect(state.decideRead(undefined)).resolves.toBeNull();
    state.peerReset();
    await expect(state.decideRead(undefined)).resolves.toBeNull();
  });

  test("after the peer's abort, reads fail with TruncatedData, over the connection's failure", async () => {
    const { state } = createState();
    expect(state.peerReset()).toBe(true);
    expect(state.fail(() => new Error("lost"))).toBe(true);
    await expectIceRpcException(state.decideRead(undefined) ?? Promise.resolve(), IceRpcError.TruncatedData);
    await expectIceRpcException(state.decideRead(undefined) ?? Promise.resolve(), IceRpcError.TruncatedData);
  });

  test("after the failure, reads reject with the connection's error as it is at the time of the read", async () => {
    const { state } = createState();
    let current = new Error("closed by peer");
    state.fail(() => current);
    await expect(state.decideRead(undefined)).rejects.toBe(current);
    current = new Error("disposed");
    await expect(state.decideRead(undefined)).rejects.toBe(current);
  });
});

describe("StreamInputState waiting reads", () => {
  test("a read waits until the caller takes and settles it", async () => {
    const { state } = createState();
    expect(state.takePendingRead()).toBeUndefined();
    const read = state.waitForData(undefined);
    expect(state.hasPendingRead).toBe(true);
    // No bytes came: the read must stay pending (checked with a zero-delay timer race).
    expect(await isStillPending(read)).toBe(true);
    const bytes = new Uint8Array([1, 2, 3]);
    state.takePendingRead()?.resolve(bytes);
    expect(state.hasPendingRead).toBe(false);
    expect(state.takePendingRead()).toBeUndefined();
    expect(await read).toBe(bytes);
    expect(state.decideRead(undefined)).toBeUndefined();
  });

  test("a waiting read rejects with its signal's reason and no longer waits", async () => {
    const { state } = createState();
    const controller = new AbortController();
    const read = state.waitForData(controller.signal);
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(read).rejects.toBe(reason);
    expect(state.hasPendingRead).toBe(false);
    expect(state.takePendingRead()).toBeUndefined();
    expect(state.decideRead(undefined)).toBeUndefined(); // the next read looks at the bytes again
  });

  test("a wait with an already-aborted signal rejects at once and leaves no read waiting", async () => {
    const { state } = createState();
    const reason = new Error("stop");
    await expect(state.waitForData(AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(state.hasPendingRead).toBe(false);
  });
});

describe("StreamInputState lifecycle", () => {
  test("endOfStream returns null, marks reads done and reports the direction done exactly once", async () => {
    const { state, done } = createState();
    expect(state.isDone).toBe(false);
    expect(state.endOfStream()).toBeNull();
    expect(state.isDone).toBe(true);
    expect(done.count).toBe(1);
    expect(state.endOfStream()).toBeNull();
    state.finish();
    expect(done.count).toBe(1);
    await expect(state.decideRead(undefined)).resolves.toBeNull();
  });

  test("abort rejects the waiting read with OperationAborted, leaves finish to the caller, and is false the second time", async () => {
    const { state, done } = createState();
    const read = state.waitForData(undefined);
    expect(state.abort()).toBe(true);
    expect(state.isAborted).toBe(true);
    expect(state.hasPendingRead).toBe(false);
    await expectIceRpcException(read, IceRpcError.OperationAborted);
    expect(done.count).toBe(0); // the caller discards its bytes first, then calls finish
    expect(state.abort()).toBe(false);
    state.finish();
    expect(state.isDone).toBe(true);
    expect(done.count).toBe(1);
  });

  test("abort after the end was read is false and changes nothing", async () => {
    const { state } = createState();
    state.endOfStream();
    expect(state.abort()).toBe(false);
    expect(state.isAborted).toBe(false);
    await expect(state.decideRead(undefined)).resolves.toBeNull();
  });

  test("peerReset rejects the waiting read with TruncatedData, which ends the direction", async () => {
    const { state, done } = createState();
    const read = state.waitForData(undefined);
    expect(state.peerReset()).toBe(true);
    expect(state.isResetReceived).toBe(true);
    await expectIceRpcException(read, IceRpcError.TruncatedData);
    expect(state.isDone).toBe(true);
    expect(done.count).toBe(1);
    expect(state.peerReset()).toBe(false);
    await expectIceRpcException(state.decideRead(undefined) ?? Promise.resolve(), IceRpcError.TruncatedData);
    expect(done.count).toBe(1);
  });

  test("with no read waiting, the peer's abort ends the direction only once a read sees it", async () => {
    const { state, done } = createState();
    expect(state.peerReset()).toBe(true);
    expect(state.isDone).toBe(false);
    expect(done.count).toBe(0);
    await expectIceRpcException(state.decideRead(undefined) ?? Promise.resolve(), IceRpcError.TruncatedData);
    expect(state.isDone).toBe(true);
    expect(done.count).toBe(1);
  });

  test("peerReset is false and changes nothing after the reader aborted or the connection failed", async () => {
    const aborted = createState().state;
    aborted.abort();
    expect(aborted.peerReset()).toBe(false);
    expect(aborted.isResetReceived).toBe(false);

    const failed = createState().state;
    const lost = new Error("lost");
    failed.fail(() => lost);
    expect(failed.peerReset()).toBe(false);
    expect(failed.isResetReceived).toBe(false);
    await expect(failed.decideRead(undefined)).rejects.toBe(lost);
  });

  test("fail rejects the waiting and later reads with the current error and never reports the direction done", async () => {
    const { state, done } = createState();
    const read = state.waitForData(undefined);
    const lost = new Error("lost");
    expect(state.fail(() => lost)).toBe(true);
    expect(state.hasFailed).toBe(true);
    await expect(read).rejects.toBe(lost);
    await expect(state.decideRead(undefined)).rejects.toBe(lost);
    expect(state.fail(() => new Error("other"))).toBe(false);
    await expect(state.decideRead(undefined)).rejects.toBe(lost);
    state.finish();
    expect(state.isDone).toBe(true);
    expect(done.count).toBe(0);
  });

  test("fail is false and changes nothing once reads are done", async () => {
    const { state, done } = createState();
    state.endOfStream();
    expect(state.fail(() => new Error("lost"))).toBe(false);
    expect(state.hasFailed).toBe(false);
    await expect(state.decideRead(undefined)).resolves.toBeNull();
    expect(done.count).toBe(1);
  });

  test("finish reports the direction done once", () => {
    const { state, done } = createState();
    state.finish();
    state.finish();
    expect(state.isDone).toBe(true);
    expect(done.count).toBe(1);
  });
});
