import { readFileSync } from "node:fs";

/**
 * The server address the demo uses: the first command-line argument, else `ICERPC_DEMO_ADDRESS`, else the
 * `serverAddress` of demo.config.json. Changing it is all it takes to run the demo over another transport.
 */
export function demoServerAddress(): string {
  const fromArgs = process.argv[2];
  if (fromArgs !== undefined && fromArgs !== "") {
    return fromArgs;
  }
  const fromEnv = process.env.ICERPC_DEMO_ADDRESS;
  if (fromEnv !== undefined && fromEnv !== "") {
    return fromEnv;
  }
  const config = JSON.parse(readFileSync(new URL("../demo.config.json", import.meta.url), "utf8")) as { serverAddress?: unknown };
  if (typeof config.serverAddress !== "string") {
    throw new Error("demo.config.json must have a string 'serverAddress', e.g. icerpc://demo?transport=memory.");
  }
  return config.serverAddress;
}
