import type { TransportConnectionInformation } from "@icerpc-ts/core/transport";
import { Deadline, Deferred } from "@icerpc-ts/primitives";

/**
 * One pending `connect`. It settles once: with the handshake's outcome, or by calling `giveUp` with the reason to
 * reject with when the handshake timeout expires (a `DOMException` named `TimeoutError`) or the caller's signal
 * aborts (its reason). Settling disposes the deadline, so nothing outlives the attempt.
 */
export class ConnectAttempt {
  readonly #result = new Deferred<TransportConnectionInformation>();
  readonly #deadline: Deadline;

  /** `signal` must not be aborted already. */
  constructor(handshakeTimeout: number, signal: AbortSignal | undefined, giveUp: (reason: unknown) => void) {
    this.#deadline = new Deadline(
      handshakeTimeout,
      signal,
      `The memory transport handshake did not complete within ${handshakeTimeout} ms: ` +
        "the server did not accept and connect the connection in time.",
    );
    const deadlineSignal = this.#deadline.signal;
    deadlineSignal.addEventListener("abort", () => giveUp(deadlineSignal.reason), { once: true });
  }

  get promise(): Promise<TransportConnectionInformation> {
    return this.#result.promise;
  }

  succeed(information: TransportConnectionInformation): void {
    if (this.#settle()) {
      this.#result.resolve(information);
    }
  }

  fail(reason: unknown): void {
    if (this.#settle()) {
      this.#result.reject(reason);
    }
  }

  #settle(): boolean {
    if (this.#result.settled) {
      return false;
    }
    this.#deadline.dispose();
    return true;
  }
}
