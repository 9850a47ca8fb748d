/**
 * Returns `promise` after attaching a no-op handler, so that its rejection is never reported as unhandled: yamux
 * writes and ends are often not awaited, or not awaited at once, and their failures show in the connection's
 * failure anyway. Awaiting the promise still sees the rejection.
 */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
