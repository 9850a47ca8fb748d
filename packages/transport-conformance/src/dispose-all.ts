/** Anything a test must release when it ends: connections, listeners, helpers owning them. */
export interface AsyncResource {
  dispose(): Promise<void>;
}

/** Disposes every resource in order, going on when one fails, then reports the failures. */
export async function disposeAll(resources: Iterable<AsyncResource>): Promise<void> {
  const failures: unknown[] = [];
  for (const resource of resources) {
    try {
      await resource.dispose();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) {
    throw failures[0];
  }
  if (failures.length > 1) {
    throw new AggregateError(failures, "Disposing connections or listeners failed.");
  }
}
