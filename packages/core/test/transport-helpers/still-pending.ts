const unsettled = Symbol("unsettled");

/**
 * True when `promise` has not settled after the microtasks queued so far and one timer turn: a race against a
 * zero-delay timer, the one allowed use of a timer in tests, to show that nothing settles it without a new event.
 */
export async function isStillPending(promise: Promise<unknown>): Promise<boolean> {
  // Catch a rejection here so that a promise that rejects early reports "settled" instead of an unhandled rejection.
  const observed = promise.then(
    () => "settled" as const,
    () => "settled" as const,
  );
  const timer = new Promise<typeof unsettled>((resolve) => setTimeout(() => resolve(unsettled), 0));
  return (await Promise.race([observed, timer])) === unsettled;
}
