import type { ProtocolConnection } from "./protocol-connection.js";

/**
 * The connections that an owner (ClientConnection, ConnectionCache, Server) no longer uses, while they close: each is
 * shut down gracefully once connected, within its own shutdown timeout (see TimedProtocolConnection), then disposed.
 * The owner's shutdown waits for them; its dispose disposes those still closing.
 */
export class DetachedConnections {
  readonly #closing = new Map<ProtocolConnection, Promise<void>>();

  /** How many connections are closing. */
  get size(): number {
    return this.#closing.size;
  }

  /**
   * Closes `connection`: shuts it down once `connected` resolves, or disposes it if `connected` rejects. The promise
   * rejects when the graceful shutdown failed (e.g. its timeout expired); the connection is disposed either way. A
   * connection already closing keeps its first close.
   */
  close(connection: ProtocolConnection, connected: Promise<unknown>): Promise<void> {
    let closing = this.#closing.get(connection);
    if (closing === undefined) {
      closing = connected.then(
        () => shutdownThenDispose(connection),
        () => connection.dispose(),
      );
      const forget = (): void => void this.#closing.delete(connection);
      // Also what keeps a failure nobody waits for (a close in the background) from being an unhandled rejection.
      closing.then(forget, forget);
      this.#closing.set(connection, closing);
    }
    return closing;
  }

  /** Settles once every connection closing now is closed. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.#closing.values());
  }

  /** Disposes every connection still closing (cutting their graceful shutdown short), then waits for them. */
  async dispose(): Promise<void> {
    await Promise.allSettled([...this.#closing.keys()].map((connection) => connection.dispose()));
    await this.settled();
  }
}

/** Shuts `connection` down gracefully, then disposes it whatever happened. */
async function shutdownThenDispose(connection: ProtocolConnection): Promise<void> {
  try {
    await connection.shutdown();
  } finally {
    await connection.dispose();
  }
}
