import type { ConnectionObserver } from "@icerpc-ts/core";

type EventName = "connectStarted" | "connected" | "connectFailed" | "closed" | "closed with error";

/**
 * Forwards to the observer under test and records what it was told, so that a test can wait for an event the
 * connection reports in the background (a server's side of a connection, a close) instead of sleeping.
 */
export class RecordedObserver {
  readonly events: EventName[] = [];
  readonly #waiters: { event: EventName; count: number; resolve: () => void }[] = [];
  readonly observer: ConnectionObserver;

  constructor(inner: ConnectionObserver) {
    this.observer = {
      connectStarted: () => {
        inner.connectStarted?.();
        this.#record("connectStarted");
      },
      connected: (information) => {
        inner.connected?.(information);
        this.#record("connected");
      },
      connectFailed: (error) => {
        inner.connectFailed?.(error);
        this.#record("connectFailed");
      },
      closed: (error) => {
        inner.closed?.(error);
        this.#record(error === undefined ? "closed" : "closed with error");
      },
    };
  }

  /** Resolves once `event` was recorded `count` times in all. */
  when(event: EventName, count = 1): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push({ event, count, resolve });
      this.#check();
    });
  }

  #record(event: EventName): void {
    this.events.push(event);
    this.#check();
  }

  #check(): void {
    for (const waiter of [...this.#waiters]) {
      if (this.events.filter((event) => event === waiter.event).length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}
