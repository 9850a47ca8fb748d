import type { ContenderRow, TargetCheck, WorkloadResult } from "./results.js";
import type { Target } from "./targets.js";

/** The tables of a run, one per workload, as printed lines. */
export function formatReport(results: readonly WorkloadResult[]): string[] {
  return results.flatMap((result) => ["", `== ${result.workload.title} ==`, ...formatTable(result.rows), ...formatTargets(result.targets)]);
}

const columns = ["contender", "server", "calls/s", "p50 ms", "p99 ms", "vs grpc-js", "% of raw"] as const;

function formatTable(rows: readonly ContenderRow[]): string[] {
  const cells = rows.map((row): string[] => {
    const head = [row.contender, row.server];
    if (row.outcome.status !== "measured") {
      return [...head, `${row.outcome.status}: ${row.outcome.reason}`];
    }
    const { callsPerSecond, p50Ms, p99Ms } = row.outcome.measurement;
    return [
      ...head,
      Math.round(callsPerSecond).toLocaleString("en-US"),
      p50Ms.toFixed(3),
      p99Ms.toFixed(3),
      formatMetric("timesGrpcJs", row.timesGrpcJs),
      formatMetric("percentOfRaw", row.percentOfRaw),
    ];
  });
  // A skipped or failed row's reason spans the numeric columns, so it does not widen them.
  const widths = columns.map((title, i) =>
    Math.max(title.length, ...cells.filter((row) => i < 2 || row.length === columns.length).map((row) => row[i]!.length)),
  );
  const line = (row: readonly string[]): string =>
    row.map((cell, i) => (i < 2 || row.length < columns.length ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
}

function formatTargets(checks: readonly TargetCheck[]): string[] {
  if (checks.length === 0) {
    return [];
  }
  return [
    "targets:",
    ...checks.map(({ contender, target, metric, value, met }) => {
      const verdict = met === undefined ? "NOT MEASURED" : met ? "MET" : "NOT MET";
      return `  ${contender}: ${target}: ${formatMetric(metric, value)}  ${verdict}`;
    }),
  ];
}

function formatMetric(metric: Target["metric"], value: number | undefined): string {
  if (value === undefined) {
    return "-";
  }
  return metric === "timesGrpcJs" ? `${value.toFixed(2)}x` : `${value.toFixed(1)}%`;
}
