import { Deferred } from "@icerpc-ts/primitives";

/** How the connection finished a {@link PayloadSource}: read to its end, closed early (`return`), or failed. */
export type PayloadCompletion = "ended" | "returned" | "failed";

/**
 * An outgoing payload (or payload continuation) that a test controls, the TypeScript counterpart of the pipe readers
 * and `PayloadPipeReaderDecorator` of IceRPC C#'s tests: it yields the chunks pushed into it, waits when there are
 * none, ends or fails when told, and records how the connection finished it. Its iterator's `return` works while a
 * `next` is pending, so that a sender can stop a producer that is stuck, as C# cancels a pending `ReadAsync`.
 */
export class PayloadSource implements AsyncIterable<Uint8Array> {
  readonly #queue: Uint8Array[] = [];
  #ended = false;
  #failure: { error: unknown } | undefined;
  #pendingNext: Deferred<IteratorResult<Uint8Array>> | undefined;
  readonly #completion = new Deferred<PayloadCompletion>();
  #nextCalls = 0;
  readonly #nextCallWaiters = new Map<number, Deferred<void>>();
  #iterated = false;

  /**
   * @param chunks what the payload yields first.
   * @param then what it does once they are taken: end, wait for more (`"hold"`), or fail with the given error.
   */
  constructor(chunks: readonly Uint8Array[] = [], then: "end" | "hold" | { fail: unknown } = "end") {
    this.#queue.push(...chunks);
    if (then === "end") {
      this.#ended = true;
    } else if (then !== "hold") {
      this.#failure = { error: then.fail };
    }
  }

  /** How the payload was finished, once it is. */
  get completed(): Promise<PayloadCompletion> {
    return this.#completion.promise;
  }

  /** Resolves once the sender asked for a chunk `times` times (already, or later). */
  nextCalled(times = 1): Promise<void> {
    if (this.#nextCalls >= times) {
      return Promise.resolve();
    }
    let waiter = this.#nextCallWaiters.get(times);
    if (waiter === undefined) {
      waiter = new Deferred<void>();
      this.#nextCallWaiters.set(times, waiter);
    }
    return waiter.promise;
  }

  /** Makes `chunk` available to the sender. */
  push(chunk: Uint8Array): void {
    const pending = this.#takePendingNext();
    if (pending === undefined) {
      this.#queue.push(chunk);
    } else {
      pending.resolve({ value: chunk, done: false });
    }
  }

  /** Ends the payload once the queued chunks are taken. */
  end(): void {
    this.#ended = true;
    if (this.#queue.length === 0) {
      this.#takePendingNext()?.resolve(this.#finish("ended"));
    }
  }

  /** Fails the payload once the queued chunks are taken, as a producer failing to read its data. */
  fail(error: unknown): void {
    this.#failure = { error };
    if (this.#queue.length === 0) {
      const pending = this.#takePendingNext();
      if (pending !== undefined) {
        this.#completion.resolve("failed");
        pending.reject(error);
      }
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#iterated) {
      throw new Error("A PayloadSource is sent once: create another one for another request or response.");
    }
    this.#iterated = true;
    return {
      next: () => this.#next(),
      return: () => Promise.resolve(this.#return()),
    };
  }

  #next(): Promise<IteratorResult<Uint8Array>> {
    this.#nextCalls++;
    for (const [times, waiter] of this.#nextCallWaiters) {
      if (times <= this.#nextCalls) {
        this.#nextCallWaiters.delete(times);
        waiter.resolve();
      }
    }
    if (this.#pendingNext !== undefined) {
      return Promise.reject(new Error("PayloadSource.next was called while another call was pending."));
    }
    const chunk = this.#queue.shift();
    if (chunk !== undefined) {
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.#failure !== undefined) {
      this.#completion.resolve("failed");
      return Promise.reject(this.#failure.error);
    }
    if (this.#ended) {
      return Promise.resolve(this.#finish("ended"));
    }
    this.#pendingNext = new Deferred<IteratorResult<Uint8Array>>();
    return this.#pendingNext.promise;
  }

  #return(): IteratorResult<Uint8Array> {
    this.#queue.length = 0;
    this.#ended = true;
    const result = this.#finish("returned");
    this.#takePendingNext()?.resolve(result);
    return result;
  }

  #finish(completion: PayloadCompletion): IteratorResult<Uint8Array> {
    if (!this.#completion.settled) {
      this.#completion.resolve(completion);
    }
    return { value: undefined, done: true };
  }

  #takePendingNext(): Deferred<IteratorResult<Uint8Array>> | undefined {
    const pending = this.#pendingNext;
    this.#pendingNext = undefined;
    return pending;
  }
}
