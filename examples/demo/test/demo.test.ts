import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, test } from "@jest/globals";

const run = promisify(execFile);
const main = new URL("../dist/main.js", import.meta.url).pathname;

/** Runs the built demo as `pnpm demo` does, with `env` added to a clean demo environment. */
async function demo(env: Record<string, string>, ...args: string[]): Promise<string> {
  const { ICERPC_DEMO_ADDRESS, ICERPC_DEMO_LOG, ICERPC_DEMO_TRACE, ICERPC_DEMO_METRICS, ...inherited } = process.env;
  const { stdout } = await run(process.execPath, [main, ...args], { env: { ...inherited, ...env }, timeout: 60_000 });
  return stdout;
}

describe("the demo", () => {
  test("by default greets three times over memory and prints nothing else", async () => {
    const output = await demo({});
    expect(output.trim().split("\n")).toEqual([
      "server listening on icerpc://demo:4062?transport=memory",
      "client connected from client-1:0 to demo:4062",
      'greet("World") -> "Hello, World!"',
      'greet("icerpc") -> "Hello, icerpc!"',
      'greet("TypeScript") -> "Hello, TypeScript!"',
      "client connection shut down gracefully",
      "server shut down",
    ]);
  });

  test("ICERPC_DEMO_LOG, ICERPC_DEMO_TRACE and ICERPC_DEMO_METRICS turn on logs, spans and metrics", async () => {
    const output = await demo(
      { ICERPC_DEMO_LOG: "1", ICERPC_DEMO_TRACE: "1", ICERPC_DEMO_METRICS: "1" },
      "icerpc://127.0.0.1:0?transport=tcp-yamux",
    );
    expect(output).toContain('greet("TypeScript") -> "Hello, TypeScript!"');
    // One log line per invocation and per dispatch.
    expect(output.match(/Sent request greet to icerpc:\/\/127\.0\.0\.1:\d+\/VisitorCenter\.Greeter/g)).toHaveLength(3);
    expect(output.match(/Dispatch of greet to \/VisitorCenter\.Greeter returned a response with status code Ok/g)).toHaveLength(3);
    // A client span and a server span per greet, the server's continuing the client's trace.
    expect(output.match(/name: '\/VisitorCenter\.Greeter\/greet'/g)).toHaveLength(6);
    const traceIds = [...output.matchAll(/^ {2}traceId: '([0-9a-f]{32})'/gm)].map((match) => match[1]);
    expect(traceIds).toHaveLength(6);
    expect(new Set(traceIds).size).toBe(3);
    for (const line of [
      "metric IceRpc.Invocation total-requests = 3",
      "metric IceRpc.Dispatch total-requests = 3",
      "metric IceRpc.Client total-connections = 1",
      "metric IceRpc.Server total-connections = 1",
      "metric IceRpc.Server active-connections = 0",
    ]) {
      expect(output).toContain(line);
    }
  });

  test("a switch that is neither 1 nor 0 fails with a message naming it", async () => {
    await expect(demo({ ICERPC_DEMO_LOG: "yes" })).rejects.toMatchObject({
      stderr: expect.stringContaining("ICERPC_DEMO_LOG must be 1 (on) or 0 (off), not 'yes'."),
    });
  });
});
