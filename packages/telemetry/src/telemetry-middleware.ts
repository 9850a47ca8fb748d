import { RequestFieldKey, type Middleware } from "@icerpc-ts/core";
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Context } from "@opentelemetry/api";
import { rpcSpan } from "./rpc-attributes.js";
import { recordError, recordStatusCode } from "./span-outcome.js";
import { tracerOf, type TelemetryOptions } from "./telemetry-options.js";
import { decodeTraceContext } from "./trace-context-codec.js";

/**
 * Starts a server span per dispatch, continuing the trace the request field TraceContext (1) carries, with its
 * baggage, as IceRPC's telemetry middleware; the dispatch runs in the span's context, so that the invocations it
 * makes continue the trace. A malformed trace context fails the dispatch with InvalidData. Add it with
 * `router.use(telemetryMiddleware())`.
 */
export function telemetryMiddleware(options: TelemetryOptions = {}): Middleware {
  const tracer = tracerOf(options);
  return (next) => ({
    async dispatch(request) {
      const { name, attributes } = rpcSpan(request.path, request.operation);
      const parent = remoteParent(request.fields.get(RequestFieldKey.TraceContext));
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
      try {
        const response = await context.with(trace.setSpan(parent, span), () => next.dispatch(request));
        recordStatusCode(span, response.statusCode, response.errorMessage);
        return response;
      } catch (error) {
        recordError(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  });
}

/** The caller's trace and baggage, never mixed with whatever context the connection happens to run in. */
function remoteParent(field: Uint8Array | undefined): Context {
  if (field === undefined) {
    return context.active();
  }
  const { spanContext, baggage } = decodeTraceContext(field);
  const withSpan = trace.setSpanContext(ROOT_CONTEXT, spanContext);
  return baggage.length === 0
    ? withSpan
    : propagation.setBaggage(withSpan, propagation.createBaggage(Object.fromEntries(baggage.map(([k, v]) => [k, { value: v }]))));
}
