import { once, getEventListeners } from "node:events";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { describe, expect, test } from "@jest/globals";
import { Deadline } from "../../src/util/index.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const aborted = async (signal: AbortSignal): Promise<unknown> => {
  if (!signal.aborted) {
    await once(signal, "abort");
  }
  return signal.reason;
};

describe("Deadline", () => {
  test("aborts with a TimeoutError that says what took too long", async () => {
    const deadline = new Deadline(5, undefined, "The handshake did not complete within 5 ms.");
    const reason = await aborted(deadline.signal);
    expect(reason).toBeInstanceOf(DOMException);
    expect(reason).toMatchObject({ name: "TimeoutError", message: "The handshake did not complete within 5 ms." });
  });

  test("aborts with the caller's reason, at once if the caller's signal aborted already", async () => {
    const caller = new AbortController();
    const deadline = new Deadline(60_000, caller.signal, "expired");
    caller.abort(new Error("cancelled by the caller"));
    expect(await aborted(deadline.signal)).toEqual(new Error("cancelled by the caller"));
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);

    const early = new Deadline(60_000, AbortSignal.abort("too late"), "expired");
    expect(early.signal.reason).toBe("too late");
  });

  test("dispose clears the timer and stops listening to the caller", async () => {
    const caller = new AbortController();
    const deadline = new Deadline(1, caller.signal, "expired");
    deadline.dispose();
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    const later = new Deadline(20, undefined, "a later deadline"); // outlives the disposed one's time
    await aborted(later.signal);
    caller.abort();
    expect(deadline.signal.aborted).toBe(false);
  });

  test("run disposes the deadline once the operation settles, whichever way", async () => {
    const caller = new AbortController();
    let seen: AbortSignal | undefined;
    expect(await Deadline.run(60_000, caller.signal, "expired", async (signal) => ((seen = signal), 42))).toBe(42);
    await expect(
      Deadline.run(60_000, caller.signal, "expired", () => Promise.reject(new Error("failed"))),
    ).rejects.toThrow("failed");
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    caller.abort();
    expect(seen!.aborted).toBe(false);
    const timedOut = Deadline.run(1, undefined, "expired", (signal) => aborted(signal).then((reason) => Promise.reject(reason)));
    await expect(timedOut).rejects.toMatchObject({ name: "TimeoutError" });
  });

  test("fires after a garbage collection, where AbortSignal.any with AbortSignal.timeout does not (Node 20)", async () => {
    const caller = new AbortController();
    const deadlines = Array.from({ length: 20 }, () => new Deadline(50, caller.signal, "expired"));
    const composites = Array.from({ length: 20 }, () => AbortSignal.any([AbortSignal.timeout(50), caller.signal]));
    const afterComposites = new Deadline(100, undefined, "after the composites' time");
    // After the job that made them (V8 keeps WeakRef targets alive until then), collect.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const reasons = await Promise.all(deadlines.map((deadline) => aborted(deadline.signal)));
    expect(reasons.map((reason) => (reason as DOMException).name)).toEqual(Array(20).fill("TimeoutError"));
    // Why Deadline exists: the same bound built from Node's own signals was lost with the collection. (Should Node fix
    // this, the expectation below fails, and Deadline may give way to AbortSignal.any again.)
    await aborted(afterComposites.signal);
    expect(composites.filter((signal) => signal.aborted)).toHaveLength(0);
  });
});
