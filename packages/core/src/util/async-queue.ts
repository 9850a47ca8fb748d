import { abortable } from "./abort-signal.js";
import { Fifo } from "./fifo.js";

interface Waiter<T> {
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/**
 * An unbounded FIFO whose consumers wait for items. Once failed, pending and later `shift` calls reject with the
 * failure, even if items remain (a failed connection delivers no more streams).
 */
export class AsyncQueue<T> {
  readonly #items = new Fifo<T>();
  readonly #waiters = new Fifo<Waiter<T>>();
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
    if (this.#items.length > 0) {
      return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve(this.#items.shift()!);
    }
    let waiter: Waiter<T> | undefined;
    return abortable<T>(
      signal,
      (resolve, reject) => {
        waiter = { resolve, reject };
        this.#waiters.push(waiter);
      },
      () => this.#waiters.remove(waiter!),
    );
  }

  /** Rejects every pending and future `shift` with `reason`; returns the items that were never taken. */
  fail(reason: unknown): T[] {
    if (this.#failure === undefined) {
      this.#failure = { reason };
      for (const waiter of this.#waiters.drain()) {
        waiter.reject(reason);
      }
    }
    return this.#items.drain();
  }
}
