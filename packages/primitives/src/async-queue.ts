import { Fifo } from "./fifo.js";

interface Waiter<T> {
  resolve(value: T): void;
  reject(reason: unknown): void;
  readonly signal: AbortSignal | undefined;
}

/**
 * An unbounded FIFO whose consumers wait for items. Once failed, pending and later `shift` calls reject with the
 * failure, even if items remain (a failed connection delivers no more streams).
 *
 * A consumer usually waits again and again with the same signal (an accept loop and its connection's signal): the
 * queue keeps listening to a signal between waits rather than adding and removing an abort listener per wait, which
 * costs Node's EventTarget microseconds each time. It stops listening to the signals no wait uses when a wait comes
 * with another signal, and to all of them when it fails, so that neither a consumer with a new signal per wait nor
 * a long-lived signal makes listeners (and what they keep alive) pile up.
 */
export class AsyncQueue<T> {
  readonly #items = new Fifo<T>();
  readonly #waiters = new Fifo<Waiter<T>>();
  /** The abort listener added to each signal waited with. */
  readonly #watchedSignals = new Map<AbortSignal, () => void>();
  #failure: { reason: unknown } | undefined;

  get length(): number {
    return this.#items.length;
  }

  push(item: T): void {
    if (this.#failure !== undefined) {
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter.resolve(item);
    } else {
      this.#items.push(item);
    }
  }

  /** Resolves with the oldest item, waiting for one if needed. Aborting `signal` withdraws the wait. */
  shift(signal?: AbortSignal): Promise<T> {
    if (this.#failure !== undefined) {
      return Promise.reject(this.#failure.reason);
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    if (this.#items.length > 0) {
      return Promise.resolve(this.#items.shift()!);
    }
    if (signal !== undefined && !this.#watchedSignals.has(signal)) {
      this.#unwatchIdleSignals();
      const withdraw = (): void => this.#withdraw(signal);
      this.#watchedSignals.set(signal, withdraw);
      signal.addEventListener("abort", withdraw, { once: true });
    }
    return new Promise<T>((resolve, reject) => this.#waiters.push({ resolve, reject, signal }));
  }

  /** Rejects every pending and future `shift` with `reason`; returns the items that were never taken. */
  fail(reason: unknown): T[] {
    if (this.#failure === undefined) {
      this.#failure = { reason };
      for (const waiter of this.#waiters.drain()) {
        waiter.reject(reason);
      }
      this.#unwatchIdleSignals();
    }
    return this.#items.drain();
  }

  /** Stops listening to the signals that no pending wait uses. */
  #unwatchIdleSignals(): void {
    for (const [signal, withdraw] of this.#watchedSignals) {
      if (!this.#waiters.some((waiter) => waiter.signal === signal)) {
        signal.removeEventListener("abort", withdraw);
        this.#watchedSignals.delete(signal);
      }
    }
  }

  /** Rejects the waits made with `signal`, which aborted; the others go on waiting, in order. */
  #withdraw(signal: AbortSignal): void {
    this.#watchedSignals.delete(signal);
    for (const waiter of this.#waiters.drain()) {
      if (waiter.signal === signal) {
        waiter.reject(signal.reason);
      } else {
        this.#waiters.push(waiter);
      }
    }
  }
}
