/**
 * A time limit for one operation, as an `AbortSignal`: it aborts with a `DOMException` named `TimeoutError` when the
 * time is up, with the caller's reason when the caller's signal aborts, or with the reason given to `abort`. `dispose`
 * clears the timer and the listener, so that nothing outlives the operation.
 *
 * Why not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: Node (20 at least; nodejs/node#57736) holds a timeout
 * signal only weakly, and a composite signal does not keep its sources alive, so after a garbage collection such a
 * signal never aborts and the operation it bounds can hang forever. Here the timer holds the controller.
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort: () => void;

  /**
   * `milliseconds` from now, or as soon as `callerSignal` aborts (at once if it already has). `expired` says what
   * took too long, in the timeout's message: e.g. "The connection establishment did not complete within 10000 ms".
   */
  constructor(milliseconds: number, callerSignal: AbortSignal | undefined, expired: string) {
    this.#timer = setTimeout(() => this.abort(new DOMException(expired, "TimeoutError")), milliseconds);
    this.#callerSignal = callerSignal;
    this.#onCallerAbort = () => this.abort(callerSignal!.reason);
    if (callerSignal?.aborted) {
      this.#onCallerAbort();
    } else {
      callerSignal?.addEventListener("abort", this.#onCallerAbort, { once: true });
    }
  }

  /**
   * Runs `operation` with the signal of a new deadline, which is disposed once the operation settles. The operation
   * must honour the signal.
   */
  static async run<T>(
    milliseconds: number,
    callerSignal: AbortSignal | undefined,
    expired: string,
    operation: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const deadline = new Deadline(milliseconds, callerSignal, expired);
    try {
      return await operation(deadline.signal);
    } finally {
      deadline.dispose();
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Aborts the signal now with `reason` (unless it aborted already), and disposes the deadline. */
  abort(reason: unknown): void {
    if (!this.#controller.signal.aborted) {
      this.#controller.abort(reason);
    }
    this.dispose();
  }

  /** Clears the timer and stops listening to the caller's signal; the signal no longer aborts by itself. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#callerSignal?.removeEventListener("abort", this.#onCallerAbort);
  }
}
