import { metrics, type Meter, type MeterProvider } from "@opentelemetry/api";

export interface MetricsOptions {
  /** The provider of the meter, named as IceRPC names it; by default the global meter provider. */
  readonly meterProvider?: MeterProvider;
}

export function meterOf(options: MetricsOptions, name: string): Meter {
  return (options.meterProvider ?? metrics.getMeterProvider()).getMeter(name);
}
