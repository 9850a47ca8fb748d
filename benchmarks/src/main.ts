// `pnpm bench` (full run) and `pnpm bench:smoke` (every case for a fraction of a second, to check that they run).
// `--only=TEXT` runs the contenders whose label contains TEXT, e.g. for profiling one of them.
import { cpus, loadavg } from "node:os";
import type { Contender } from "./contender.js";
import { readCpuTimes, stealPercent } from "./cpu-steal.js";
import { grpcJs } from "./contenders/grpc.js";
import { icerpcContender } from "./contenders/icerpc.js";
import { icerpcTransports } from "./contenders/icerpc-transports.js";
import { rawSocket } from "./contenders/raw-socket.js";
import { formatReport } from "./report.js";
import { summarizeWorkload } from "./results.js";
import { writeResultsFile } from "./results-file.js";
import { runContenders } from "./runner.js";
import { formatLongPath, fullLongPath, runLongPath, smokeLongPath } from "./long-path.js";
import { fullRun, payloadSize, smokeRun } from "./settings.js";
import { workloads } from "./workloads.js";

const settings = process.argv.includes("--smoke") ? smokeRun : fullRun;
const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length);

const contenders: Contender[] = [rawSocket, grpcJs, ...icerpcTransports.map(icerpcContender)].filter(
  (contender) => only === undefined || contender.label.includes(only),
);
if (contenders.length === 0) {
  throw new Error(`No contender's label contains '${only}'.`);
}

const loadAverageAtStart = loadavg()[0]!;
const cpuTimesAtStart = readCpuTimes();
console.log(
  `icerpc-ts benchmarks (${settings.mode} run): ${settings.warmupMs} ms warm-up then ${settings.durationMs} ms per case ` +
    `in ${settings.rounds} rounds that take the contenders in turn, ${payloadSize}-byte echo calls, Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}), ` +
    `load average ${loadAverageAtStart.toFixed(2)}.`,
);
console.log("Every client runs in this process, over loopback; the 'server' column says where its server runs.");

const outcomes = await runContenders(contenders, workloads, settings, (line) => console.log(`  ${line}`));

const results = workloads.map((workload, index) =>
  summarizeWorkload(
    workload,
    contenders.map((contender) => ({ contender, outcome: outcomes.get(contender)![index]! })),
  ),
);
for (const line of formatReport(results)) {
  console.log(line);
}
const sameProcess = contenders.filter((contender) => contender.serverPlacement === "same process").map((c) => c.label);
if (sameProcess.length > 0) {
  console.log(
    `\nNote: ${sameProcess.join(", ")} is in-process only: its server shares the benchmark's process (and CPU) with ` +
      "the client, while the other servers run in separate processes; compare it with care.",
  );
}
// The long-path transfers are not echo calls: `--only`, which picks call contenders, leaves them out.
const longPathSettings = settings.mode === "full" ? fullLongPath : smokeLongPath;
const longPath = only === undefined ? await runLongPath(longPathSettings) : undefined;
if (longPath !== undefined) {
  for (const line of formatLongPath(longPathSettings, longPath)) {
    console.log(line);
  }
}
const steal = stealPercent(cpuTimesAtStart, readCpuTimes());
if (steal !== undefined) {
  console.log(
    `\nHypervisor steal during the run: ${steal.toFixed(1)}% of the CPU time` +
      (steal >= 5 ? " (a busy host: every figure is lower and noisier, the ratios to raw too)." : "."),
  );
}
console.log(`\nResults written to ${await writeResultsFile(settings, loadAverageAtStart, steal, results, longPath)}`);

if (results.some(({ rows }) => rows.some((row) => row.outcome.status === "failed"))) {
  console.error("Some cases failed: see above.");
  process.exitCode = 1;
}
