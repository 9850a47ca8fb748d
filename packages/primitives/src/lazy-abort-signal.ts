/**
 * An abort signal created only when someone asks for it. Node's `AbortController` costs microseconds to create,
 * which per-request cancellation cannot afford when almost no request is ever canceled or even looks at its signal.
 */
export class LazyAbortSignal {
  #controller: AbortController | undefined;
  #reason: { value: unknown } | undefined;

  /** The signal; aborted already (with the same reason) if `abort` was called before anyone asked for it. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) {
        this.#controller.abort(this.#reason.value);
      }
    }
    return this.#controller.signal;
  }

  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  /** Aborts with `reason`; later calls are ignored. */
  abort(reason: unknown): void {
    if (this.#reason === undefined) {
      this.#reason = { value: reason };
      this.#controller?.abort(reason);
    }
  }
}
