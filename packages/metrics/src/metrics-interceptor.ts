import type { Interceptor } from "@icerpc-ts/core";
import { meterOf, type MetricsOptions } from "./metrics-options.js";
import { RequestMetrics } from "./request-metrics.js";

/**
 * Counts invocations on the meter `IceRpc.Invocation`, as IceRPC's metrics interceptor: `current-requests`,
 * `total-requests`, `failed-requests` (a response other than Ok, or an error) and `canceled-requests` (the
 * invocation's signal aborted, e.g. by the caller or a deadline interceptor before this one). Add it with
 * `pipeline.use(metricsInterceptor())`.
 */
export function metricsInterceptor(options: MetricsOptions = {}): Interceptor {
  const requests = new RequestMetrics(meterOf(options, "IceRpc.Invocation"));
  return (next) => ({
    invoke(request, signal) {
      return requests.measure(
        () => next.invoke(request, signal),
        () => signal?.aborted === true,
      );
    },
  });
}
