import { featureKey } from "@icerpc-ts/core";

/**
 * The absolute deadline of a request, in milliseconds since the Unix epoch (as `Date.now()`), IceRPC's
 * `IDeadlineFeature`. Set by the application on an outgoing request, or by the middleware from request field 3.
 */
export const deadlineFeature = featureKey<number>("DeadlineFeature");

/** The deadline `timeout` milliseconds from now. */
export function deadlineIn(timeout: number): number {
  return Date.now() + timeout;
}

/**
 * The longest time a timer can wait (setTimeout's 2^31 - 1 ms, about 24.8 days, the same bound as .NET's
 * CancellationTokenSource.CancelAfter): a deadline further away cannot be enforced.
 */
export const maxEnforceableTimeout = 2 ** 31 - 1;
