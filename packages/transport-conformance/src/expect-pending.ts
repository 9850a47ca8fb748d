import { describeOutcome } from "./operation-outcomes.js";

/**
 * Resolves with true when `operation` is still unsettled after `settleTime` milliseconds, false when it settled
 * before. Racing against a timer is the only way to observe that something does *not* happen, which is why this
 * (with {@link expectPending}) is the suite's only use of a timer. `operation` counts as handled afterwards, so a
 * later rejection is never reported as unhandled.
 */
export function isPending(operation: Promise<unknown>, settleTime: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stillPending = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), settleTime);
  });
  const settled = operation.then(
    () => false,
    () => false,
  );
  return Promise.race([settled, stillPending]).finally(() => clearTimeout(timer));
}

/** Fails, saying how `operation` settled, unless it is still pending after `settleTime` milliseconds. */
export async function expectPending(operation: Promise<unknown>, settleTime: number, what = "the operation"): Promise<void> {
  if (!(await isPending(operation, settleTime))) {
    const outcome = await describeOutcome(operation);
    throw new Error(`Expected ${what} to be blocked, but it settled within ${settleTime} ms: it ${outcome}.`);
  }
}
