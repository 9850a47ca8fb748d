import { type ByteChannel, runSoon } from "@icerpc-ts/primitives";

/**
 * Turns the frames a connection produces into channel writes: everything queued during one task (one received
 * chunk, one burst of application calls) leaves in a single write, at the next macrotask. While the channel pushes
 * back (its `write` returned a promise), nothing is written and `whenWritable` makes stream data wait, so that only
 * small frames (window updates, pongs, stream closures, each bounded by the streams and pings there can be) queue
 * up meanwhile.
 */
export class FrameWriter {
  readonly #channel: ByteChannel;
  readonly #onFailure: (reason: unknown) => void;
  readonly #onWrite: () => void;
  #queued: Uint8Array[] = [];
  #flushScheduled = false;
  /** Waiting for the channel's backpressure to lift. */
  #blocked: Promise<void> | undefined;
  #finished = false;

  /**
   * `onFailure` is called when a write throws or its backpressure promise rejects; `onWrite` after each channel
   * write (the keep-alive counts writes).
   */
  constructor(channel: ByteChannel, onFailure: (reason: unknown) => void, onWrite: () => void) {
    this.#channel = channel;
    this.#onFailure = onFailure;
    this.#onWrite = onWrite;
  }

  /** Queues frame bytes (the writer owns them), sent at the next flush; dropped once the writer finished. */
  enqueue(...chunks: Uint8Array[]): void {
    if (this.#finished) {
      return;
    }
    for (const chunk of chunks) {
      this.#queued.push(chunk);
    }
    if (!this.#flushScheduled && this.#blocked === undefined) {
      this.#flushScheduled = true;
      runSoon(this.#flush);
    }
  }

  /** Undefined when stream data may be queued now; else a promise that settles once the channel takes more. */
  whenWritable(): Promise<void> | undefined {
    return this.#blocked;
  }

  /**
   * Writes what is queued and then ends the channel (`end`: the peer reads everything, then the end of stream), or
   * closes it at once, dropping what is queued (`close`). Nothing is written afterwards.
   */
  finish(release: "end" | "close"): void {
    if (this.#finished) {
      return;
    }
    this.#finished = true;
    if (release === "close") {
      this.#queued = [];
      this.#channel.close();
      return;
    }
    const chunks = this.#queued;
    this.#queued = [];
    try {
      if (chunks.length > 0) {
        void this.#channel.write(chunks);
      }
      this.#channel.end();
    } catch {
      this.#channel.close(); // a broken channel has nothing left to deliver
    }
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    if (this.#blocked !== undefined || this.#finished || this.#queued.length === 0) {
      return;
    }
    const chunks = this.#queued;
    this.#queued = [];
    let backpressure: Promise<void> | void;
    try {
      backpressure = this.#channel.write(chunks);
    } catch (error) {
      this.#onFailure(error);
      return;
    }
    this.#onWrite();
    if (backpressure !== undefined) {
      this.#blocked = backpressure.then(this.#unblock, (error: unknown) => {
        this.#onFailure(error);
        // Stream data waiting for the channel learns of the failure from the connection, not from here.
        return new Promise<void>(() => {});
      });
    }
  };

  readonly #unblock = (): void => {
    this.#blocked = undefined;
    this.#flush();
  };
}
