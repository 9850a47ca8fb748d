import { randomBytes } from "node:crypto";
import type { Contender, EchoClient } from "./contender.js";
import { type Measurement, type Sample, sampleCalls, summarize } from "./measure.js";
import type { CaseOutcome } from "./results.js";
import { measurementGraceMs, payloadSize, type RunSettings } from "./settings.js";
import type { Workload } from "./workloads.js";

/** Each contender's outcome in each workload, in the order of `workloads`. */
export type Outcomes = ReadonlyMap<Contender, readonly CaseOutcome[]>;

/** A contender whose client is connected, with what it measured in the current workload. */
interface Running {
  readonly contender: Contender;
  readonly client: EchoClient;
  samples: Sample[];
  failure: string | undefined;
}

/**
 * Starts every contender's server and client, then measures the workloads one after the other: for each, every
 * contender warms up, then the rounds measure each contender in turn (see `RunSettings`). Stops them all at the end.
 * A contender that cannot run here is skipped; one that fails is reported as failed in that workload, and the run
 * goes on.
 */
export async function runContenders(
  contenders: readonly Contender[],
  workloads: readonly Workload[],
  settings: RunSettings,
  log: (line: string) => void,
): Promise<Outcomes> {
  const outcomes = new Map<Contender, CaseOutcome[]>();
  const running: Running[] = [];
  for (const contender of contenders) {
    const notRunning = (outcome: CaseOutcome): void => void outcomes.set(contender, workloads.map(() => outcome));
    try {
      const started = await contender.start();
      if ("unavailable" in started) {
        log(`${contender.label}: skipped, ${started.unavailable}`);
        notRunning({ status: "skipped", reason: started.unavailable });
      } else {
        running.push({ contender, client: started, samples: [], failure: undefined });
        outcomes.set(contender, []);
      }
    } catch (error) {
      log(`${contender.label}: failed to start: ${describe(error)}`);
      notRunning({ status: "failed", reason: `failed to start: ${describe(error)}` });
    }
  }
  const payload = new Uint8Array(randomBytes(payloadSize));
  try {
    for (const workload of workloads) {
      for (const entry of running) {
        entry.samples = [];
        entry.failure = undefined;
        await measureInto(entry, payload, workload, settings.warmupMs, "warm-up", () => {});
      }
      const roundMs = settings.durationMs / settings.rounds;
      for (let round = 0; round < settings.rounds; round++) {
        for (const entry of running) {
          await measureInto(entry, payload, workload, roundMs, "measurement", (sample) => entry.samples.push(sample));
        }
      }
      for (const entry of running) {
        const outcome: CaseOutcome =
          entry.failure === undefined
            ? { status: "measured", measurement: summarize(entry.samples) }
            : { status: "failed", reason: entry.failure };
        outcomes.get(entry.contender)!.push(outcome);
        log(`${entry.contender.label}, ${workload.id}: ${describeOutcome(outcome)}`);
      }
    }
  } finally {
    for (const { contender, client } of running) {
      await withDeadline(client.close(), 0, "close").catch((error: unknown) => {
        log(`${contender.label}: failed to close: ${describe(error)}`);
      });
    }
  }
  return outcomes;
}

/** Measures `entry` for `durationMs` unless it already failed in this workload; a failure is recorded, not thrown. */
async function measureInto(
  entry: Running,
  payload: Uint8Array,
  workload: Workload,
  durationMs: number,
  what: string,
  keep: (sample: Sample) => void,
): Promise<void> {
  if (entry.failure !== undefined) {
    return;
  }
  const call = (): Promise<void> => entry.client.call(payload);
  try {
    keep(await withDeadline(sampleCalls(call, workload.callers, durationMs), durationMs, what));
  } catch (error) {
    entry.failure = `${what}: ${describe(error)}`;
  }
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

function describeOutcome(outcome: CaseOutcome): string {
  return outcome.status === "measured" ? describeMeasurement(outcome.measurement) : `${outcome.status}: ${outcome.reason}`;
}

function describeMeasurement({ callsPerSecond, p50Ms, p99Ms, calls }: Measurement): string {
  return `${Math.round(callsPerSecond).toLocaleString("en-US")} calls/s, p50 ${p50Ms.toFixed(3)} ms, p99 ${p99Ms.toFixed(3)} ms (${calls.toLocaleString("en-US")} calls)`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
