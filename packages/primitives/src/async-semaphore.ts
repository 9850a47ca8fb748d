import { abortable } from "./abort-signal.js";
import { Fifo } from "./fifo.js";

interface Waiter {
  resolve(value: void): void;
  reject(reason: unknown): void;
}

/**
 * Counts free slots; `acquire` waits in FIFO order while none is free. Once failed, pending and later acquisitions
 * reject with the failure.
 */
export class AsyncSemaphore {
  #free: number;
  readonly #waiters = new Fifo<Waiter>();
  #failure: { reason: unknown } | undefined;

  constructor(slots: number) {
    this.#free = slots;
  }

  /** The number of free slots (negative never; waiters exist only at 0). */
  get free(): number {
    return this.#free;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (this.#failure !== undefined) {
      return Promise.reject(this.#failure.reason);
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    let waiter: Waiter | undefined;
    return abortable<void>(
      signal,
      (resolve, reject) => {
        waiter = { resolve, reject };
        this.#waiters.push(waiter);
      },
      () => this.#waiters.remove(waiter!),
    );
  }

  /** Takes a free slot without waiting; returns false when none is free. */
  tryAcquire(): boolean {
    if (this.#failure !== undefined || this.#free === 0) {
      return false;
    }
    this.#free--;
    return true;
  }

  release(count = 1): void {
    for (let i = 0; i < count; i++) {
      const waiter = this.#waiters.shift();
      if (waiter !== undefined) {
        waiter.resolve();
      } else {
        this.#free++;
      }
    }
  }

  /** Rejects every pending and future `acquire` with `reason`. */
  fail(reason: unknown): void {
    if (this.#failure === undefined) {
      this.#failure = { reason };
      for (const waiter of this.#waiters.drain()) {
        waiter.reject(reason);
      }
    }
  }
}
