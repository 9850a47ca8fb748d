import { type ByteChannel, Fifo, runSoon } from "@icerpc-ts/primitives";

import type { FrameType } from "./frame.js";
import { OutputBuilder } from "./output-builder.js";
import type { SessionStream } from "./session-stream.js";

/**
 * The most payload one channel write carries. Bigger writes mean fewer system calls; this bound keeps the bytes a
 * channel holds beyond its own buffering limit small, and lets the other streams' frames interleave.
 */
const writeBudget = 1024 * 1024;

/** Bytes of control frames queued behind the channel's backpressure beyond which the session pauses its input. */
const controlBacklogPauseLimit = 64 * 1024;

/**
 * Bytes of control frames queued behind the channel's backpressure beyond which the peer is deemed abusive: with a
 * channel that pauses, the backlog stops near the pause limit; with one that cannot, it would grow without bound.
 */
const controlBacklogFailLimit = 1024 * 1024;

/**
 * Turns what the session and its streams have to send into channel writes. Everything produced during one task
 * (one received chunk, one burst of application calls) leaves in a single write, at the next macrotask: session
 * control frames (pings, GoAway, refusals) in the order they were queued, then the streams' frames, one Data frame
 * per stream per round so that streams share the channel fairly. While the channel pushes back, nothing is written
 * and the streams' data stays with them, so memory does not grow with the bytes written.
 */
export class FrameWriter {
  readonly #channel: ByteChannel;
  readonly #onChannelFailure: (reason: unknown) => void;
  readonly #onBacklogOverflow: () => void;
  readonly #out = new OutputBuilder();
  readonly #ready = new Fifo<SessionStream>();
  #flushScheduled = false;
  /** Waiting for the channel's backpressure to lift. */
  #blocked = false;
  #inputPaused = false;
  #finished = false;

  /**
   * `onChannelFailure` is called when a write throws or its backpressure promise rejects; `onBacklogOverflow` when
   * the peer's requests pile up answers it does not read.
   */
  constructor(channel: ByteChannel, onChannelFailure: (reason: unknown) => void, onBacklogOverflow: () => void) {
    this.#channel = channel;
    this.#onChannelFailure = onChannelFailure;
    this.#onBacklogOverflow = onBacklogOverflow;
  }

  /** Queues a session frame (no payload). */
  control(type: FrameType, flags: number, streamId: number, length: number): void {
    if (this.#finished) {
      return;
    }
    this.#out.header(type, flags, streamId, length);
    if (this.#blocked && this.#out.byteLength >= controlBacklogPauseLimit) {
      // The peer sends requests (pings, SYNs to refuse) faster than it reads the answers.
      if (this.#out.byteLength >= controlBacklogFailLimit) {
        this.#onBacklogOverflow();
        return;
      }
      if (!this.#inputPaused) {
        this.#inputPaused = true;
        this.#channel.pause();
      }
    }
    this.#scheduleFlush();
  }

  /** Queues `stream` to emit its frames at the next flush. */
  markReady(stream: SessionStream): void {
    if (!stream.queuedForEmit && !this.#finished) {
      stream.queuedForEmit = true;
      this.#ready.push(stream);
      this.#scheduleFlush();
    }
  }

  /**
   * Writes the queued control frames, then `lastFrame` if given, whatever the backpressure, and ends or closes the
   * channel. Stream data not emitted yet is dropped: the session is over.
   */
  finish(lastFrame: ((out: OutputBuilder) => void) | undefined, release: "end" | "close"): void {
    if (this.#finished) {
      return;
    }
    this.#finished = true;
    this.#ready.drain();
    if (release === "close") {
      this.#channel.close();
      return;
    }
    lastFrame?.(this.#out);
    const chunks = this.#out.take();
    try {
      if (chunks.length > 0) {
        void this.#channel.write(chunks);
      }
      this.#channel.end();
    } catch {
      this.#channel.close(); // a broken channel has nothing left to deliver
    }
  }

  #scheduleFlush(): void {
    if (!this.#flushScheduled && !this.#blocked) {
      this.#flushScheduled = true;
      runSoon(this.#flush);
    }
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    if (this.#blocked || this.#finished) {
      return;
    }
    let budget = writeBudget;
    while (this.#ready.length > 0 && budget > 0) {
      const stream = this.#ready.shift()!;
      stream.queuedForEmit = false;
      const before = this.#out.byteLength;
      const more = stream.emit(this.#out, budget);
      budget -= this.#out.byteLength - before;
      if (more) {
        this.markReady(stream);
      }
    }
    if (this.#out.byteLength === 0) {
      return;
    }
    let backpressure: Promise<void> | void;
    try {
      backpressure = this.#channel.write(this.#out.take());
    } catch (error) {
      this.#onChannelFailure(error);
      return;
    }
    if (backpressure !== undefined) {
      this.#blocked = true;
      backpressure.then(this.#unblock, this.#onChannelFailure);
    } else if (this.#ready.length > 0) {
      this.#scheduleFlush(); // over budget: let the event loop run (I/O, timers) before the next write
    }
  };

  readonly #unblock = (): void => {
    this.#blocked = false;
    if (this.#finished) {
      return;
    }
    if (this.#inputPaused) {
      this.#inputPaused = false;
      this.#channel.resume();
    }
    if (this.#ready.length > 0 || this.#out.byteLength > 0) {
      this.#flush();
    }
  };
}
