import { performance } from "node:perf_hooks";

export interface Measurement {
  readonly calls: number;
  readonly seconds: number;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** The calls of one measuring period: each call's latency in milliseconds, and how long the period lasted. */
export interface Sample {
  readonly latenciesMs: readonly number[];
  readonly seconds: number;
}

/**
 * Runs `callers` loops, each awaiting one `call` at a time, until `durationMs` has passed; the calls in flight at
 * the deadline complete and count. The first failure stops every loop and rejects.
 */
export async function sampleCalls(call: () => Promise<void>, callers: number, durationMs: number): Promise<Sample> {
  const latenciesMs: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  let failed = false;
  const loop = async (): Promise<void> => {
    while (!failed && performance.now() < deadline) {
      const callStart = performance.now();
      try {
        await call();
      } catch (error) {
        failed = true;
        throw error;
      }
      latenciesMs.push(performance.now() - callStart);
    }
  };
  await Promise.all(Array.from({ length: callers }, loop));
  return { latenciesMs, seconds: (performance.now() - start) / 1000 };
}

/** One measurement from the samples of several periods: their calls and time added up, their latencies pooled. */
export function summarize(samples: readonly Sample[]): Measurement {
  const latencies = samples.flatMap((sample) => sample.latenciesMs).sort((a, b) => a - b);
  const seconds = samples.reduce((sum, sample) => sum + sample.seconds, 0);
  return {
    calls: latencies.length,
    seconds,
    callsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

/** The nearest-rank percentile of ascending `sorted`; NaN when empty. */
function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}
