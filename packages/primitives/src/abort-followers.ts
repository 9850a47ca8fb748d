/** The callbacks that follow one signal, and the signal's single listener, which calls them. */
interface Followers {
  readonly callbacks: Set<(reason: unknown) => void>;
  readonly listener: () => void;
}

const followersOf = new WeakMap<AbortSignal, Followers>();

/**
 * Calls `callback` with `signal.reason` when `signal` aborts, until {@link unfollowAbort}; never if it aborted
 * already, as with `addEventListener`. However many callbacks follow a signal, it holds one listener: a signal shared
 * by many operations (a server's, followed by every handshake under way; a caller's, passed to many calls) would
 * otherwise hold one each, which grows with the load and which Node reports as a leak beyond ten. `callback` must
 * not throw: the callbacks after it would not run.
 */
export function followAbort(signal: AbortSignal, callback: (reason: unknown) => void): void {
  if (signal.aborted) {
    return;
  }
  let followers = followersOf.get(signal);
  if (followers === undefined) {
    const callbacks = new Set<(reason: unknown) => void>();
    const listener = (): void => {
      // A callback that unfollows another during the loop stops it from running, as listeners do.
      for (const callback of callbacks) {
        callback(signal.reason);
      }
      followersOf.delete(signal);
    };
    followers = { callbacks, listener };
    followersOf.set(signal, followers);
    signal.addEventListener("abort", listener, { once: true });
  }
  followers.callbacks.add(callback);
}

/** Stops calling `callback` when `signal` aborts; the last callback to go removes the signal's listener. */
export function unfollowAbort(signal: AbortSignal, callback: (reason: unknown) => void): void {
  const followers = followersOf.get(signal);
  if (followers !== undefined && followers.callbacks.delete(callback) && followers.callbacks.size === 0) {
    followersOf.delete(signal);
    signal.removeEventListener("abort", followers.listener);
  }
}
