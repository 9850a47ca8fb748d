/** What the keep-alive does when its timers fire. */
export interface KeepAliveActions {
  /** Nothing was received for the idle timeout: the connection is idle (or the peer dead) and must be aborted. */
  idle(): void;
  /** Nothing was received for half the idle timeout: a client asks for an answer (C#'s "read ping", payload 1). */
  readPing?: () => void;
  /** Nothing was written for 0.6 of the idle timeout: a client writes something (C#'s "write ping", payload 0). */
  writePing?: () => void;
}

/**
 * The idle timeout of a Slic connection and the pings that keep it alive, as IceRPC C# times them: the connection
 * fails once nothing was received for the idle timeout; a client sends a read ping once nothing was received for
 * half of it and a write ping once nothing was written for 0.6 of it (later than the read ping, so that an idle
 * connection sends one ping, not two). Reads and writes only record a time; each timer re-arms itself from it, so
 * that busy connections cost no timer operation per chunk.
 */
export class KeepAlive {
  readonly #idleTimeout: number;
  readonly #actions: KeepAliveActions;
  #lastRead = performance.now();
  #lastWrite = performance.now();
  readonly #timers: ReturnType<typeof setTimeout>[] = [];
  #stopped = false;

  constructor(idleTimeout: number, actions: KeepAliveActions) {
    this.#idleTimeout = idleTimeout;
    this.#actions = actions;
  }

  start(): void {
    this.#lastRead = this.#lastWrite = performance.now();
    this.#arm(() => this.#lastRead, this.#idleTimeout, () => {
      this.stop();
      this.#actions.idle();
    });
    const { readPing, writePing } = this.#actions;
    if (readPing !== undefined) {
      this.#arm(() => this.#lastRead, this.#idleTimeout * 0.5, readPing);
    }
    if (writePing !== undefined) {
      this.#arm(() => this.#lastWrite, this.#idleTimeout * 0.6, writePing);
    }
  }

  /** Bytes were received. */
  read(): void {
    this.#lastRead = performance.now();
  }

  /** Bytes were written. */
  wrote(): void {
    this.#lastWrite = performance.now();
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.splice(0)) {
      clearTimeout(timer);
    }
  }

  /**
   * Runs `action` once `delay` ms passed since `since()` without a new event, then waits for the next such span
   * (since the action itself or the next event).
   */
  #arm(since: () => number, delay: number, action: () => void): void {
    const slot = this.#timers.length;
    const check = (): void => {
      if (this.#stopped) {
        return;
      }
      const elapsed = performance.now() - since();
      if (elapsed >= delay) {
        action();
        if (this.#stopped) {
          return;
        }
        this.#timers[slot] = setTimeout(check, delay);
      } else {
        this.#timers[slot] = setTimeout(check, delay - elapsed);
      }
    };
    this.#timers.push(setTimeout(check, delay));
  }
}
