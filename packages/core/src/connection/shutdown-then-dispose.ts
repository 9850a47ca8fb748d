import { InvalidOperationError, ObjectDisposedError } from "../errors/usage-errors.js";

/**
 * The end of an owner of connections (ClientConnection, ConnectionCache, Server), the same for all three: one
 * graceful shutdown at most, which a signal can cut short by disposing; a dispose that is idempotent and settles only
 * once a shutdown in progress has settled too.
 */
export class ShutdownThenDispose {
  readonly #ownerName: string;
  readonly #shutdownGracefully: () => Promise<void>;
  readonly #disposeEverything: () => Promise<void>;
  #shutdownPromise: Promise<void> | undefined;
  #disposePromise: Promise<void> | undefined;

  /**
   * @param ownerName names the owner in the errors of a second shutdown and of a shutdown after dispose.
   * @param shutdownGracefully shuts the owner's connections down; it must settle once `disposeEverything` ran.
   * @param disposeEverything disposes the owner's connections, whatever they are doing.
   */
  constructor(ownerName: string, shutdownGracefully: () => Promise<void>, disposeEverything: () => Promise<void>) {
    this.#ownerName = ownerName;
    this.#shutdownGracefully = shutdownGracefully;
    this.#disposeEverything = disposeEverything;
  }

  get isShutDown(): boolean {
    return this.#shutdownPromise !== undefined;
  }

  get isDisposed(): boolean {
    return this.#disposePromise !== undefined;
  }

  /** Shut down or disposed: the owner takes no new work. */
  get isClosing(): boolean {
    return this.#shutdownPromise !== undefined || this.#disposePromise !== undefined;
  }

  /** Throws `ObjectDisposedError` once disposed. */
  throwIfDisposed(): void {
    if (this.#disposePromise !== undefined) {
      throw new ObjectDisposedError(this.#ownerName);
    }
  }

  /**
   * Shuts down gracefully, unless `signal` aborts first: then it disposes at once and rejects with the signal's
   * reason. A single listener on `signal`, however many connections there are. Rejects once disposed, and the second
   * time.
   */
  shutdown(signal?: AbortSignal): Promise<void> {
    if (this.#disposePromise !== undefined) {
      return Promise.reject(new ObjectDisposedError(this.#ownerName));
    }
    if (this.#shutdownPromise !== undefined) {
      return Promise.reject(new InvalidOperationError(`Cannot shut down a ${this.#ownerName} twice.`));
    }
    this.#shutdownPromise = this.#shutdownUnlessAborted(signal);
    return this.#shutdownPromise;
  }

  /** Disposes everything, then waits for a shutdown in progress. Idempotent. */
  dispose(): Promise<void> {
    this.#disposePromise ??= this.#dispose();
    return this.#disposePromise;
  }

  async #dispose(): Promise<void> {
    await Promise.allSettled([this.#disposeEverything(), this.#shutdownPromise]);
  }

  async #shutdownUnlessAborted(signal: AbortSignal | undefined): Promise<void> {
    const onAbort = (): void => void this.dispose();
    if (signal?.aborted) {
      onAbort();
    } else {
      signal?.addEventListener("abort", onAbort, { once: true });
    }
    try {
      await this.#shutdownGracefully();
    } catch (error) {
      signal?.throwIfAborted();
      throw error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    signal?.throwIfAborted();
  }
}
