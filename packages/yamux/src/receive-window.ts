import { initialStreamWindow } from "./frame.js";

/**
 * The receiving side of a stream's flow control: how many bytes the peer may still send (its credit) and when to
 * grant more. Credit is granted only for bytes the application has read, so a stream never buffers more than its
 * window, however slow its reader.
 *
 * Window growth. The window starts at the 256 KiB every yamux peer assumes and doubles, up to a maximum, whenever
 * it, rather than the reader, was what held the transfer back: the sender used up all its credit (it is now
 * blocked) and afterwards the reader drained everything and had to wait for more data. A slow reader never drains
 * its buffer, so its window never grows. It needs no clock or ping.
 *
 * Limits (a known defect): the sender's stall is seen only as this side's credit reaching zero, so it shows only
 * when a window's data arrives before the reader has read half of it. When the data arrives in pieces the reader
 * keeps up with (a real network path; a window larger than what the sender writes at once, 1 MiB, on a loaded
 * machine), the half-window grant is on its way while the sender waits, the credit never reaches zero, and the window
 * does not grow: through a relay with a 20 ms round trip it stayed at 256 KiB (10.8 MiB/s for one stream). Growth
 * from a measured round trip (as rust-yamux does with pings) would see those stalls.
 */
export class ReceiveWindow {
  readonly #maxSize: number;
  /** The window: credit + buffered bytes + bytes read but not yet granted back. */
  #size = initialStreamWindow;
  /** How many bytes the peer may still send. */
  #credit = initialStreamWindow;
  /** The peer used up its credit since the reader last waited for data. */
  #senderStalled = false;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
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
    if (this.#credit === 0 && length > 0) {
      this.#senderStalled = true;
    }
    return true;
  }

  /** The reader is about to wait on an empty buffer: if the sender stalled meanwhile, the window was too small. */
  readerWaiting(): void {
    if (this.#senderStalled) {
      this.#senderStalled = false;
      this.#size = Math.min(this.#size * 2, this.#maxSize);
    }
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
    this.#credit += free;
    return free;
  }
}
