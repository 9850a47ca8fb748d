/**
 * Pings the peer `interval` milliseconds after the previous answer, and reports a ping left unanswered for
 * `timeout` milliseconds: the peer or the network is then considered dead.
 */
export class KeepAlive {
  readonly #interval: number;
  readonly #timeout: number;
  readonly #ping: () => Promise<unknown>;
  readonly #onTimeout: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  /** `ping` sends a ping and settles with its answer; `onTimeout` is called at most once. */
  constructor(interval: number, timeout: number, ping: () => Promise<unknown>, onTimeout: () => void) {
    this.#interval = interval;
    this.#timeout = timeout;
    this.#ping = ping;
    this.#onTimeout = onTimeout;
  }

  start(): void {
    this.#timer = setTimeout(this.#probe, this.#interval);
  }

  /** Stops for good, clearing the pending timer. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  readonly #probe = (): void => {
    this.#timer = setTimeout(() => {
      this.stop();
      this.#onTimeout();
    }, this.#timeout);
    this.#ping().then(
      () => {
        clearTimeout(this.#timer);
        if (!this.#stopped) {
          this.start();
        }
      },
      () => {}, // the session ended, and stopped this
    );
  };
}
