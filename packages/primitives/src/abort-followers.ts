type AbortCallback = (reason: unknown) => void;

/**
 * The callbacks that follow one signal, and the signal's single listener, which calls them in the order they
 * followed. A callback unfollowed during the calls does not run, as with listeners.
 */
class Followers extends Set<AbortCallback> {
  readonly #signal: AbortSignal;

  constructor(signal: AbortSignal) {
    super();
    this.#signal = signal;
  }

  handleEvent(): void {
    for (const callback of this) {
      callback(this.#signal.reason);
    }
    followersOf.delete(this.#signal);
  }
}

const followersOf = new WeakMap<AbortSignal, Followers>();

/**
 * Calls `callback` with `signal.reason` when `signal` aborts, until {@link unfollowAbort}; never if it aborted
 * already, as with `addEventListener`. However many callbacks follow a signal, it holds one listener: a signal shared
 * by many operations (a server's, followed by every handshake under way; a caller's, passed to many calls) would
 * otherwise hold one each, which grows with the load and which Node reports as a leak beyond ten. `callback` must
 * not throw: the callbacks after it would not run.
 */
export function followAbort(signal: AbortSignal, callback: AbortCallback): void {
  if (signal.aborted) {
    return;
  }
  let followers = followersOf.get(signal);
  if (followers === undefined) {
    followers = new Followers(signal);
    followersOf.set(signal, followers);
    signal.addEventListener("abort", followers, { once: true });
  }
  followers.add(callback);
}

/** Stops calling `callback` when `signal` aborts; the last callback to go removes the signal's listener. */
export function unfollowAbort(signal: AbortSignal, callback: AbortCallback): void {
  const followers = followersOf.get(signal);
  if (followers !== undefined && followers.delete(callback) && followers.size === 0) {
    followersOf.delete(signal);
    signal.removeEventListener("abort", followers);
  }
}
