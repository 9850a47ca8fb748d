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
 * queue listens to each signal once, until it fails, rather than adding and removing an abort listener per wait,
 * which costs Node's EventTarget microseconds each time. Failing removes the listeners, so that a long-lived signal
 * does not keep a finished queue (and its connection) alive.
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
      for (const [signal, withdraw] of this.#watchedSignals) {
        signal.removeEventListener("abort", withdraw);
      }
      this.#watchedSignals.clear();
    }
    return this.#items.drain();
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
