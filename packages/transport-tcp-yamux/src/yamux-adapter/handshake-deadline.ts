/**
 * Bounds a connection's handshake: its signal aborts with a `DOMException` named `TimeoutError` when the handshake
 * timeout expires, with the caller's reason when the caller's signal aborts, or with the reason given to `abort`
 * (disposal). `dispose` clears the timer and the listener, so that nothing outlives the handshake.
 */
export class HandshakeDeadline {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort: () => void;

  /** `what` names the handshake in the timeout's message, e.g. "tcp-yamux connection". */
  constructor(timeout: number, callerSignal: AbortSignal | undefined, what: string) {
    this.#timer = setTimeout(
      () =>
        this.abort(
          new DOMException(
            `The ${what} handshake did not complete within ${timeout} ms: the peer did not answer in time.`,
            "TimeoutError",
          ),
        ),
      timeout,
    );
    this.#callerSignal = callerSignal;
    this.#onCallerAbort = () => this.abort(callerSignal!.reason);
    callerSignal?.addEventListener("abort", this.#onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (!this.#controller.signal.aborted) {
      this.#controller.abort(reason);
    }
    this.dispose();
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#callerSignal?.removeEventListener("abort", this.#onCallerAbort);
  }
}
