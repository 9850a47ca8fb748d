import { getEventListeners } from "node:events";

import { describe, expect, test } from "@jest/globals";
import { Deadline, SignalLink, abortable } from "../src/index.js";
import { followAbort, unfollowAbort } from "../src/abort-followers.js";

describe("one listener per signal, however many follow it", () => {
  test("a thousand deadlines, links and abortable waits on one signal hold one listener on it, none once done", async () => {
    const shared = new AbortController();
    const deadlines = Array.from({ length: 400 }, () => new Deadline(60_000, shared.signal, "expired"));
    const links = Array.from({ length: 400 }, () => new SignalLink([new AbortController().signal, shared.signal]));
    const waits = Array.from({ length: 200 }, () => abortable<void>(shared.signal, () => {}, () => {}));
    expect(getEventListeners(shared.signal, "abort")).toHaveLength(1);

    shared.abort(new Error("stop"));
    expect(deadlines.every((deadline) => deadline.signal.reason === shared.signal.reason)).toBe(true);
    expect(links.every((link) => link.signal.reason === shared.signal.reason)).toBe(true);
    const reasons = await Promise.all(waits.map((wait) => wait.catch((reason: unknown) => reason)));
    expect(reasons.every((reason) => reason === shared.signal.reason)).toBe(true);

    const reused = new AbortController();
    for (const deadline of Array.from({ length: 50 }, () => new Deadline(60_000, reused.signal, "expired"))) {
      deadline.dispose();
    }
    await abortable<void>(reused.signal, (resolve) => resolve(), () => {});
    expect(getEventListeners(reused.signal, "abort")).toHaveLength(0);
  });

  test("callbacks run in the order they followed; one unfollowed during the abort does not run", () => {
    const signal = new AbortController();
    const calls: string[] = [];
    const third = (): void => {
      calls.push("third");
    };
    followAbort(signal.signal, (reason) => calls.push(`first ${String(reason)}`));
    followAbort(signal.signal, () => {
      calls.push("second");
      unfollowAbort(signal.signal, third);
    });
    followAbort(signal.signal, third);
    signal.abort("why");
    expect(calls).toEqual(["first why", "second"]);
  });

  test("following an aborted signal never calls back, as addEventListener", () => {
    let called = false;
    followAbort(AbortSignal.abort(), () => {
      called = true;
    });
    expect(called).toBe(false);
  });
});
