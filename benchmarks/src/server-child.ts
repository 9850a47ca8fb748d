/** What a server process sends its parent once it listens. */
export interface ServerReadyMessage {
  readonly ready: string;
}

/**
 * Reports `address` to the benchmark that forked this process, and exits when the benchmark goes away (its IPC
 * channel closes), so that no server outlives a crashed benchmark.
 */
export function reportReady(address: string): void {
  if (process.send === undefined) {
    throw new Error("This server is started by the benchmark (pnpm bench), with an IPC channel to report its address.");
  }
  const message: ServerReadyMessage = { ready: address };
  process.send(message);
  process.once("disconnect", () => process.exit(0));
}
