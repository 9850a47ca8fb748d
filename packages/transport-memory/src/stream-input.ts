import type { StreamInput } from "@icerpc-ts/core/transport";
import { StreamInputState } from "@icerpc-ts/core/transport-helpers";
import { ChunkQueue } from "@icerpc-ts/primitives";

import type { SendToPeer } from "./send-to-peer.js";
import type { MemoryStreamOutput } from "./stream-output.js";

/**
 * The receiving half of one stream direction: buffers the chunks the peer's output sent (never more than one window,
 * which the peer's credit guarantees) and hands them out in order, returning their length as credit once read.
 */
export class MemoryStreamInput implements StreamInput {
  readonly #sendToPeer: SendToPeer;
  readonly #state: StreamInputState;
  readonly #received = new ChunkQueue();
  #peer!: MemoryStreamOutput;
  /** The peer ended its output: once `#received` is empty, reads return null. */
  #finReceived = false;

  /** `onDone`: reads are done (see `StreamInputState`). */
  constructor(sendToPeer: SendToPeer, onDone: () => void) {
    this.#sendToPeer = sendToPeer;
    this.#state = new StreamInputState(onDone);
  }

  /** Links this input to the output that sends it bytes, on the other connection end. */
  connectTo(peer: MemoryStreamOutput): void {
    this.#peer = peer;
  }

  read(signal?: AbortSignal): Promise<Uint8Array | null> {
    const decided = this.#state.decideRead(signal);
    if (decided !== undefined) {
      return decided;
    }
    const next = this.#takeNext();
    if (next !== undefined) {
      return Promise.resolve(next);
    }
    return this.#state.waitForData(signal);
  }

  tryRead(): Uint8Array | null | undefined {
    const decided = this.#state.decideTryRead();
    return decided === false ? this.#takeNext() : decided;
  }

  abort(): void {
    if (!this.#state.abort()) {
      return;
    }
    this.#received.clear();
    if (!this.#state.isResetReceived && !this.#finReceived) {
      const peer = this.#peer;
      this.#sendToPeer(() => peer.receiveStopSending());
    }
    this.#state.finish();
  }

  /** The peer's output sent `chunk` (which this input now owns) and/or its end of stream. */
  receive(chunk: Uint8Array | undefined, fin: boolean): void {
    if (this.#state.isAborted || this.#state.hasFailed) {
      return;
    }
    if (chunk !== undefined) {
      this.#received.push(chunk);
    }
    this.#finReceived ||= fin;
    if (this.#state.hasPendingRead) {
      const next = this.#takeNext();
      if (next !== undefined) {
        this.#state.takePendingRead()!.resolve(next);
      }
    }
  }

  /**
   * The peer aborted its output (QUIC RESET_STREAM): the bytes not read yet are lost. The direction is done once
   * the reader saw the abort, now if a read is pending, else at the next read.
   */
  receiveReset(): void {
    if (this.#state.peerReset()) {
      this.#received.clear();
    }
  }

  /**
   * The connection failed: the pending and later reads reject with `currentError()`, unless the end or the peer's
   * abort came first. Ignored once reads are done.
   */
  fail(currentError: () => Error): void {
    if (this.#state.fail(currentError)) {
      this.#received.clear();
    }
  }

  /** The next chunk, null at the end of stream, undefined when nothing was received yet. */
  #takeNext(): Uint8Array | null | undefined {
    const chunk = this.#received.shift();
    if (chunk !== undefined) {
      if (!this.#finReceived) {
        const peer = this.#peer;
        this.#sendToPeer(() => peer.receiveCredit(chunk.length));
      }
      return chunk;
    }
    return this.#finReceived ? this.#state.endOfStream() : undefined;
  }
}
