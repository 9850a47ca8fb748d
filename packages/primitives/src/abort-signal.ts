import { followAbort, unfollowAbort } from "./abort-followers.js";

/**
 * Runs `start` with a callback that settles the returned promise, and rejects it with `signal.reason` if `signal`
 * aborts first (immediately if it already has). `onAbort` lets the caller withdraw its pending work, e.g. remove a
 * waiter from a queue, so that nothing is lost when the caller gives up. Waits on one signal share one listener on
 * it (see {@link followAbort}).
 */
export function abortable<T>(
  signal: AbortSignal | undefined,
  start: (resolve: (value: T) => void, reject: (reason: unknown) => void) => void,
  onAbort: () => void,
): Promise<T> {
  if (signal === undefined) {
    return new Promise<T>(start);
  }
  if (signal.aborted) {
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (reason: unknown): void => {
      onAbort();
      reject(reason);
    };
    followAbort(signal, abort);
    start(
      (value) => {
        unfollowAbort(signal, abort);
        resolve(value);
      },
      (reason) => {
        unfollowAbort(signal, abort);
        reject(reason);
      },
    );
  });
}

/**
 * Waits for `promise`, or rejects with `signal.reason` when `signal` aborts first. The underlying work goes on: use
 * this where several callers share one operation and one caller giving up must not cancel it for the others.
 */
export function waitAbortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) {
    return promise;
  }
  return abortable<T>(signal, (resolve, reject) => void promise.then(resolve, reject), () => {});
}
