import { followAbort, unfollowAbort } from "./abort-followers.js";

/**
 * A signal that aborts when any of the given signals aborts (with its reason, at once if one has already), or when
 * `abort` is called. `dispose` stops listening to the given signals, so that nothing outlives the operation. However
 * many links follow one source, it holds a single listener (see {@link followAbort}).
 *
 * Why not `AbortSignal.any`: Node (20 at least; nodejs/node#57736) keeps the sources of a composite signal only
 * weakly, so a source that nothing else holds, such as an `AbortSignal.timeout` signal, is lost in the next garbage
 * collection, and the composite never aborts: the operation it bounds hangs. Following each source keeps it.
 */
export class SignalLink {
  readonly #controller = new AbortController();
  readonly #sources: readonly AbortSignal[];
  readonly #onSourceAbort = (reason: unknown): void => this.abort(reason);

  constructor(sources: readonly (AbortSignal | undefined)[]) {
    this.#sources = sources.filter((source) => source !== undefined);
    const abortedSource = this.#sources.find((source) => source.aborted);
    if (abortedSource !== undefined) {
      this.#controller.abort(abortedSource.reason);
      this.#sources = [];
    }
    for (const source of this.#sources) {
      followAbort(source, this.#onSourceAbort);
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Aborts the signal now with `reason` (unless it aborted already), and disposes the link. */
  abort(reason: unknown): void {
    if (!this.#controller.signal.aborted) {
      this.#controller.abort(reason);
    }
    this.dispose();
  }

  /** Stops listening to the sources: the signal no longer aborts by itself. */
  dispose(): void {
    for (const source of this.#sources) {
      unfollowAbort(source, this.#onSourceAbort);
    }
  }
}

/**
 * A time limit for one operation, as an `AbortSignal`: a {@link SignalLink} that also aborts with a `DOMException`
 * named `TimeoutError` when the time is up. (The timer holds the link: a garbage collection cannot lose it.)
 */
export class Deadline extends SignalLink {
  readonly #timer: ReturnType<typeof setTimeout>;

  /**
   * `milliseconds` from now, or as soon as `callerSignal` aborts. `expired` says what took too long, in the timeout's
   * message: e.g. "The connection establishment did not complete within the connect timeout (10000 ms)."
   */
  constructor(milliseconds: number, callerSignal: AbortSignal | undefined, expired: string) {
    super([callerSignal]);
    this.#timer = setTimeout(() => this.abort(new DOMException(expired, "TimeoutError")), milliseconds);
    if (this.signal.aborted) {
      clearTimeout(this.#timer);
    }
  }

  /** Clears the timer and stops listening to the caller's signal. */
  override dispose(): void {
    clearTimeout(this.#timer);
    super.dispose();
  }
}

/**
 * Runs `operation` with `link`'s signal, and disposes `link` once the operation settles, whichever way. The operation
 * must honour the signal.
 */
export async function runWithSignal<T>(link: SignalLink, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  try {
    return await operation(link.signal);
  } finally {
    link.dispose();
  }
}
