import type { ConnectionObserver, Interceptor, Middleware } from "@icerpc-ts/core";
import { loggerInterceptor, loggerMiddleware } from "@icerpc-ts/logger";
import { clientConnectionMetrics, metricsInterceptor, metricsMiddleware, serverConnectionMetrics } from "@icerpc-ts/metrics";
import { telemetryInterceptor, telemetryMiddleware } from "@icerpc-ts/telemetry";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { DemoConfig } from "./config.js";
import { MetricsPrinter } from "./metrics-printer.js";

/** The interceptors, middleware and connection observers the configuration turns on, and how to flush their output. */
export interface Observability {
  readonly interceptors: Interceptor[];
  readonly middleware: Middleware[];
  readonly clientConnectionObserver?: ConnectionObserver;
  readonly serverConnectionObserver?: ConnectionObserver;
  /** Prints what is still buffered (the metrics) and stops the providers. */
  shutdown(): Promise<void>;
}

export function observability(config: DemoConfig): Observability {
  const interceptors: Interceptor[] = [];
  const middleware: Middleware[] = [];
  const stops: (() => Promise<void>)[] = [];
  let clientConnectionObserver: ConnectionObserver | undefined;
  let serverConnectionObserver: ConnectionObserver | undefined;
  if (config.trace) {
    // The server continues the client's trace only if the active span follows the awaits in between.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] });
    trace.setGlobalTracerProvider(provider);
    interceptors.push(telemetryInterceptor());
    middleware.push(telemetryMiddleware());
    stops.push(() => provider.shutdown());
  }
  if (config.log) {
    interceptors.push(loggerInterceptor(console));
    middleware.push(loggerMiddleware(console));
  }
  if (config.metrics) {
    const printer = new MetricsPrinter();
    const meterProvider = new MeterProvider({ readers: [printer] });
    interceptors.push(metricsInterceptor({ meterProvider }));
    middleware.push(metricsMiddleware({ meterProvider }));
    clientConnectionObserver = clientConnectionMetrics({ meterProvider });
    serverConnectionObserver = serverConnectionMetrics({ meterProvider });
    stops.push(async () => {
      await printer.print();
      await meterProvider.shutdown();
    });
  }
  return {
    interceptors,
    middleware,
    ...(clientConnectionObserver === undefined ? {} : { clientConnectionObserver }),
    ...(serverConnectionObserver === undefined ? {} : { serverConnectionObserver }),
    async shutdown() {
      for (const stop of stops) {
        await stop();
      }
    },
  };
}
