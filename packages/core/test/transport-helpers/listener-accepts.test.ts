import { getEventListeners } from "node:events";

import { describe, expect, test } from "@jest/globals";
import { InvalidOperationError, ObjectDisposedError } from "../../src/errors/usage-errors.js";
import { ListenerAccepts } from "../../src/transport-helpers/listener-accepts.js";
import type { MultiplexedConnection } from "../../src/transport/multiplexed-connection.js";
import type { AcceptedConnection } from "../../src/transport/multiplexed-transport.js";
import { isStillPending } from "./still-pending.js";

/**
 * A listener's backlog as a transport keeps it: connections go to a waiting accept first, else wait in order.
 * ListenerAccepts never looks inside a connection, so each one is a distinct token told apart by its port.
 */
function createListener(label = "test listener") {
  const backlog: AcceptedConnection[] = [];
  const accepts = new ListenerAccepts(label, () => backlog.shift());
  const arrive = (port: number): AcceptedConnection => {
    const accepted: AcceptedConnection = {
      connection: {} as MultiplexedConnection,
      remoteNetworkAddress: { host: "client", port },
    };
    if (!accepts.deliver(accepted)) {
      backlog.push(accepted);
    }
    return accepted;
  };
  return { accepts, backlog, arrive };
}

describe("ListenerAccepts", () => {
  test("accept hands over the ready connections oldest first", async () => {
    const { accepts, arrive } = createListener();
    const first = arrive(1);
    const second = arrive(2);
    expect(await accepts.accept(undefined)).toBe(first);
    expect(await accepts.accept(undefined)).toBe(second);
  });

  test("an accept with no connection ready waits and resolves with the next one", async () => {
    const { accepts, backlog, arrive } = createListener();
    const accept = accepts.accept(undefined);
    expect(accepts.isWaiting).toBe(true);
    // Nothing arrived: the accept must stay pending (checked with a zero-delay timer race).
    expect(await isStillPending(accept)).toBe(true);
    const arrived = arrive(1);
    expect(await accept).toBe(arrived);
    expect(backlog).toHaveLength(0); // delivered to the accept, not queued
    expect(accepts.isWaiting).toBe(false);
  });

  test("an accept while another waits is an InvalidOperationError, and the waiting one still gets the next connection", async () => {
    const { accepts, arrive } = createListener();
    const waiting = accepts.accept(undefined);
    await expect(accepts.accept(undefined)).rejects.toBeInstanceOf(InvalidOperationError);
    const accepted = arrive(1);
    expect(await waiting).toBe(accepted);
  });

  test("deliver returns false and hands over nothing when no accept waits", async () => {
    const { accepts } = createListener();
    const accepted: AcceptedConnection = {
      connection: {} as MultiplexedConnection,
      remoteNetworkAddress: { host: "client", port: 1 },
    };
    expect(accepts.isWaiting).toBe(false);
    expect(accepts.deliver(accepted)).toBe(false);
    // The connection was not kept: the backlog (empty) decides what the next accept gets.
    const accept = accepts.accept(undefined);
    expect(await isStillPending(accept)).toBe(true);
    accepts.dispose();
    await expect(accept).rejects.toBeInstanceOf(ObjectDisposedError);
  });

  test("an accept with an already-aborted signal rejects with its reason and leaves the ready connection", async () => {
    const { accepts, backlog, arrive } = createListener();
    const ready = arrive(1);
    const reason = new Error("stop");
    await expect(accepts.accept(AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(backlog).toEqual([ready]);
    expect(accepts.isWaiting).toBe(false);
    expect(await accepts.accept(undefined)).toBe(ready);
  });

  test("an accept aborted while waiting rejects with the reason and the next connection goes to the next accept", async () => {
    const { accepts, arrive } = createListener();
    const controller = new AbortController();
    const accept = accepts.accept(controller.signal);
    const reason = new Error("gave up");
    controller.abort(reason);
    await expect(accept).rejects.toBe(reason);
    expect(accepts.isWaiting).toBe(false);
    const arrived = arrive(1);
    expect(await accepts.accept(undefined)).toBe(arrived);
  });

  test("an accept that resolves lets go of its signal", async () => {
    const { accepts, arrive } = createListener();
    const controller = new AbortController();
    const accept = accepts.accept(controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    const arrived = arrive(1);
    expect(await accept).toBe(arrived);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    // Aborting afterwards changes nothing: the next connection still goes to the next accept.
    controller.abort(new Error("late"));
    const next = arrive(2);
    expect(await accepts.accept(undefined)).toBe(next);
  });

  test("dispose rejects the waiting accept with ObjectDisposedError naming the listener and lets go of its signal", async () => {
    const { accepts } = createListener("memory listener");
    const controller = new AbortController();
    const accept = accepts.accept(controller.signal);
    expect(accepts.dispose()).toBe(true);
    await expect(accept).rejects.toThrow(ObjectDisposedError);
    await expect(accept).rejects.toThrow("memory listener");
    expect(accepts.isWaiting).toBe(false);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  test("accept after dispose rejects with ObjectDisposedError, even with a connection ready or an aborted signal", async () => {
    const { accepts, arrive } = createListener("tcp listener");
    arrive(1);
    expect(accepts.isDisposed).toBe(false);
    accepts.dispose();
    expect(accepts.isDisposed).toBe(true);
    const error = await accepts.accept(undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectDisposedError);
    expect((error as Error).message).toContain("tcp listener");
    const aborted = AbortSignal.abort(new Error("stop"));
    await expect(accepts.accept(aborted)).rejects.toBeInstanceOf(ObjectDisposedError);
  });

  test("dispose returns true the first time only", () => {
    const { accepts } = createListener();
    expect(accepts.dispose()).toBe(true);
    expect(accepts.dispose()).toBe(false);
    expect(accepts.isDisposed).toBe(true);
  });

  test("a disposed listener delivers nothing: connections arriving late stay with the listener to release", async () => {
    const { accepts, backlog, arrive } = createListener();
    const accept = accepts.accept(undefined);
    accepts.dispose();
    await expect(accept).rejects.toBeInstanceOf(ObjectDisposedError);
    const late = arrive(1);
    expect(backlog).toEqual([late]);
  });
});
