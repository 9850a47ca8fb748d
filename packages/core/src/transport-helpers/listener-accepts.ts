import { abortable } from "@icerpc-ts/primitives";
import { InvalidOperationError, ObjectDisposedError } from "../errors/usage-errors.js";
import type { AcceptedConnection } from "../transport/multiplexed-transport.js";

interface PendingAccept<T> {
  resolve(accepted: T): void;
  reject(reason: unknown): void;
}

/**
 * The `accept` calls of a `Listener`, as the contract has them: an accept takes the oldest waiting connection or
 * waits for the next one, an aborted signal rejects it with `signal.reason`, an accept while another waits is an
 * `InvalidOperationError` (calls must not overlap), and once the listener is disposed the waiting and later accepts
 * reject with `ObjectDisposedError`. The listener keeps its own backlog (how connections
 * wait, and how many) and hands connections in through `takeReady` and {@link deliver}. `T` is what an accept gives:
 * an `AcceptedConnection`, or the byte channel of a `ByteChannelListener`.
 */
export class ListenerAccepts<T = AcceptedConnection> {
  readonly #label: string;
  readonly #takeReady: () => T | undefined;
  #pendingAccept: PendingAccept<T> | undefined;
  #disposed = false;

  /**
   * `label` names the listener in errors (e.g. "memory listener"); `takeReady` takes the oldest connection of the
   * backlog, undefined when none waits.
   */
  constructor(label: string, takeReady: () => T | undefined) {
    this.#label = label;
    this.#takeReady = takeReady;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** An accept waits: the next connection goes to {@link deliver}, not to the backlog. */
  get isWaiting(): boolean {
    return this.#pendingAccept !== undefined;
  }

  accept(signal: AbortSignal | undefined): Promise<T> {
    if (this.#disposed) {
      return Promise.reject(new ObjectDisposedError(this.#label));
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    if (this.#pendingAccept !== undefined) {
      return Promise.reject(
        new InvalidOperationError(`Cannot accept on the ${this.#label}: another accept is waiting; calls must not overlap.`),
      );
    }
    const ready = this.#takeReady();
    if (ready !== undefined) {
      return Promise.resolve(ready);
    }
    return abortable<T>(
      signal,
      (resolve, reject) => {
        this.#pendingAccept = { resolve, reject };
      },
      () => {
        this.#pendingAccept = undefined;
      },
    );
  }

  /** Hands `accepted` to the waiting accept (see {@link isWaiting}); returns false, and does nothing, when none waits. */
  deliver(accepted: T): boolean {
    const pendingAccept = this.#pendingAccept;
    if (pendingAccept === undefined) {
      return false;
    }
    this.#pendingAccept = undefined;
    pendingAccept.resolve(accepted);
    return true;
  }

  /**
   * The listener is disposed: the waiting accept rejects. Returns true the first time only, when the listener
   * releases what it holds.
   */
  dispose(): boolean {
    if (this.#disposed) {
      return false;
    }
    this.#disposed = true;
    const pendingAccept = this.#pendingAccept;
    this.#pendingAccept = undefined;
    pendingAccept?.reject(new ObjectDisposedError(this.#label));
    return true;
  }
}
