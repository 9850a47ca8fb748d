export { clientConnectionMetrics, serverConnectionMetrics } from "./connection-metrics.js";
export { metricsInterceptor } from "./metrics-interceptor.js";
export { metricsMiddleware } from "./metrics-middleware.js";
export type { MetricsOptions } from "./metrics-options.js";
