import { Deferred } from "@icerpc-ts/primitives";
import type { MultiplexedStream } from "../../transport/multiplexed-stream.js";
import { StreamTracker } from "./stream-tracker.js";

/**
 * What keeps an icerpc connection busy (invocations, dispatches and streams with an open direction), for the graceful
 * shutdown, which waits until nothing is, and for the inactivity timeout: once watching, a connection idle for
 * `inactivityTimeout` reports it is inactive.
 */
export class ConnectionActivity {
  readonly #inactivityTimeout: number;
  readonly #onInactive: () => void;
  #busy = 0;
  /** When `#busy` last dropped to 0 (performance.now()). */
  #idleSince = 0;
  #idleWaiter: Deferred<void> | undefined;
  #inactivityTimer: ReturnType<typeof setTimeout> | undefined;
  #watching = false;
  #stopped = false;

  constructor(inactivityTimeout: number, onInactive: () => void) {
    this.#inactivityTimeout = inactivityTimeout;
    this.#onInactive = onInactive;
  }

  /** One more thing in progress; {@link decrease} reports its end. */
  increase(): void {
    this.#busy++;
  }

  /** One thing in progress less. A property, not a method: the one callback every stream tracker and task shares. */
  readonly decrease = (): void => {
    if (--this.#busy === 0) {
      this.#idleSince = performance.now();
      this.#idleWaiter?.resolve();
      this.#idleWaiter = undefined;
      this.#checkInactive();
    }
  };

  /** Counts `stream` as busy until both its directions are done. */
  trackStream(stream: MultiplexedStream): StreamTracker {
    this.#busy++;
    return new StreamTracker(stream, this.decrease);
  }

  /** Resolves once nothing is in progress: no invocation, dispatch, or stream with an open direction. */
  whenIdle(): Promise<void> {
    if (this.#busy === 0) {
      return Promise.resolve();
    }
    this.#idleWaiter ??= new Deferred<void>();
    return this.#idleWaiter.promise;
  }

  /** Starts watching for inactivity (the connection is connected), unless stopped already. */
  watch(): void {
    this.#watching = true;
    this.#checkInactive();
  }

  /** Stops watching for good: the connection no longer takes invocations, so it is closing anyway. */
  stop(): void {
    this.#stopped = true;
    if (this.#inactivityTimer !== undefined) {
      clearTimeout(this.#inactivityTimer);
      this.#inactivityTimer = undefined;
    }
  }

  /**
   * Arms the inactivity timer unless it is armed already. Going busy does not disarm it, which would cost a timer
   * per request: when it fires, it checks whether the connection was idle for the whole timeout and re-arms for the
   * rest of the period if not.
   */
  #checkInactive(): void {
    if (this.#busy !== 0 || !this.#watching || this.#stopped || this.#inactivityTimer !== undefined) {
      return;
    }
    this.#idleSince = performance.now();
    this.#inactivityTimer = setTimeout(this.#onTimer, this.#inactivityTimeout);
  }

  readonly #onTimer = (): void => {
    this.#inactivityTimer = undefined;
    if (this.#busy !== 0 || this.#stopped) {
      return; // busy again: the next return to idle re-arms
    }
    const remaining = this.#idleSince + this.#inactivityTimeout - performance.now();
    if (remaining > 0) {
      this.#inactivityTimer = setTimeout(this.#onTimer, remaining);
    } else {
      this.#onInactive();
    }
  };
}
