import type { Workload } from "./workloads.js";

/** A goal the project set for icerpc-ts, checked against each icerpc contender's row of a workload. */
export interface Target {
  readonly workload: Workload["id"];
  readonly label: string;
  readonly metric: "timesGrpcJs" | "percentOfRaw";
  readonly atLeast: number;
}

export const targets: readonly Target[] = [
  { workload: "sequential", label: "at least 5x grpc-js", metric: "timesGrpcJs", atLeast: 5 },
  { workload: "sequential", label: "at least 40% of the raw socket", metric: "percentOfRaw", atLeast: 40 },
];
