import { mkdir, writeFile } from "node:fs/promises";
import { arch, cpus, loadavg, platform } from "node:os";
import { fileURLToPath } from "node:url";
import type { LongPathResult } from "./long-path.js";
import type { WorkloadResult } from "./results.js";
import { payloadSize, type RunSettings } from "./settings.js";

/** Writes the results of a run to benchmarks/results/ (latest.json for a full run, smoke.json for a smoke run). */
export async function writeResultsFile(
  settings: RunSettings,
  loadAverageAtStart: number,
  stealPercent: number | undefined,
  results: readonly WorkloadResult[],
  longPath: readonly LongPathResult[] | undefined,
): Promise<string> {
  const directory = new URL("../results/", import.meta.url);
  await mkdir(directory, { recursive: true });
  const file = new URL(settings.mode === "full" ? "latest.json" : "smoke.json", directory);
  const document = {
    date: new Date().toISOString(),
    mode: settings.mode,
    machine: { node: process.version, platform: `${platform()} ${arch()}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown" },
    // Other work on the machine skews every figure: a 1-minute load average near the CPU count means a busy machine.
    loadAverage: { atStart: loadAverageAtStart, atEnd: loadavg()[0] },
    // The share of CPU time the hypervisor gave to other machines during the run (see cpu-steal.ts).
    hypervisorStealPercent: stealPercent ?? null,
    settings: { warmupMs: settings.warmupMs, durationMs: settings.durationMs, rounds: settings.rounds, payloadBytes: payloadSize },
    workloads: results.map(({ workload, rows, targets }) => ({
      id: workload.id,
      title: workload.title,
      callers: workload.callers,
      results: rows.map(({ contender, server, outcome, timesGrpcJs, percentOfRaw }) =>
        outcome.status === "measured"
          ? { contender, server, status: outcome.status, ...outcome.measurement, timesGrpcJs, percentOfRaw }
          : { contender, server, status: outcome.status, reason: outcome.reason },
      ),
      targets,
    })),
    longPath: longPath ?? null,
  };
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  return fileURLToPath(file);
}
