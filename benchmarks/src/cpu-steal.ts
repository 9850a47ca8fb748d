import { readFileSync } from "node:fs";

/** The machine's CPU time counters (Linux `/proc/stat`, in clock ticks), or undefined where there are none. */
export interface CpuTimes {
  readonly total: number;
  readonly steal: number;
}

export function readCpuTimes(): CpuTimes | undefined {
  let line: string | undefined;
  try {
    line = readFileSync("/proc/stat", "latin1").split("\n", 1)[0];
  } catch {
    return undefined;
  }
  // "cpu user nice system idle iowait irq softirq steal guest guest_nice": guest time is counted in user already.
  const fields = line?.split(/\s+/).slice(1, 9).map(Number) ?? [];
  if (fields.length < 8 || fields.some(Number.isNaN)) {
    return undefined;
  }
  return { total: fields.reduce((sum, value) => sum + value, 0), steal: fields[7]! };
}

/**
 * The share of CPU time the hypervisor gave to other machines between two readings, in percent. On a virtual
 * machine this is what the load average does not show: the host running other work makes every figure lower and
 * noisier, the contenders that spend more CPU per call the most.
 */
export function stealPercent(before: CpuTimes | undefined, after: CpuTimes | undefined): number | undefined {
  if (before === undefined || after === undefined || after.total <= before.total) {
    return undefined;
  }
  return ((after.steal - before.steal) / (after.total - before.total)) * 100;
}
