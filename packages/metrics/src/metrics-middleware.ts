import type { Middleware } from "@icerpc-ts/core";
import { meterOf, type MetricsOptions } from "./metrics-options.js";
import { RequestMetrics } from "./request-metrics.js";

/**
 * Counts dispatches on the meter `IceRpc.Dispatch`, as IceRPC's metrics middleware: `current-requests`,
 * `total-requests`, `failed-requests` (a response other than Ok, or an error) and `canceled-requests` (the request's
 * signal aborted: the caller canceled, the deadline expired or the connection went away). Add it with
 * `router.use(metricsMiddleware())`.
 */
export function metricsMiddleware(options: MetricsOptions = {}): Middleware {
  const requests = new RequestMetrics(meterOf(options, "IceRpc.Dispatch"));
  return (next) => ({
    dispatch(request) {
      return requests.measure(
        () => next.dispatch(request),
        () => request.signal.aborted,
      );
    },
  });
}
