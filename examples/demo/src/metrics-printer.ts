import { MetricReader } from "@opentelemetry/sdk-metrics";

/**
 * Prints each instrument's value as one line `meter instrument = value` when asked: the demo ends well before any
 * export interval, and the console exporter's output would not say which meter (invocation or dispatch, client or
 * server) a counter belongs to.
 */
export class MetricsPrinter extends MetricReader {
  async print(): Promise<void> {
    const { resourceMetrics } = await this.collect();
    for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
      for (const { descriptor, dataPoints } of metrics) {
        const value = dataPoints.reduce((sum, point) => sum + (typeof point.value === "number" ? point.value : 0), 0);
        console.log(`metric ${scope.name} ${descriptor.name} = ${value}`);
      }
    }
  }

  protected async onShutdown(): Promise<void> {}

  protected async onForceFlush(): Promise<void> {}
}
