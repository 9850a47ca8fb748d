import { RequestFieldKey, type Interceptor } from "@icerpc-ts/core";
import { context, isSpanContextValid, propagation, SpanKind, trace } from "@opentelemetry/api";
import { rpcSpan } from "./rpc-attributes.js";
import { recordError, recordStatusCode } from "./span-outcome.js";
import { tracerOf, type TelemetryOptions } from "./telemetry-options.js";
import { encodeTraceContext } from "./trace-context-codec.js";

/**
 * Starts a client span per invocation, a child of the active context, and sends its trace context and the active
 * baggage in the request field TraceContext (1), as IceRPC's telemetry interceptor. The invocation runs in the span's
 * context. Add it with `pipeline.use(telemetryInterceptor())`.
 */
export function telemetryInterceptor(options: TelemetryOptions = {}): Interceptor {
  const tracer = tracerOf(options);
  return (next) => ({
    async invoke(request, signal) {
      const { name, attributes } = rpcSpan(request.serviceAddress.path, request.operation);
      const parent = context.active();
      const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
      const spanContext = span.spanContext();
      // Without a tracer provider and without a parent there is no trace to continue.
      if (isSpanContextValid(spanContext)) {
        const baggage = propagation.getBaggage(parent)?.getAllEntries() ?? [];
        const entries = baggage.map(([key, entry]) => [key, entry.value] as const);
        request.fields.set(RequestFieldKey.TraceContext, (encoder) =>
          encodeTraceContext(encoder, { spanContext, baggage: entries }),
        );
      }
      try {
        const response = await context.with(trace.setSpan(parent, span), () => next.invoke(request, signal));
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
