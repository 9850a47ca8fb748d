import { randomBytes } from "node:crypto";
import type { Contender, EchoClient } from "./contender.js";
import { measureCalls, type Measurement } from "./measure.js";
import type { CaseOutcome } from "./results.js";
import { measurementGraceMs, payloadSize, type RunSettings } from "./settings.js";
import type { Workload } from "./workloads.js";

/** The outcome of every workload for one contender, in the order of `workloads`. */
export type ContenderOutcomes = ReadonlyArray<{ readonly workload: Workload; readonly outcome: CaseOutcome }>;

/**
 * Starts `contender`'s server and client once, then warms up and measures each workload in turn, and stops them.
 * A contender that cannot run here is skipped; one that fails is reported as failed, and the run goes on.
 */
export async function runContender(
  contender: Contender,
  workloads: readonly Workload[],
  settings: RunSettings,
  log: (line: string) => void,
): Promise<ContenderOutcomes> {
  const all = (outcome: CaseOutcome): ContenderOutcomes => workloads.map((workload) => ({ workload, outcome }));
  let client: EchoClient;
  try {
    const started = await contender.start();
    if ("unavailable" in started) {
      log(`${contender.label}: skipped, ${started.unavailable}`);
      return all({ status: "skipped", reason: started.unavailable });
    }
    client = started;
  } catch (error) {
    log(`${contender.label}: failed to start: ${describe(error)}`);
    return all({ status: "failed", reason: `failed to start: ${describe(error)}` });
  }
  const payload = new Uint8Array(randomBytes(payloadSize));
  const call = (): Promise<void> => client.call(payload);
  const outcomes: Array<{ workload: Workload; outcome: CaseOutcome }> = [];
  try {
    for (const workload of workloads) {
      let outcome: CaseOutcome;
      try {
        await withDeadline(measureCalls(call, workload.callers, settings.warmupMs), settings.warmupMs, "warm-up");
        const measurement = await withDeadline(measureCalls(call, workload.callers, settings.durationMs), settings.durationMs, "measurement");
        outcome = { status: "measured", measurement };
        log(`${contender.label}, ${workload.id}: ${describeMeasurement(measurement)}`);
      } catch (error) {
        outcome = { status: "failed", reason: describe(error) };
        log(`${contender.label}, ${workload.id}: failed: ${describe(error)}`);
      }
      outcomes.push({ workload, outcome });
    }
  } finally {
    await withDeadline(client.close(), 0, "close").catch((error: unknown) => {
      log(`${contender.label}: failed to close: ${describe(error)}`);
    });
  }
  return outcomes;
}

/** Rejects when `promise` takes longer than `durationMs` plus the grace period: a call or a close is stuck. */
async function withDeadline<T>(promise: Promise<T>, durationMs: number, what: string): Promise<T> {
  const limitMs = durationMs + measurementGraceMs;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the ${what} did not finish within ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function describeMeasurement({ callsPerSecond, p50Ms, p99Ms, calls }: Measurement): string {
  return `${Math.round(callsPerSecond).toLocaleString("en-US")} calls/s, p50 ${p50Ms.toFixed(3)} ms, p99 ${p99Ms.toFixed(3)} ms (${calls.toLocaleString("en-US")} calls)`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
