import { RequestFieldKey, type Interceptor } from "@icerpc-ts/core";
import { Deadline, runWithSignal } from "@icerpc-ts/primitives";

import { deadlineFeature, maxEnforceableTimeout } from "./deadline-feature.js";
import { encodeDeadline } from "./ticks.js";

export interface DeadlineInterceptorOptions {
  /**
   * Milliseconds a request without a `deadlineFeature` gets before its deadline. Default: none (such requests carry
   * no deadline), as IceRPC's `UseDeadline()`.
   */
  readonly defaultTimeout?: number;
  /**
   * Enforce the deadline even when the caller passes a signal. Default false: a caller with its own signal is
   * trusted to bound the invocation, and the server still enforces the deadline it receives (IceRPC's default).
   */
  readonly alwaysEnforceDeadline?: boolean;
}

const expired = "The request deadline has expired.";

/**
 * Sends the request's deadline as request field 3 and makes the invocation fail with a `TimeoutError` DOMException
 * once it passes. Install it before the retry interceptor, so that the deadline bounds every attempt together.
 */
export function deadlineInterceptor(options: DeadlineInterceptorOptions = {}): Interceptor {
  const { defaultTimeout, alwaysEnforceDeadline = false } = options;
  if (defaultTimeout !== undefined && !(defaultTimeout > 0 && defaultTimeout <= maxEnforceableTimeout)) {
    throw new RangeError(`Invalid defaultTimeout ${defaultTimeout}: it must be between 1 and ${maxEnforceableTimeout} ms.`);
  }
  return (next) => ({
    invoke(request, signal) {
      let deadline = request.features.get(deadlineFeature);
      if (deadline === undefined && defaultTimeout !== undefined) {
        deadline = Date.now() + defaultTimeout;
      }
      if (deadline === undefined) {
        return next.invoke(request, signal);
      }
      const timeout = deadline - Date.now();
      if (timeout <= 0) {
        return Promise.reject(new DOMException(expired, "TimeoutError"));
      }
      if (timeout > maxEnforceableTimeout) {
        return Promise.reject(
          new RangeError(`The request deadline is ${timeout} ms away, beyond the ${maxEnforceableTimeout} ms a timer can wait.`),
        );
      }
      const encoded = deadline;
      request.fields.set(RequestFieldKey.Deadline, (encoder) => encodeDeadline(encoder, encoded));
      if (signal !== undefined && !alwaysEnforceDeadline) {
        return next.invoke(request, signal);
      }
      return runWithSignal(new Deadline(timeout, signal, expired), (linked) => next.invoke(request, linked));
    },
  });
}
