import { Deferred } from "@icerpc-ts/primitives";

import type { TransportOperation } from "./transport-operation.js";

/** What happened to calls of an operation: started, stopped by a hold, settled. */
export type Milestone = "reached" | "blocked" | "finished";

interface MilestoneWaiter {
  readonly key: string;
  readonly times: number;
  readonly deferred: Deferred<void>;
}

/**
 * Counts the calls of transport operations and lets a test wait for them: "the server is now blocked in
 * acceptStream". A log may report to a parent log, so that a transport's log sees the calls of all its connections
 * and streams, and a connection's log those of its streams.
 */
export class OperationLog {
  readonly #parent: OperationLog | undefined;
  readonly #counts = new Map<string, number>();
  readonly #waiters = new Set<MilestoneWaiter>();

  constructor(parent?: OperationLog) {
    this.#parent = parent;
  }

  /** How many calls of `operation` started. */
  calls(operation: TransportOperation): number {
    return this.#count("reached", operation);
  }

  /** Resolves once `times` calls of `operation` started (already, or later). */
  reached(operation: TransportOperation, times = 1): Promise<void> {
    return this.#waitFor("reached", operation, times);
  }

  /** Resolves once calls of `operation` were stopped by a hold `times` times: "it is now blocked". */
  blocked(operation: TransportOperation, times = 1): Promise<void> {
    return this.#waitFor("blocked", operation, times);
  }

  /** Resolves once `times` calls of `operation` settled, whatever their outcome. */
  finished(operation: TransportOperation, times = 1): Promise<void> {
    return this.#waitFor("finished", operation, times);
  }

  /** Records that a call of `operation` reached `milestone`, here and in the parent logs. */
  record(milestone: Milestone, operation: TransportOperation): void {
    const key = `${milestone}:${operation}`;
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    for (const waiter of this.#waiters) {
      if (waiter.key === key && waiter.times <= count) {
        this.#waiters.delete(waiter);
        waiter.deferred.resolve();
      }
    }
    this.#parent?.record(milestone, operation);
  }

  #count(milestone: Milestone, operation: TransportOperation): number {
    return this.#counts.get(`${milestone}:${operation}`) ?? 0;
  }

  #waitFor(milestone: Milestone, operation: TransportOperation, times: number): Promise<void> {
    if (this.#count(milestone, operation) >= times) {
      return Promise.resolve();
    }
    const waiter: MilestoneWaiter = { key: `${milestone}:${operation}`, times, deferred: new Deferred<void>() };
    this.#waiters.add(waiter);
    return waiter.deferred.promise;
  }
}
