export { telemetryInterceptor } from "./telemetry-interceptor.js";
export { telemetryMiddleware } from "./telemetry-middleware.js";
export type { TelemetryOptions } from "./telemetry-options.js";
export { decodeTraceContext, encodeTraceContext, maxBaggageEntries, type TraceContext } from "./trace-context-codec.js";
