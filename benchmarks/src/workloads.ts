import { payloadSize } from "./settings.js";

/** A workload: `callers` loops, each making one echo call at a time, for the run's duration. */
export interface Workload {
  readonly id: "sequential" | "concurrent";
  readonly title: string;
  readonly callers: number;
}

export const workloads: readonly Workload[] = [
  { id: "sequential", title: `Sequential ${payloadSize}-byte two-way calls (one in flight)`, callers: 1 },
  { id: "concurrent", title: `100 concurrent callers, each sequential, ${payloadSize}-byte two-way calls`, callers: 100 },
];
