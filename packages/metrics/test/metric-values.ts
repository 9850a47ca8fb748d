import type { MeterProvider } from "@opentelemetry/api";
import { MeterProvider as SdkMeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";

/** A reader that collects only when a test asks: no timer, no exporter. */
class OnDemandReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

/** A meter provider of its own per test, and the current value of each of its instruments, by meter. */
export class MetricValues {
  readonly #reader = new OnDemandReader();
  readonly meterProvider: MeterProvider = new SdkMeterProvider({ readers: [this.#reader] });

  /** The value of every instrument of the meter named `meterName` (sums: counters and up-down counters). */
  async of(meterName: string): Promise<Record<string, number>> {
    const { resourceMetrics, errors } = await this.#reader.collect();
    if (errors.length > 0) {
      throw new AggregateError(errors, "Collecting the metrics failed.");
    }
    const values: Record<string, number> = {};
    for (const scope of resourceMetrics.scopeMetrics.filter((scope) => scope.scope.name === meterName)) {
      for (const metric of scope.metrics) {
        values[metric.descriptor.name] = metric.dataPoints.reduce((sum, point) => sum + (point.value as number), 0);
      }
    }
    return values;
  }
}
