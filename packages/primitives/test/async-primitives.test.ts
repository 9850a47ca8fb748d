import { getEventListeners } from "node:events";

import { describe, expect, test } from "@jest/globals";
import { AsyncQueue, AsyncSemaphore, Deferred } from "../src/index.js";
import { Fifo } from "../src/fifo.js";

describe("AsyncQueue", () => {
  test("delivers items in order to waiting and later consumers", async () => {
    const queue = new AsyncQueue<number>();
    const first = queue.shift();
    queue.push(1);
    queue.push(2);
    expect(await first).toBe(1);
    expect(await queue.shift()).toBe(2);
  });

  test("an aborted shift is withdrawn and loses no item", async () => {
    const queue = new AsyncQueue<number>();
    const controller = new AbortController();
    const aborted = queue.shift(controller.signal);
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    queue.push(7);
    expect(await queue.shift()).toBe(7);
  });

  test("waits with one signal share one abort listener; aborting it withdraws only its waits, in order", async () => {
    const queue = new AsyncQueue<number>();
    const loop = new AbortController();
    const other = new AbortController();
    for (let i = 0; i < 100; ++i) {
      const next = queue.shift(loop.signal);
      queue.push(i);
      expect(await next).toBe(i);
    }
    expect(getEventListeners(loop.signal, "abort")).toHaveLength(1);
    const first = queue.shift(loop.signal);
    const second = queue.shift(other.signal);
    const third = queue.shift(loop.signal);
    const fourth = queue.shift();
    loop.abort(new Error("stop"));
    await expect(first).rejects.toThrow("stop");
    await expect(third).rejects.toThrow("stop");
    await expect(queue.shift(loop.signal)).rejects.toThrow("stop");
    queue.push(1);
    queue.push(2);
    expect(await second).toBe(1);
    expect(await fourth).toBe(2);
    const failing = queue.shift(other.signal);
    expect(getEventListeners(other.signal, "abort")).toHaveLength(1);
    queue.fail(new Error("closed"));
    await expect(failing).rejects.toThrow("closed");
    expect(getEventListeners(other.signal, "abort")).toHaveLength(0); // a failed queue holds on to no signal
  });

  test("a consumer with a new signal per wait leaves no listener on the signals of waits that ended", async () => {
    const queue = new AsyncQueue<number>();
    const signals = Array.from({ length: 50 }, () => new AbortController().signal);
    for (const [i, signal] of signals.entries()) {
      const next = queue.shift(signal);
      queue.push(i);
      expect(await next).toBe(i);
    }
    const listening = signals.filter((signal) => getEventListeners(signal, "abort").length > 0);
    expect(listening.length).toBeLessThanOrEqual(1); // at most the last one, kept for a next wait with it
  });

  test("fail rejects pending and later shifts and returns untaken items", async () => {
    const queue = new AsyncQueue<number>();
    const pending = queue.shift();
    const failure = new Error("closed");
    expect(queue.fail(failure)).toEqual([]);
    await expect(pending).rejects.toBe(failure);
    queue.push(1);
    await expect(queue.shift()).rejects.toBe(failure);
  });
});

describe("AsyncSemaphore", () => {
  test("waiters acquire in FIFO order as slots are released", async () => {
    const semaphore = new AsyncSemaphore(1);
    await semaphore.acquire();
    const order: number[] = [];
    const a = semaphore.acquire().then(() => order.push(1));
    const b = semaphore.acquire().then(() => order.push(2));
    semaphore.release();
    await a;
    semaphore.release();
    await b;
    expect(order).toEqual([1, 2]);
    expect(semaphore.free).toBe(0);
  });

  test("an aborted acquire does not take a slot", async () => {
    const semaphore = new AsyncSemaphore(0);
    const controller = new AbortController();
    const aborted = semaphore.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    semaphore.release();
    expect(semaphore.free).toBe(1);
    expect(semaphore.tryAcquire()).toBe(true);
    expect(semaphore.tryAcquire()).toBe(false);
  });

  test("fail rejects pending and later acquisitions", async () => {
    const semaphore = new AsyncSemaphore(0);
    const pending = semaphore.acquire();
    const failure = new Error("closed");
    semaphore.fail(failure);
    await expect(pending).rejects.toBe(failure);
    await expect(semaphore.acquire()).rejects.toBe(failure);
  });
});

describe("Deferred", () => {
  test("reports whether it settled", async () => {
    const deferred = new Deferred<number>();
    expect(deferred.settled).toBe(false);
    deferred.resolve(3);
    expect(deferred.settled).toBe(true);
    expect(await deferred.promise).toBe(3);
  });
});

describe("Fifo", () => {
  test("keeps order across many pushes and shifts, removes withdrawn items, and drains", () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 5000; i++) {
      fifo.push(i);
    }
    for (let i = 0; i < 3000; i++) {
      expect(fifo.shift()).toBe(i);
    }
    fifo.remove(3001);
    expect(fifo.length).toBe(1999);
    expect(fifo.shift()).toBe(3000);
    expect(fifo.shift()).toBe(3002);
    expect(fifo.drain()).toHaveLength(1997);
    expect(fifo.shift()).toBeUndefined();
  });
});

test("Symbol.asyncDispose is Node's own symbol in tests too", () => {
  expect(Symbol.asyncDispose).toBe(Symbol.for("nodejs.asyncDispose"));
});
