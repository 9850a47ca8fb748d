/**
 * A promise with its resolve and reject functions (Node 20 lacks `Promise.withResolvers`). The promise is created
 * only when asked for: many are settled without anyone waiting (a stream's `closed`, say), and a promise costs an
 * allocation and, when rejected unobserved, an unhandled-rejection report. The first `resolve` or `reject` settles
 * it; later calls do nothing.
 */
export class Deferred<T> {
  #promise: Promise<T> | undefined;
  #resolvePromise: ((value: T | PromiseLike<T>) => void) | undefined;
  #rejectPromise: ((reason: unknown) => void) | undefined;
  #outcome: { readonly value: T | PromiseLike<T> } | { readonly reason: unknown } | undefined;

  get promise(): Promise<T> {
    if (this.#promise === undefined) {
      const outcome = this.#outcome;
      if (outcome === undefined) {
        this.#promise = new Promise<T>((resolve, reject) => {
          this.#resolvePromise = resolve;
          this.#rejectPromise = reject;
        });
      } else {
        this.#promise = "value" in outcome ? Promise.resolve(outcome.value) : Promise.reject(outcome.reason);
      }
    }
    return this.#promise;
  }

  get settled(): boolean {
    return this.#outcome !== undefined;
  }

  resolve(value: T | PromiseLike<T>): void {
    if (this.#outcome === undefined) {
      this.#outcome = { value };
      this.#resolvePromise?.(value);
    }
  }

  reject(reason: unknown): void {
    if (this.#outcome === undefined) {
      this.#outcome = { reason };
      this.#rejectPromise?.(reason);
    }
  }
}
