import { IceRpcError } from "@icerpc-ts/core";

import type { LocalAndRemoteStreams } from "./client-server-connection.js";
import { expectIceRpcError } from "./operation-outcomes.js";
import { readAll } from "./read-all.js";

/**
 * How a test finishes a stream, standing for the C# tests' `Complete()` and `Complete(exception)`: gracefully, or by
 * aborting the accepted end.
 */
export type Completion = "graceful" | "abort";

export const completions: readonly Completion[] = ["graceful", "abort"];

/**
 * Finishes every direction of a stream, after which it no longer occupies a slot of the accepting connection.
 * - graceful: each writer ends its output and each reader reads to the end;
 * - abort: the accepted end aborts its input (which closes the creator's writes) and its output, and the creator
 *   reads the reset.
 */
export async function completeStream(
  { local, remote }: LocalAndRemoteStreams,
  completion: Completion,
): Promise<void> {
  if (completion === "graceful") {
    await local.output.end();
    await readAll(remote.input);
    if (remote.isBidirectional) {
      await remote.output.end();
      await readAll(local.input);
    }
  } else {
    remote.input.abort();
    if (remote.isBidirectional) {
      remote.output.abort();
      await expectIceRpcError(local.input.read(), IceRpcError.TruncatedData);
    }
  }
}
