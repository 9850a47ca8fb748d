import { readFileSync } from "node:fs";

/** What the demo runs over and what it reports besides its own lines. */
export interface DemoConfig {
  readonly serverAddress: string;
  /** One log line per invocation and dispatch, printed by `console`. */
  readonly log: boolean;
  /** An OpenTelemetry span per invocation and dispatch, one trace, printed by a console exporter. */
  readonly trace: boolean;
  /** IceRPC's request and connection metrics, printed by a console exporter when the demo ends. */
  readonly metrics: boolean;
}

/**
 * The demo's configuration: demo.config.json, overridden by the environment (`ICERPC_DEMO_ADDRESS`,
 * `ICERPC_DEMO_LOG`, `ICERPC_DEMO_TRACE`, `ICERPC_DEMO_METRICS`, each switch `1` or `0`), the server address
 * overridden again by the first command-line argument. Changing the address is all it takes to run the demo over
 * another transport.
 */
export function demoConfig(): DemoConfig {
  const file = JSON.parse(readFileSync(new URL("../demo.config.json", import.meta.url), "utf8")) as Record<string, unknown>;
  const serverAddress = nonEmpty(process.argv[2]) ?? nonEmpty(process.env.ICERPC_DEMO_ADDRESS) ?? file.serverAddress;
  if (typeof serverAddress !== "string") {
    throw new Error("demo.config.json must have a string 'serverAddress', e.g. icerpc://demo?transport=memory.");
  }
  return {
    serverAddress,
    log: switchOf("log", file, "ICERPC_DEMO_LOG"),
    trace: switchOf("trace", file, "ICERPC_DEMO_TRACE"),
    metrics: switchOf("metrics", file, "ICERPC_DEMO_METRICS"),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function switchOf(key: string, file: Record<string, unknown>, variable: string): boolean {
  const fromEnv = nonEmpty(process.env[variable]);
  if (fromEnv !== undefined) {
    if (fromEnv !== "1" && fromEnv !== "0") {
      throw new Error(`${variable} must be 1 (on) or 0 (off), not '${fromEnv}'.`);
    }
    return fromEnv === "1";
  }
  const fromFile = file[key] ?? false;
  if (typeof fromFile !== "boolean") {
    throw new Error(`demo.config.json's '${key}' must be true or false.`);
  }
  return fromFile;
}
