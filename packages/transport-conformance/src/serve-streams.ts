import type { MultiplexedConnection, MultiplexedStream } from "@icerpc-ts/core/transport";

import { handledLater } from "./operation-outcomes.js";

/**
 * Accepts `count` streams on `connection`, starting `handle` on each as soon as it is accepted, and resolves once
 * every handler finished; rejects with the first failure.
 */
export async function serveStreams(
  connection: MultiplexedConnection,
  count: number,
  handle: (stream: MultiplexedStream) => Promise<void>,
): Promise<void> {
  const handlers: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    handlers.push(handledLater(handle(await connection.acceptStream())));
  }
  await Promise.all(handlers);
}
