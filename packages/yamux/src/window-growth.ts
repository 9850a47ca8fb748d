/**
 * What the receive windows of one session's streams share to grow: the round-trip time to the peer, and a budget
 * of bytes they may grow by, all together.
 *
 * The round trip is the latest answered Ping's (keep-alive pings count too). The session pings to measure it only
 * when a window that could grow has a grant due (half a window read) and no measurement is recent, so small
 * exchanges send no probe; the grant that asks gets the previous measurement, or none.
 */
export class WindowGrowth {
  readonly #probe: () => Promise<unknown>;
  #budget: number;
  #latest: number | undefined;
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

  /**
   * Whether a window that limited its transfer may grow by `bytes`: a grant fell due `sinceLastGrant` milliseconds
   * after the previous one, less than two round trips. Takes the bytes from the budget when it says yes. Measures
   * the round trip again if the latest measurement is older than 5 s (or there is none), but only while the budget
   * allows growth at all.
   */
  tryGrow(bytes: number, sinceLastGrant: number, now: number): boolean {
    if (bytes > this.#budget) {
      return false;
    }
    const roundTrip = this.#roundTrip(now);
    if (roundTrip === undefined || sinceLastGrant >= 2 * roundTrip) {
      return false;
    }
    this.#budget -= bytes;
    return true;
  }

  /** Records the round trip of an answered Ping. */
  sample(roundTrip: number, now: number): void {
    this.#latest = roundTrip;
    this.#measuredAt = now;
  }

  /** Gives back the growth of a stream that ended. */
  release(bytes: number): void {
    this.#budget += bytes;
  }

  /** The latest round trip in milliseconds, if one was measured; measures again when it is stale. */
  #roundTrip(now: number): number | undefined {
    if (now - this.#measuredAt > remeasureAfter && !this.#probing) {
      this.#probing = true;
      // A probe fails only when the session ends; one the peer never answers stops further probes, which is
      // harmless: the keep-alive detects a dead peer.
      this.#probe().then(
        () => (this.#probing = false),
        () => {},
      );
    }
    return this.#latest;
  }
}

/** Paths change (a phone moves between networks): a round trip older than this is measured again when needed. */
const remeasureAfter = 5_000;
