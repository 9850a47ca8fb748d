/**
 * How long each case warms up and is measured: a full run measures for a fixed time, a smoke run only checks. The
 * measuring time of a case is cut into `rounds` periods, and each round measures every contender in turn, so that
 * a change in the machine's speed during the run (other work, frequency, a noisy neighbour) weighs on all of them
 * alike rather than on whichever was measured at that moment.
 */
export interface RunSettings {
  readonly mode: "full" | "smoke";
  readonly warmupMs: number;
  /** The measuring time of each case, all rounds together. */
  readonly durationMs: number;
  readonly rounds: number;
}

export const fullRun: RunSettings = { mode: "full", warmupMs: 1_000, durationMs: 4_000, rounds: 20 };
export const smokeRun: RunSettings = { mode: "smoke", warmupMs: 100, durationMs: 250, rounds: 1 };

/** The size of every request payload, echoed back in the response. */
export const payloadSize = 32;

/** How long a server process may take to start, and to exit once asked. */
export const serverStartTimeoutMs = 15_000;
export const serverStopTimeoutMs = 5_000;

/** Extra time a measurement may take past its duration (the calls in flight at the deadline) before it fails. */
export const measurementGraceMs = 15_000;
