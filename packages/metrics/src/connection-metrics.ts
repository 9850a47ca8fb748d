import type { ConnectionObserver } from "@icerpc-ts/core";
import { meterOf, type MetricsOptions } from "./metrics-options.js";

/**
 * The connection counters IceRPC's core publishes on the meter `IceRpc.Client`, as the `connectionObserver` of a
 * `ClientConnection` or a `ConnectionCache` (one observer may serve several).
 */
export function clientConnectionMetrics(options: MetricsOptions = {}): ConnectionObserver {
  return connectionMetrics(options, "IceRpc.Client");
}

/** The connection counters IceRPC's core publishes on the meter `IceRpc.Server`, as a `Server`'s `connectionObserver`. */
export function serverConnectionMetrics(options: MetricsOptions = {}): ConnectionObserver {
  return connectionMetrics(options, "IceRpc.Server");
}

/**
 * `pending-connections` are connecting, `active-connections` connected and not closed yet; `total-connections`
 * counts every connection that started connecting, `total-failed-connections` those that failed to connect or closed
 * other than by a graceful shutdown.
 */
function connectionMetrics(options: MetricsOptions, meterName: string): ConnectionObserver {
  const meter = meterOf(options, meterName);
  const active = meter.createUpDownCounter("active-connections", { unit: "Connections", description: "Active Connections" });
  const pending = meter.createUpDownCounter("pending-connections", { unit: "Connections", description: "Pending Connections" });
  const total = meter.createCounter("total-connections", { unit: "Connections", description: "Total Connections" });
  const failed = meter.createCounter("total-failed-connections", {
    unit: "Connections",
    description: "Total Failed Connections",
  });
  return {
    connectStarted() {
      total.add(1);
      pending.add(1);
    },
    connected() {
      pending.add(-1);
      active.add(1);
    },
    connectFailed() {
      pending.add(-1);
      failed.add(1);
    },
    closed(error) {
      active.add(-1);
      if (error !== undefined) {
        failed.add(1);
      }
    },
  };
}
