import { StatusCode } from "@icerpc-ts/core";
import type { Counter, Meter, UpDownCounter } from "@opentelemetry/api";

/** IceRPC's request instruments, the same for invocations and dispatches, each on its own meter. */
export class RequestMetrics {
  readonly #canceled: Counter;
  readonly #current: UpDownCounter;
  readonly #failed: Counter;
  readonly #total: Counter;

  constructor(meter: Meter) {
    this.#canceled = meter.createCounter("canceled-requests", { unit: "Requests", description: "Canceled Requests" });
    this.#current = meter.createUpDownCounter("current-requests", { unit: "Requests", description: "Current Requests" });
    this.#failed = meter.createCounter("failed-requests", { unit: "Requests", description: "Failed Requests" });
    this.#total = meter.createCounter("total-requests", { unit: "Requests", description: "Total Requests" });
  }

  /**
   * Counts `run`: a response other than Ok is a failure, so is an error, unless `wasCanceled` says the caller
   * canceled the request, which IceRPC counts apart.
   */
  async measure<T extends { readonly statusCode: StatusCode | number }>(
    run: () => Promise<T> | T,
    wasCanceled: () => boolean,
  ): Promise<T> {
    this.#current.add(1);
    this.#total.add(1);
    try {
      const response = await run();
      if (response.statusCode !== StatusCode.Ok) {
        this.#failed.add(1);
      }
      return response;
    } catch (error) {
      (wasCanceled() ? this.#canceled : this.#failed).add(1);
      throw error;
    } finally {
      this.#current.add(-1);
    }
  }
}
