import { trace, type Tracer } from "@opentelemetry/api";

export interface TelemetryOptions {
  /** The tracer that starts the spans; by default the global tracer provider's tracer named `IceRpc`. */
  readonly tracer?: Tracer;
}

export function tracerOf(options: TelemetryOptions): Tracer {
  return options.tracer ?? trace.getTracer("IceRpc");
}
