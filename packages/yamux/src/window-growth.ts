/**
 * What the receive windows of one session's streams share to grow: the round-trip time to the peer, and a budget
 * of bytes they may grow by, all together.
 *
 * The round trip is the latest answered Ping's (keep-alive pings count too). A stream that asks for it when no
 * measurement is recent gets the last one, or none, and starts a new one: a session measures only while a stream
 * moves enough data to ask (half a window between two grants), so small exchanges send no probe.
 */
export class WindowGrowth {
  readonly #probe: () => Promise<unknown>;
  #budget: number;
  #roundTrip: number | undefined;
  #measuredAt = -Infinity;
  #probing = false;

  /**
   * `budget` is how many bytes all windows together may grow beyond their initial size; `probe` sends a Ping whose
   * answer reaches {@link sample}.
   */
  constructor(budget: number, probe: () => Promise<unknown>) {
    this.#budget = budget;
    this.#probe = probe;
  }

  /** The latest round trip in milliseconds, if one was measured; measures again if it is older than 5 s. */
  roundTrip(now: number): number | undefined {
    if (now - this.#measuredAt > remeasureAfter && !this.#probing) {
      this.#probing = true;
      // A probe fails only when the session ends; one the peer never answers stops further probes, which is
      // harmless: the keep-alive detects a dead peer.
      this.#probe().then(
        () => (this.#probing = false),
        () => {},
      );
    }
    return this.#roundTrip;
  }

  /** Records the round trip of an answered Ping. */
  sample(roundTrip: number, now: number): void {
    this.#roundTrip = roundTrip;
    this.#measuredAt = now;
  }

  /** Takes `bytes` of growth from the budget; false (and nothing taken) when fewer are left. */
  reserve(bytes: number): boolean {
    if (bytes > this.#budget) {
      return false;
    }
    this.#budget -= bytes;
    return true;
  }

  /** Gives back the growth of a stream that ended. */
  release(bytes: number): void {
    this.#budget += bytes;
  }
}

/** Paths change (a phone moves between networks): a round trip older than this is measured again when needed. */
const remeasureAfter = 5_000;
