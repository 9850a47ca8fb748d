import { initialStreamWindow } from "./frame.js";
import type { WindowGrowth } from "./window-growth.js";

/**
 * The receiving side of a stream's flow control: how many bytes the peer may still send (its credit) and when to
 * grant more. Credit is granted only for bytes the application has read, so a stream never buffers more than its
 * window, however slow its reader.
 *
 * Window growth. The window starts at the 256 KiB every yamux peer assumes, and a grant leaves each time the reader
 * has read half of it. When the window, not the reader, limits the transfer, the sender sends a window per round
 * trip and then waits, so grants fall due at most about a round trip apart. The window doubles (up to `maxSize`,
 * within the session's budget) when a grant falls due less than two round trips after the previous one. Once the
 * window exceeds about four times what the path carries in a round trip, grants come further apart and growth
 * stops. A slow reader grants rarely, so its window keeps its initial size.
 *
 * rust-yamux uses the same rule. It replaced one here that took the sender for stalled only when its credit reached
 * zero: a real network delivers a window's data in pieces that the reader keeps up with, so the half-window grant
 * was always on its way, and the window never grew (10.8 MiB/s for one stream over a 20 ms round trip).
 */
export class ReceiveWindow {
  readonly #maxSize: number;
  readonly #growth: WindowGrowth;
  /** The window: credit + buffered bytes + bytes read but not yet granted back. */
  #size = initialStreamWindow;
  /** How many bytes the peer may still send. */
  #credit = initialStreamWindow;
  /** When (performance.now()) the previous grant fell due. */
  #lastGrant = -Infinity;

  constructor(maxSize: number, growth: WindowGrowth) {
    this.#maxSize = maxSize;
    this.#growth = growth;
  }

  get size(): number {
    return this.#size;
  }

  get credit(): number {
    return this.#credit;
  }

  /** Accounts for an incoming Data frame; returns false if it exceeds the peer's credit (a protocol violation). */
  receive(length: number): boolean {
    if (length > this.#credit) {
      return false;
    }
    this.#credit -= length;
    return true;
  }

  /**
   * Returns the credit to send in a WindowUpdate now that only `buffered` bytes are unread, and counts it as
   * granted; 0 while less than half the window is free, so that updates stay few (one per half window read).
   */
  grant(buffered: number): number {
    const free = this.#size - this.#credit - buffered;
    if (free < this.#size / 2) {
      return 0;
    }
    const now = performance.now();
    const growth = Math.min(this.#size, this.#maxSize - this.#size);
    const grows = growth > 0 && this.#growth.tryGrow(growth, now - this.#lastGrant, now);
    this.#lastGrant = now;
    if (grows) {
      this.#size += growth;
    }
    const granted = grows ? free + growth : free;
    this.#credit += granted;
    return granted;
  }
}
