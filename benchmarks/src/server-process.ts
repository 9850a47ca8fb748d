import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { serverStartTimeoutMs, serverStopTimeoutMs } from "./settings.js";
import type { ServerReadyMessage } from "./server-child.js";

/** A benchmark server running in a child process of the benchmark. */
export interface ServerProcess {
  /** The address the server listens on, as the server reported it. */
  readonly address: string;
  /** Stops the server process: SIGTERM, then SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

/**
 * Forks the server script `script` (a URL next to this file) with `args` and resolves once it reports its address.
 * Rejects, and kills the process, if it exits or says nothing within the start timeout.
 */
export async function startServerProcess(script: URL, args: readonly string[]): Promise<ServerProcess> {
  const child = fork(fileURLToPath(script), args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const name = `${fileURLToPath(script)} ${args.join(" ")}`.trim();
  // A crash of the benchmark must not leave servers behind; each child also exits when its IPC channel closes.
  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);
  try {
    const address = await waitForReady(child, name);
    return {
      address,
      stop: async () => {
        await stopChild(child);
        process.off("exit", killOnExit);
      },
    };
  } catch (error) {
    await stopChild(child);
    process.off("exit", killOnExit);
    throw error;
  }
}

function waitForReady(child: ChildProcess, name: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`The server process '${name}' did not report its address within ${serverStartTimeoutMs} ms.`));
    }, serverStartTimeoutMs);
    const onMessage = (message: unknown): void => {
      const address = (message as Partial<ServerReadyMessage> | null)?.ready;
      if (typeof address === "string") {
        finish();
        resolve(address);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      finish();
      reject(new Error(`The server process '${name}' exited (${signal ?? `code ${code}`}) before reporting its address.`));
    };
    const onError = (error: Error): void => {
      finish();
      reject(new Error(`Cannot start the server process '${name}': ${error.message}`, { cause: error }));
    };
    const finish = (): void => {
      clearTimeout(timer);
      child.off("message", onMessage).off("exit", onExit).off("error", onError);
    };
    child.on("message", onMessage).once("exit", onExit).once("error", onError);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), serverStopTimeoutMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
