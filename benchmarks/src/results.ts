import type { Contender, ServerPlacement } from "./contender.js";
import type { Measurement } from "./measure.js";
import { targets, type Target } from "./targets.js";
import type { Workload } from "./workloads.js";

/** What happened to one contender in one workload. */
export type CaseOutcome =
  | { readonly status: "measured"; readonly measurement: Measurement }
  | { readonly status: "skipped" | "failed"; readonly reason: string };

export interface ContenderRow {
  readonly contender: string;
  readonly kind: Contender["kind"];
  readonly server: ServerPlacement;
  readonly outcome: CaseOutcome;
  /** calls/s divided by grpc-js's calls/s in the same workload; undefined when either was not measured. */
  readonly timesGrpcJs: number | undefined;
  /** calls/s as a percentage of the raw socket's calls/s in the same workload. */
  readonly percentOfRaw: number | undefined;
}

export interface TargetCheck {
  readonly contender: string;
  readonly target: string;
  readonly metric: Target["metric"];
  readonly value: number | undefined;
  /** Undefined when the contender or its baseline was not measured. */
  readonly met: boolean | undefined;
}

export interface WorkloadResult {
  readonly workload: Workload;
  readonly rows: readonly ContenderRow[];
  readonly targets: readonly TargetCheck[];
}

/** Adds to each contender's outcome its ratios to the baselines, and checks the targets of the workload. */
export function summarizeWorkload(
  workload: Workload,
  outcomes: ReadonlyArray<{ readonly contender: Contender; readonly outcome: CaseOutcome }>,
): WorkloadResult {
  const callsPerSecond = (kind: Contender["kind"]): number | undefined => {
    const found = outcomes.find(({ contender }) => contender.kind === kind)?.outcome;
    return found?.status === "measured" ? found.measurement.callsPerSecond : undefined;
  };
  const grpc = callsPerSecond("grpc");
  const raw = callsPerSecond("raw");
  const rows = outcomes.map(({ contender, outcome }): ContenderRow => {
    const own = outcome.status === "measured" ? outcome.measurement.callsPerSecond : undefined;
    return {
      contender: contender.label,
      kind: contender.kind,
      server: contender.serverPlacement,
      outcome,
      timesGrpcJs: own !== undefined && grpc !== undefined ? own / grpc : undefined,
      percentOfRaw: own !== undefined && raw !== undefined ? (100 * own) / raw : undefined,
    };
  });
  const checks = targets
    .filter((target) => target.workload === workload.id)
    .flatMap((target) =>
      rows
        .filter((row) => row.kind === "icerpc" && row.outcome.status !== "skipped")
        .map((row): TargetCheck => {
          const value = row[target.metric];
          return { contender: row.contender, target: target.label, metric: target.metric, value, met: value === undefined ? undefined : value >= target.atLeast };
        }),
    );
  return { workload, rows, targets: checks };
}
